"""Drive the apply view-model through an item: taps where a finger would tap, `act` for
typing (what the screens send on each keystroke)."""
from __future__ import annotations

from tests.kiosk.journeys.fakes import RESIDENT, SIGNATURE, scanned
from tests.kiosk.journeys.walk import valid_value
from tests.ui.conftest import tap
from kiosk.journeys.ports import FaceOutcome


def fill_the_form(kiosk, qtbot) -> None:
    """Answer every question still open, page by page, to the screen after the form."""
    journey = kiosk.vm.journey
    while kiosk.screen == "apply.form":
        _label, fields = journey.form_pages()[journey.page]
        for form_field in fields:
            if not journey.values.get(form_field.id):
                kiosk.act("set_value", form_field.id, valid_value(form_field))
        tap(qtbot, kiosk.shell, "form_next")


def finish_apply(kiosk, qtbot) -> None:
    """From the form to the receipt, whatever the item asks."""
    journey = kiosk.vm.journey
    fill_the_form(kiosk, qtbot)
    if kiosk.screen == "apply.materials":
        for material_id, entry in journey.materials.items():
            certificates = journey.certificates_for(entry.material)
            if certificates:
                kiosk.act("use_on_file", material_id, certificates[0].certificate_id)
            elif entry.material.tolerance_allowed:
                kiosk.act("defer", material_id)
            else:
                kiosk.act("start_scan", material_id)
                assert kiosk.screen == "apply.scan"
                kiosk.services.scanner.last.set_result(scanned())
        tap(qtbot, kiosk.shell, "materials_done")
    if kiosk.screen == "apply.commitment":
        assert not kiosk.shell.find("commitment_agree").property("enabled")
        kiosk.act("sign", "data:image/png;base64," + __import__("base64").b64encode(
            SIGNATURE).decode())
        tap(qtbot, kiosk.shell, "channel_upload")
        tap(qtbot, kiosk.shell, "commitment_agree")
    assert kiosk.screen == "apply.review", kiosk.screen
    tap(qtbot, kiosk.shell, "submit")


def to_face_check(kiosk, item) -> None:
    """From the catalogue to the face check of `item`, the standard resident's card read."""
    kiosk.act("choose_item", item.task_code)
    kiosk.act("apply_now")
    kiosk.act("identify.choose_resident_id")
    kiosk.services.documents.last.set_result(RESIDENT)
    kiosk.act("identify.accept_face_check")


def apply_through_view_model(kiosk, qtbot, item) -> None:
    to_face_check(kiosk, item)
    kiosk.services.face.last.set_result(FaceOutcome(True, True))
    finish_apply(kiosk, qtbot)
