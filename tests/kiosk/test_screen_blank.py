"""The screen at night on the test clock: black inside the configured window once untouched,
woken by the first touch (which does nothing else) or at the wake time, never during a
citizen's session; the window and the idle time from the configuration."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from foundation.clock import TestClock
from foundation.config_files import ConfigError
from kiosk.config import ScreenSection, load_config
from kiosk.screen_blank import ScreenBlanking
from wire.calendar import WorkingDayCalendar

NIGHT = ScreenSection(blank_from="22:00", wake_at="07:00", blank_after_idle_s=300.0,
                      all_day_on_days_off=False)
MINUTE, HOUR = 60.0, 3600.0


class Kiosk:
    def __init__(self, clock: TestClock, settings: ScreenSection = NIGHT,
                 calendar: WorkingDayCalendar = WorkingDayCalendar()) -> None:
        self.citizen = False
        self.changes: list[bool] = []
        self.screen = ScreenBlanking(settings, clock=clock, session_active=lambda: self.citizen,
                                     on_change=self.changes.append,
                                     is_day_off=lambda day: not calendar.is_working_day(day),
                                     zone=timezone.utc)
        self.screen.start()


def at(hour: int, minute: int = 0) -> TestClock:
    return TestClock(datetime(2026, 11, 26, hour, minute, tzinfo=timezone.utc))


def test_the_screen_goes_black_once_untouched_inside_the_window_and_wakes_at_the_wake_time():
    clock = at(23)
    kiosk = Kiosk(clock)
    clock.advance(5 * MINUTE - 1)
    assert not kiosk.screen.blank
    clock.advance(1)
    assert kiosk.screen.blank and kiosk.changes == [True]
    clock.advance(8 * HOUR - 5 * MINUTE - 1)   # 06:59:59
    assert kiosk.screen.blank
    clock.advance(1)
    assert not kiosk.screen.blank and kiosk.changes == [True, False]
    clock.advance(14 * HOUR)   # the day: lit however long untouched
    assert kiosk.changes == [True, False]


def test_an_idle_kiosk_goes_black_when_the_window_opens():
    clock = at(21, 50)
    kiosk = Kiosk(clock)
    clock.advance(10 * MINUTE - 1)
    assert not kiosk.screen.blank
    clock.advance(1)   # 22:00, untouched for ten minutes
    assert kiosk.screen.blank


def test_the_first_touch_wakes_the_screen_and_does_nothing_else_then_it_blanks_again():
    clock = at(1)
    kiosk = Kiosk(clock)
    clock.advance(5 * MINUTE)
    assert kiosk.screen.blank
    assert kiosk.screen.touched() is True   # the waking touch: swallowed
    assert not kiosk.screen.blank
    assert kiosk.screen.touched() is False  # the next one is the citizen's
    clock.advance(5 * MINUTE - 1)
    assert not kiosk.screen.blank
    clock.advance(1)
    assert kiosk.screen.blank and kiosk.changes == [True, False, True]


def test_a_citizens_session_is_never_blanked():
    clock = at(2)
    kiosk = Kiosk(clock)
    kiosk.screen.touched()
    kiosk.citizen = True
    clock.advance(3 * HOUR)
    assert kiosk.changes == []
    kiosk.citizen = False   # the session ended (its idle timeout) without another touch
    clock.advance(5 * MINUTE)
    assert kiosk.screen.blank


def test_the_same_time_for_blank_and_wake_never_blanks_the_screen():
    clock = at(23)
    kiosk = Kiosk(clock, ScreenSection(blank_from="00:00", wake_at="00:00",
                                       blank_after_idle_s=60.0, all_day_on_days_off=False))
    clock.advance(48 * HOUR)
    assert kiosk.changes == []


def test_on_the_calendars_days_off_the_screen_stays_black_all_day_when_so_configured():
    # Thursday 26 November 2026; Monday the 30th a holiday in the district's calendar
    calendar = WorkingDayCalendar(holidays=[date(2026, 11, 30)])
    clock = at(12)
    kiosk = Kiosk(clock, NIGHT.model_copy(update={"all_day_on_days_off": True}), calendar)

    def until(month: int, day: int, hour: int, minute: int = 0, second: int = 0) -> None:
        then = datetime(2026, month, day, hour, minute, second, tzinfo=timezone.utc)
        clock.advance((then - clock.now()).total_seconds())

    until(11, 26, 21, 59, 59)
    assert not kiosk.screen.blank   # a working day
    until(11, 26, 22)
    assert kiosk.screen.blank
    until(11, 27, 7)                   # Friday morning, a working day
    assert not kiosk.screen.blank
    until(11, 27, 22)
    assert kiosk.screen.blank
    until(12, 1, 6, 59, 59)           # Tuesday 1 December
    assert kiosk.changes == [True, False, True]   # black all weekend and the holiday
    until(12, 1, 7)
    assert not kiosk.screen.blank


def test_days_off_alone_blank_from_midnight_to_midnight():
    clock = at(12)   # Thursday
    kiosk = Kiosk(clock, ScreenSection(blank_from="00:00", wake_at="00:00",
                                       blank_after_idle_s=60.0, all_day_on_days_off=True))
    clock.advance(36 * HOUR - 1)   # Friday 23:59:59
    assert kiosk.changes == []
    clock.advance(1)
    assert kiosk.screen.blank
    clock.advance(48 * HOUR - 1)   # Sunday 23:59:59
    assert kiosk.screen.blank
    clock.advance(1)
    assert kiosk.changes == [True, False]


def test_the_defaults_keep_a_24_hour_kiosk_lit():
    screen = load_config().config.screen
    assert screen.blank_from == screen.wake_at and not screen.all_day_on_days_off


@pytest.mark.parametrize("line, fix", [
    ('blank_from = "25:00"', "must match"),
    ("blank_after_idle_s = 1.0", ">= 10"),
    ('wake_up = "07:00"', "remove the key"),
])
def test_a_wrong_screen_setting_is_refused_at_start_naming_key_file_and_fix(tmp_path, line,
                                                                            fix):
    site = tmp_path / "site.toml"
    site.write_text(f"[screen]\n{line}\n")
    with pytest.raises(ConfigError) as refused:
        load_config(site)
    message = str(refused.value)
    assert f"screen.{line.split(' =')[0]}" in message and str(site) in message \
        and fix in message
