"""Times of day from the configuration ("HH:MM", kiosk local time): daily windows that may
run past midnight (a nightly quiet hour, a blank screen), and the next time one comes round.

A moment's local time is the one of `zone` (None: the system's), as the kiosk's clock reads it.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta, tzinfo

#: the form every HH:MM key of the configuration has (kiosk/config.py)
CLOCK_TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


def clock_time(text: str) -> time:
    hours, minutes = (int(part) for part in text.split(":"))
    return time(hours, minutes)


def within(moment: datetime, start: str, end: str, zone: tzinfo | None = None) -> bool:
    """Whether `moment` falls in [start, end) of its day; a window whose end comes before its
    start runs over midnight; one that ends when it starts is empty."""
    now, first, last = moment.astimezone(zone).time(), clock_time(start), clock_time(end)
    return first <= now < last if first <= last else (now >= first or now < last)


def seconds_until(moment: datetime, at: str, zone: tzinfo | None = None) -> float:
    """From `moment` to the next `at` (tomorrow's when today's has come)."""
    local = moment.astimezone(zone)
    due = datetime.combine(local.date(), clock_time(at), tzinfo=local.tzinfo)
    if due <= local:
        due += timedelta(days=1)
    return (due - local).total_seconds()
