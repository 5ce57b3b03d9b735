"""Working-day calendar for promised dates: weekends and public holidays are off, make-up
working days (调休) are on. Holidays come from configuration (the catalogue's calendar and
the server settings)."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Iterable


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

    def due_date(self, start: date, days: int, unit: str) -> date:
        if unit == "calendar_days":
            return start + timedelta(days=days)
        return self.add_working_days(start, days)
