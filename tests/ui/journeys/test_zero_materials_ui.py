"""零材料 on screen: a scan of a certificate type asks whether to keep it on file (in plain
words, withdrawable), a document on file is offered with its validity beside a new scan,
and the query screen lists what is kept and deletes it after asking once more."""
from __future__ import annotations

from kiosk.journeys.ports import FaceOutcome
from tests.kiosk.journeys.fakes import KEPT, RESIDENT, FakeCitizen, scanned
from tests.ui.conftest import tap
from tests.ui.journeys.walk_ui import fill_the_form, to_face_check

RESIDENCE_PERMIT = "FT-GA-JZZ-001"    # id_card (resident_id), residence_proof (lease_record)


def _text(kiosk, name: str) -> str:
    kiosk.shell.settle()
    item = kiosk.shell.find(name)
    assert item is not None, f"no visible {name} on {kiosk.screen}"
    return item.property("text")


def test_consent_asked_after_the_scan_and_the_document_on_file_offered(
        make_kiosk, qtbot, demo_catalogue, qml_warnings):
    kiosk = make_kiosk(citizen=FakeCitizen(certificates_on_file=[KEPT]))
    kiosk.start("apply")
    to_face_check(kiosk, demo_catalogue.item(RESIDENCE_PERMIT))
    kiosk.services.face.last.set_result(FaceOutcome(True, True))
    fill_the_form(kiosk, qtbot)
    assert kiosk.screen == "apply.materials"
    offer = _text(kiosk, "use_on_file_residence_proof")
    assert "已有存档：房屋租赁凭证" in offer and "2030-02-28" in offer
    assert _text(kiosk, "scan_residence_proof") == "重新拍摄"
    assert kiosk.shell.find("keep_question_id_card") is None     # nothing scanned yet

    tap(qtbot, kiosk.shell, "scan_id_card")
    assert kiosk.screen == "apply.scan"
    kiosk.services.scanner.last.set_result(scanned())
    assert kiosk.screen == "apply.materials"
    assert "要存档吗" in _text(kiosk, "keep_question_id_card")
    assert "随时撤回" in _text(kiosk, "keep_question_id_card")
    tap(qtbot, kiosk.shell, "keep_yes_id_card")
    assert kiosk.vm.journey.materials["id_card"].keep_on_file is True
    assert _text(kiosk, "keep_question_id_card").startswith("✓")
    tap(qtbot, kiosk.shell, "keep_no_id_card")
    assert kiosk.vm.journey.materials["id_card"].keep_on_file is False
    assert _text(kiosk, "keep_question_id_card") == "不存档。"
    tap(qtbot, kiosk.shell, "keep_yes_id_card")

    tap(qtbot, kiosk.shell, "use_on_file_residence_proof")
    assert kiosk.vm.journey.materials["residence_proof"].status == "reused"
    assert "使用存档" in _text(kiosk, "material_status_residence_proof")
    kiosk.shell.navigator.home()
    assert qml_warnings() == []


def test_the_query_screen_deletes_a_kept_document_after_asking(make_kiosk, qtbot, qml_warnings):
    kiosk = make_kiosk(citizen=FakeCitizen(certificates_on_file=[KEPT]))
    kiosk.start("query")
    kiosk.act("identify.choose_resident_id")
    kiosk.services.documents.last.set_result(RESIDENT)
    kiosk.act("identify.accept_face_check")
    kiosk.services.face.last.set_result(FaceOutcome(True, True))
    assert kiosk.screen == "query.cases"
    tap(qtbot, kiosk.shell, "withdraw_0")
    assert kiosk.screen == "query.confirm_withdraw"
    tap(qtbot, kiosk.shell, "action_keep_certificate")       # not after all
    assert kiosk.screen == "query.cases"
    tap(qtbot, kiosk.shell, "withdraw_0")
    tap(qtbot, kiosk.shell, "action_confirm_withdraw")
    assert kiosk.screen == "query.cases"
    assert _text(kiosk, "query_notice").startswith("已删除这份存档")
    assert kiosk.shell.find("withdraw_0") is None
    assert KEPT not in kiosk.services.citizen.certificates_on_file
    tap(qtbot, kiosk.shell, "query_done")
    assert qml_warnings() == []
