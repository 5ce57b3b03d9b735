"""The on-screen receipt says what the printed one says: after a 容缺 application each owed
material, its deadline and the ways to hand it in; offline, that the application is stored
and will be sent, and what the QR code shows once it is."""
from __future__ import annotations

from tests.kiosk.journeys.fakes import FakeCitizen
from tests.ui.journeys.walk_ui import apply_through_view_model


def _deferring_item(kiosk):
    return next(i for i in kiosk.vm.services.catalogue.kiosk_items()
                if i.tolerance_allowed and any(m.tolerance_allowed and not m.elicence_type
                                               for m in i.materials))


def test_after_a_commitment_the_receipt_names_what_is_owed_by_when_and_how(make_kiosk, qtbot):
    kiosk = make_kiosk()
    kiosk.start("apply")
    item = _deferring_item(kiosk)
    apply_through_view_model(kiosk, qtbot, item)
    assert kiosk.screen == "apply.receipt"
    journey = kiosk.vm.journey
    owed = [m.name.zh for m in journey.deferred()]
    assert owed
    due = journey.commitment().due_date
    find = kiosk.shell.find
    assert find("receipt_owed_materials").property("text") == "还需补交：" + "、".join(owed)
    assert f"{due.year}年{due.month}月{due.day}日" in find("receipt_owed_deadline").property("text")
    ways = find("receipt_owed_ways").property("text")
    assert "手机上传（掌上办）（您选择的）" in ways and "到窗口提交" in ways
    assert find("receipt_stored_offline") is None   # sent: nothing to wait for
    kiosk.shell.shell.setLanguage("en_US")
    kiosk.shell.settle()
    assert find("receipt_owed_materials").property("text").startswith("Still to bring: ")
    assert due.strftime("%B %Y") in find("receipt_owed_deadline").property("text")


def test_offline_the_receipt_says_the_application_is_stored_and_will_be_sent(make_kiosk, qtbot):
    kiosk = make_kiosk(citizen=FakeCitizen(online=False))
    kiosk.start("apply")
    item = next(i for i in kiosk.vm.services.catalogue.kiosk_items()
                if not any(m.elicence_type for m in i.materials))
    apply_through_view_model(kiosk, qtbot, item)
    assert kiosk.screen == "apply.receipt"
    said = kiosk.shell.find("receipt_stored_offline").property("text")
    assert "已保存在本机" in said and "自动发送" in said and "二维码" in said


def test_the_printed_receipt_and_letter_follow_the_language_chosen_during_the_journey(
        make_kiosk, qtbot):
    kiosk = make_kiosk()
    kiosk.start("apply")                      # started in Chinese
    kiosk.shell.shell.setLanguage("en_US")    # switched to English on the way
    kiosk.shell.settle()
    item = _deferring_item(kiosk)
    apply_through_view_model(kiosk, qtbot, item)
    assert kiosk.screen == "apply.receipt"
    printed = dict(kiosk.services.printer.printed)
    assert printed["receipt"].language == printed["commitment_letter"].language == "en"
    assert printed["receipt"].item == item.name.en
