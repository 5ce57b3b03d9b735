"""Dates are picked, not typed: the form shows a date field as the date in words with
earlier/later buttons for year (also by ten), month and day; every tap hands the journey a
"YYYY-MM-DD" its own check accepts, starting from today until a date is chosen, and a day
past the month's end moves to the month's last day."""
from __future__ import annotations

from datetime import date, timedelta

from kiosk.journeys.ports import FaceOutcome
from tests.kiosk.journeys.walk import valid_value
from tests.ui.conftest import tap
from tests.ui.journeys.walk_ui import to_face_check


def _to_the_date_field(kiosk):
    """The form page with the first unprefilled date question; returns its field."""
    item = next(i for i in kiosk.vm.services.catalogue.kiosk_items()
                if any(f.kind.value == "date" and not f.prefill for f in i.form))
    to_face_check(kiosk, item)
    kiosk.services.face.last.set_result(FaceOutcome(True, True))
    journey = kiosk.vm.journey
    while True:
        assert kiosk.screen == "apply.form"
        _label, fields = journey.form_pages()[journey.page]
        wanted = next((f for f in fields if f.kind.value == "date" and not f.prefill), None)
        if wanted is not None:
            return wanted
        for form_field in fields:
            if not journey.values.get(form_field.id):
                kiosk.act("set_value", form_field.id, valid_value(form_field))
        kiosk.act("next_page")


def test_a_date_is_picked_with_buttons_from_today(kiosk, qtbot, test_clock):
    kiosk.start("apply")
    field = _to_the_date_field(kiosk)
    journey, name = kiosk.vm.journey, "date_" + field.id
    assert kiosk.shell.find("field_" + field.id) is None          # nothing to type in
    today = test_clock.now().date()
    shown = kiosk.shell.find(name + "_shown")
    assert shown.property("text").startswith("未选择")
    assert f"{today.year}年{today.month}月{today.day}日" in shown.property("text")

    tap(qtbot, kiosk.shell, name + "_d_forward")
    assert journey.values[field.id] == (today + timedelta(days=1)).isoformat()
    assert field.id not in journey.errors                         # the journey's own check
    tap(qtbot, kiosk.shell, name + "_y_forward10")
    later = today + timedelta(days=1)
    assert journey.values[field.id] == later.replace(year=later.year + 10).isoformat()

    kiosk.act("set_value", field.id, "2027-01-31")
    tap(qtbot, kiosk.shell, name + "_m_forward")                  # no 31 February
    assert journey.values[field.id] == "2027-02-28"
    tap(qtbot, kiosk.shell, name + "_m_back")
    tap(qtbot, kiosk.shell, name + "_m_back")                     # across the year
    assert journey.values[field.id] == "2026-12-28"
    assert kiosk.shell.find(name + "_shown").property("text") == "2026年12月28日 星期一"
    kiosk.shell.shell.setLanguage("en_US")
    kiosk.shell.settle()
    assert kiosk.shell.find(name + "_shown").property("text") == "Mon 28 Dec 2026"
    assert date(2026, 12, 28).weekday() == 0                      # a Monday indeed
    for part in ("y_back10", "y_back", "y_forward", "m_back", "d_back", "d_forward"):
        button = kiosk.shell.find(f"{name}_{part}")
        assert min(button.width(), button.height()) >= 96, part
