"""Working days for deadlines the kiosk prints (容缺 supply dates), offline too.

The holidays and make-up working days (调休) come with the catalogue, so a kiosk without
network computes the same date the district's calendar does.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Iterable


class WorkingDayCalendar:
    def __init__(self, holidays: Iterable[date] = (), workdays: Iterable[date] = ()) -> None:
        self._holidays = frozenset(holidays)
        self._workdays = frozenset(workdays)

    def is_working_day(self, day: date) -> bool:
        if day in self._workdays:
            return True
        return day.weekday() < 5 and day not in self._holidays

    def add_working_days(self, start: date, days: int) -> date:
        """The date `days` working days after `start` (start itself does not count)."""
        if days < 0:
            raise ValueError("days must not be negative")
        day = start
        while days:
            day += timedelta(days=1)
            if self.is_working_day(day):
                days -= 1
        return day
