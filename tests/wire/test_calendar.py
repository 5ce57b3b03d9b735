"""The one working-day calendar (wire/calendar.py) the kiosk and the district server share."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
import yaml

from foundation.clock import TestClock
from wire.calendar import WorkingDayCalendar

SATURDAY = date(2026, 11, 28)
MONDAY = date(2026, 11, 30)


def test_working_days_skip_weekends_and_holidays_and_count_make_up_days():
    calendar = WorkingDayCalendar(holidays=[date(2026, 10, 1), date(2026, 10, 2)],
                                  workdays=[date(2026, 10, 10)])        # a Saturday worked
    assert calendar.add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 5)
    assert calendar.add_working_days(date(2026, 10, 9), 1) == date(2026, 10, 10)
    assert calendar.add_working_days(date(2026, 11, 26), 0) == date(2026, 11, 26)
    with pytest.raises(ValueError):
        calendar.add_working_days(date(2026, 11, 26), -1)


def test_the_demo_catalogues_holidays_and_make_up_days():
    from district_server.catalogue import service
    from district_server.settings import DEFAULT_CATALOGUE_DIR
    catalogue = service.load_directory(DEFAULT_CATALOGUE_DIR)
    calendar = WorkingDayCalendar(catalogue.calendar.holidays, catalogue.calendar.workdays)
    # Fri 25 Sep 2026 is a holiday (Mid-Autumn) and 1-7 Oct National Day; Sun 20 Sep and
    # Sat 10 Oct are make-up working days.
    assert calendar.add_working_days(date(2026, 9, 18), 1) == date(2026, 9, 20)
    assert calendar.add_working_days(date(2026, 9, 24), 1) == date(2026, 9, 28)
    assert calendar.add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert calendar.add_working_days(date(2026, 10, 9), 1) == date(2026, 10, 10)
    assert calendar.add_working_days(date(2026, 10, 3), 0) == date(2026, 10, 8)
    assert calendar.due_date(date(2026, 9, 30), 10, "calendar_days") == date(2026, 10, 10)


def test_an_instant_item_applied_for_on_saturday_is_due_on_monday():
    calendar = WorkingDayCalendar()
    assert calendar.due_date(SATURDAY, 0) == MONDAY
    assert calendar.due_date(SATURDAY, 0, "calendar_days") == SATURDAY
    assert calendar.due_date(SATURDAY, 3, "calendar_days") == date(2026, 12, 1)


@pytest.mark.parametrize("code, limit, promised", [
    ("T-SBZM-005", {"days": 0}, MONDAY),                                # 即办件 on Saturday
    ("T-QZDJ-002", {"days": 3, "unit": "calendar_days"}, date(2026, 12, 1)),
    ("T-QZDJ-002", {"days": 3}, date(2026, 12, 3)),     # 1 Dec is a holiday in the fakes
])
def test_the_kiosks_receipt_promises_the_date_the_district_computes(code, limit, promised):
    """The receipt printed at the kiosk names the promised date of the item's time limit,
    in the item's unit, as the district computes it for the case."""
    from kiosk.catalogue import catalogue_from_mapping
    from tests.kiosk.journeys.conftest import FIXTURE
    from tests.kiosk.journeys.fakes import make_services
    from tests.kiosk.journeys.walk import apply_item
    data = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    item = next(i for i in data["items"] if i["task_code"] == code)
    item["promised_limit"] = limit
    catalogue = catalogue_from_mapping(data)
    clock = TestClock(datetime(SATURDAY.year, SATURDAY.month, SATURDAY.day, 9,
                               tzinfo=timezone.utc))
    services = make_services(catalogue, clock)
    apply_item(services, catalogue.item(code))
    receipt = dict(services.printer.printed)["receipt"]
    assert receipt.promised_date == promised
    district = services.calendar       # the same holidays, the server's calendar class
    assert district.due_date(SATURDAY, limit["days"], limit.get("unit", "working_days")) \
        == promised


def test_days_between_counts_what_passes_after_the_start_in_the_unit():
    calendar = WorkingDayCalendar(holidays=[date(2026, 12, 9)])
    monday, thursday = date(2026, 12, 7), date(2026, 12, 10)
    assert calendar.days_between(monday, thursday) == 2              # Tue, Thu (Wed off)
    assert calendar.days_between(monday, thursday, "calendar_days") == 3
    assert calendar.days_between(thursday, monday) == 0
