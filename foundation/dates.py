"""Dates as the citizen reads them, in Chinese ("2026年12月5日") or English ("5 Dec 2026").

Dates shown to the citizen are China Standard Time (UTC+8, no daylight saving), so an aware
timestamp prints as the hall's local date. English month names are spelled out here, not
taken from the C library's locale, so a kiosk prints the same words whatever its locale.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

CHINA_TIME = timezone(timedelta(hours=8), "CST")
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
             "Dec")


def _local(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return value.astimezone(CHINA_TIME).date() if value.tzinfo else value.date()
    return value


def written_date(value: date | datetime, language: str = "zh") -> str:
    day = _local(value)
    if language.startswith("en"):
        return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"
    return f"{day.year}年{day.month}月{day.day}日"


def written_datetime(value: datetime, language: str = "zh") -> str:
    local = value.astimezone(CHINA_TIME) if value.tzinfo else value
    return f"{written_date(local, language)} {local.hour:02d}:{local.minute:02d}"
