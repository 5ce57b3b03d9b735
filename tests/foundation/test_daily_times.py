"""Daily windows from HH:MM settings, also over midnight, and the next time one comes round."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from foundation.daily_times import seconds_until, within

CST = timezone(timedelta(hours=8))


def moment(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 26, hour, minute, tzinfo=timezone.utc)


def test_a_window_over_midnight_holds_its_start_and_not_its_end():
    assert within(moment(22), "22:00", "07:00") and within(moment(3), "22:00", "07:00")
    assert not within(moment(7), "22:00", "07:00") and not within(moment(21, 59), "22:00", "07:00")


def test_a_window_within_a_day_and_an_empty_one():
    assert within(moment(2), "02:00", "05:00") and not within(moment(5), "02:00", "05:00")
    assert not any(within(moment(h), "00:00", "00:00") for h in range(24))


def test_the_time_of_day_is_the_kiosks_zone():
    assert within(moment(15), "22:00", "07:00", CST)   # 23:00 in China


def test_the_next_time_is_tomorrows_once_todays_has_come():
    assert seconds_until(moment(21, 30), "22:00") == 1800
    assert seconds_until(moment(22), "22:00") == 24 * 3600
