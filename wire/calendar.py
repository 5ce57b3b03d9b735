"""The one working-day calendar for promised dates and supply deadlines, shared by the kiosk
(offline too) and the district server, so both give a citizen the same date.

Weekends and public holidays are off, make-up working days (调休) are on; both lists come
with the district's catalogue (`wire.v1.Catalogue.calendar`). A time limit counts in the
unit its service item states (`wire.v1.TimeLimit.unit`); working days do not count the
start day, and a 0-day limit (即办件) is due on the start day if that is a working day,
else on the next working day.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Iterable, Literal

TimeUnit = Literal["working_days", "calendar_days"]


class WorkingDayCalendar:
    def __init__(self, holidays: Iterable[date] = (), workdays: Iterable[date] = ()) -> None:
        self.holidays = frozenset(holidays)
        self.workdays = frozenset(workdays)

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def add_working_days(self, start: date, days: int) -> date:
        """The date `days` working days after `start` (the start day itself does not count;
        0 days: `start` if it is a working day, else the next working day)."""
        if days < 0:
            raise ValueError("days must not be negative")
        day = start
        if days == 0:
            while not self.is_working_day(day):
                day += timedelta(days=1)
            return day
        remaining = days
        while remaining:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def days_between(self, start: date, end: date, unit: TimeUnit = "working_days") -> int:
        """How many days of `unit` pass after `start` up to and including `end` (0 when
        `end` is not after `start`)."""
        if unit == "calendar_days":
            return max(0, (end - start).days)
        return sum(self.is_working_day(start + timedelta(days=n))
                   for n in range(1, (end - start).days + 1))

    def due_date(self, start: date, days: int, unit: TimeUnit = "working_days") -> date:
        """When a time limit of `days` in `unit` that starts on `start` runs out."""
        if unit == "calendar_days":
            return start + timedelta(days=days)
        return self.add_working_days(start, days)
