"""Apply through the real view-model and QML screens."""
from __future__ import annotations


from kiosk.journeys.ports import FaceOutcome
from tests.kiosk.journeys.fakes import RESIDENT, FakeCitizen
from tests.ui.conftest import tap


def identify(kiosk, qtbot):
    assert kiosk.screen.endswith("identify_choose_document")
    tap(qtbot, kiosk.shell, "action_identify_choose_resident_id")
    assert kiosk.screen.endswith("identify_read_id_card")
    kiosk.services.documents.last.set_result(RESIDENT)
    assert kiosk.screen.endswith("identify_face_consent")
    tap(qtbot, kiosk.shell, "action_identify_accept_face_check")
    assert kiosk.screen.endswith("identify_face_check")
    kiosk.services.face.last.set_result(FaceOutcome(True, True))


def test_apply_residence_permit_on_screen(kiosk, qtbot, qml_warnings):
    kiosk.start("apply")
    assert kiosk.screen == "apply.browse"
    tap(qtbot, kiosk.shell, "topic_residence")
    assert kiosk.screen == "apply.category"
    code = kiosk.vm.snapshot["list"]["items"][0]["code"]
    tap(qtbot, kiosk.shell, f"item_{code}")
    assert kiosk.screen == "apply.guide"
    tap(qtbot, kiosk.shell, "apply_now")
    identify(kiosk, qtbot)
    assert kiosk.screen == "apply.form"
    form = kiosk.vm.snapshot["form"]
    assert any(f["prefilled"] for f in form["fields"])
    from tests.ui.journeys.walk_ui import finish_apply
    finish_apply(kiosk, qtbot)
    assert kiosk.screen == "apply.receipt"
    receipt = kiosk.vm.snapshot["receipt"]
    assert receipt["caseNumber"] == "kiosk-1" and receipt["printStatus"] == "printed"
    assert receipt["qr"].startswith("data:image/png;base64,")
    assert kiosk.shell.find("case_number").property("text") == "kiosk-1"
    tap(qtbot, kiosk.shell, "receipt_done")
    assert kiosk.screen == "apply.rate_level"
    tap(qtbot, kiosk.shell, "level_5")
    tap(qtbot, kiosk.shell, "indicator_efficiency")
    tap(qtbot, kiosk.shell, "rating_send")
    assert kiosk.screen == "apply.rate_thanks"
    kind, payload, _ = kiosk.services.events.items[-1]
    assert kind == "rating" and payload["case_number"] == "kiosk-1"
    vm = kiosk.vm
    tap(qtbot, kiosk.shell, "action_finish")
    assert kiosk.screen == "attract"
    assert qml_warnings() == []
    del vm


def test_language_switch_shows_english_texts(kiosk, qtbot):
    kiosk.start("apply")
    tap(qtbot, kiosk.shell, "language_switch")
    tap(qtbot, kiosk.shell, "topic_residence")
    item = kiosk.vm.snapshot["list"]["items"][0]
    button = kiosk.shell.find(f"item_{item['code']}")
    assert item["name"]["en"] in button.property("text")


def test_every_kiosk_item_of_the_demo_catalogue_on_screen(kiosk, qtbot, demo_catalogue,
                                                           qml_warnings):
    from tests.ui.journeys.walk_ui import apply_through_view_model
    for number, item in enumerate(demo_catalogue.kiosk_items(), 1):
        kiosk.start("apply")
        apply_through_view_model(kiosk, qtbot, item)
        assert kiosk.screen == "apply.receipt", item.task_code
        assert kiosk.services.events.items[-1][1]["service_code"] == item.task_code
        kiosk.shell.navigator.home()
        assert kiosk.screen == "attract"
    assert qml_warnings() == []


def test_offline_apply_and_no_printer(make_kiosk, qtbot):
    kiosk = make_kiosk(citizen=FakeCitizen(online=False),
                       role_usable=lambda role: role != "receipt_printer")
    from tests.ui.journeys.walk_ui import apply_through_view_model
    kiosk.start("apply")
    item = next(i for i in kiosk.shell.navigator.viewModel.services.catalogue.kiosk_items()
                if not any(m.elicence_type for m in i.materials))
    apply_through_view_model(kiosk, qtbot, item)
    receipt = kiosk.vm.snapshot["receipt"]
    assert receipt["printStatus"] == "no_printer"
    assert "扫码" in kiosk.shell.find("print_status").property("text")


def test_camera_down_goes_to_the_staff_screen(make_kiosk, qtbot):
    kiosk = make_kiosk(role_usable=lambda role: role != "face_camera")
    kiosk.start("apply")
    kiosk.act("choose_item", kiosk.vm.services.catalogue.kiosk_items()[0].task_code)
    kiosk.act("apply_now")
    tap(qtbot, kiosk.shell, "action_identify_choose_resident_id")
    kiosk.services.documents.last.set_result(RESIDENT)
    assert kiosk.screen == "apply.identify_staff"
    assert "摄像头" in kiosk.shell.find("message_body").property("text")


def test_consent_notice_before_the_face_check_and_declining_calls_staff(kiosk, qtbot,
                                                                        qml_warnings):
    kiosk.start("apply")
    kiosk.act("choose_item", kiosk.vm.services.catalogue.kiosk_items()[0].task_code)
    kiosk.act("apply_now")
    tap(qtbot, kiosk.shell, "action_identify_choose_resident_id")
    kiosk.services.documents.last.set_result(RESIDENT)
    assert kiosk.screen == "apply.identify_face_consent"
    kiosk.shell.settle()
    notice = " ".join(kiosk.shell.find(f"consent_text_{n}").property("text") for n in range(4))
    for said in ("实时面部图像", "比对", "不保存", "工作人员"):
        assert said in notice, notice
    assert kiosk.services.face.futures == []               # no camera before consent
    tap(qtbot, kiosk.shell, "action_identify_decline_face_check")
    assert kiosk.screen == "apply.identify_staff"
    assert "不进行人脸比对" in kiosk.shell.find("message_body").property("text")
    assert qml_warnings() == []


def test_face_check_shows_the_live_camera_and_forgets_it(kiosk, qtbot):
    import numpy as np
    from tests.ui.journeys.walk_ui import to_face_check
    kiosk.start("apply")
    to_face_check(kiosk, kiosk.vm.services.catalogue.kiosk_items()[0])
    assert kiosk.screen == "apply.identify_face_check"
    red = np.zeros((480, 640, 3), np.uint8)
    red[:, :, 2] = 220                                   # BGR: a red picture
    kiosk.services.face.preview = lambda: red
    vm = kiosk.vm
    with qtbot.waitSignal(vm.previewChanged, timeout=2000):
        pass
    assert vm.property("preview").startswith("data:image/jpeg;base64,")
    preview = kiosk.shell.find("face_preview")
    kiosk.shell.settle()
    from PySide6.QtCore import QPointF
    image = kiosk.shell.grab()
    centre = preview.mapToScene(QPointF(preview.width() / 2, preview.height() / 2)).toPoint()
    corner = preview.mapToScene(QPointF(4, 4)).toPoint()
    assert image.pixelColor(centre).red() > 180          # the camera inside the oval
    assert image.pixelColor(corner).red() > 240 and image.pixelColor(corner).green() > 240
    kiosk.shell.navigator.home()
    assert vm.personal_data_present() == []
