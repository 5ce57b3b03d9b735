"""Numbers get the numeric keypad, phone numbers the dial pad, ID numbers digits
first (the virtual keyboard's layout as it comes up for each field of the form)."""
from __future__ import annotations

from PySide6.QtGui import QGuiApplication

from kiosk.journeys.ports import FaceOutcome
from tests.kiosk.journeys.walk import valid_value
from tests.ui.journeys.walk_ui import to_face_check
from ui.input_events import focus

LAYOUT = {"number": "numbers", "phone": "dialpad"}   # dates are picked (test_date_picker_ui)


def test_each_kind_of_answer_gets_its_keypad(kiosk, qtbot):
    kiosk.start("apply")
    items = kiosk.vm.services.catalogue.kiosk_items()
    item = next(i for i in items
                if {"number", "phone"} <= {f.kind.value for f in i.form})
    to_face_check(kiosk, item)
    kiosk.services.face.last.set_result(FaceOutcome(True, True))
    journey = kiosk.vm.journey
    seen = {}
    while kiosk.screen == "apply.form":
        _label, fields = journey.form_pages()[journey.page]
        for form_field in fields:
            kind = form_field.kind.value
            if kind not in LAYOUT:
                continue
            field = kiosk.shell.find("field_" + form_field.id)
            focus(field)
            QGuiApplication.inputMethod().show()
            qtbot.waitUntil(lambda: kiosk.shell.find("keyboard") is not None, timeout=5000)
            panel = kiosk.shell.find("keyboard")
            layout = panel.property("layoutType")
            seen[kind] = layout
            QGuiApplication.inputMethod().hide()
            kiosk.shell.settle()
        for form_field in fields:   # answer this page and go on
            if not journey.values.get(form_field.id):
                kiosk.act("set_value", form_field.id, valid_value(form_field))
        kiosk.act("next_page")
    assert seen == {kind: LAYOUT[kind] for kind in seen} and set(seen) == set(LAYOUT), seen
