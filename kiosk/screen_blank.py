"""The screen at night: black between visits inside a configured window, woken by a touch.

Inside `[screen] blank_from` .. `wake_at` (kiosk local time), and all day on the district's days
off when `all_day_on_days_off` (weekends and holidays of the one working-day calendar,
`wire/calendar.py`, as the catalogue in use carries it), once nobody has touched the kiosk for
`blank_after_idle_s` and no citizen's session is open, the screen goes black
(`on_change(True)`). The first touch wakes it (`touched()` answers True: that touch does
nothing else), and so does the window's end. A session in progress is never blanked: the idle
time is looked at again later (the session's own idle timeout ends it first). Timers run on
the kiosk clock, so tests drive it with a `TestClock`.
"""
from __future__ import annotations

import logging
import threading
from datetime import date, tzinfo
from typing import TYPE_CHECKING, Callable

from foundation.clock import Clock, TimerHandle
from foundation.daily_times import seconds_until, within

if TYPE_CHECKING:  # or the snapshot's section (kiosk/config_snapshot.py): no pydantic before
    from kiosk.config import ScreenSection  # the first frame

log = logging.getLogger(__name__)


class ScreenBlanking:
    def __init__(self, settings: ScreenSection, *, clock: Clock,
                 session_active: Callable[[], bool], on_change: Callable[[bool], None],
                 is_day_off: Callable[[date], bool] = lambda _day: False,
                 zone: tzinfo | None = None) -> None:
        self.settings = settings
        self.is_day_off = is_day_off
        self.clock = clock
        self.session_active = session_active
        self.on_change = on_change
        #: the kiosk's local time zone (None: the system's)
        self.zone = zone
        self.blank = False
        self._lock = threading.RLock()
        self._timer: TimerHandle | None = None
        self._stopped = False
        self._generation = 0

    def start(self) -> None:
        self._wait_idle(self.settings.blank_after_idle_s)

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            self._cancel()

    def touched(self) -> bool:
        """A touch (or a key): True when it woke the screen, so it must do nothing else."""
        with self._lock:
            woke = self.blank
            if woke:
                self._set(False)
            self._wait_idle(self.settings.blank_after_idle_s)
            return woke

    def settings_changed(self, settings: ScreenSection) -> None:
        with self._lock:
            self.settings = settings
            if not self.blank:
                self._wait_idle(self.settings.blank_after_idle_s)

    def _in_window(self) -> bool:
        now = self.clock.now()
        if within(now, self.settings.blank_from, self.settings.wake_at, self.zone):
            return True
        return self.settings.all_day_on_days_off and \
            self.is_day_off(now.astimezone(self.zone).date())

    def _next_change(self) -> float | None:
        """Seconds to the next time the window may open or close (None: it never opens)."""
        times = []
        if self.settings.blank_from != self.settings.wake_at:
            times += [self.settings.blank_from, self.settings.wake_at]
        if self.settings.all_day_on_days_off:
            times.append("00:00")   # the next day may be a day off, or not
        now = self.clock.now()
        return min((seconds_until(now, at, self.zone) for at in times), default=None)

    def _idle_long_enough(self) -> None:
        with self._lock:
            if self.session_active():
                self._wait_idle(self.settings.blank_after_idle_s)
            elif self._in_window():
                self._set(True)
                self._watch_window()
            else:
                # untouched since, so idle long enough should the window open then
                later = self._next_change()
                if later is not None:
                    self._wait_idle(later)

    def _window_changed(self) -> None:
        with self._lock:
            if self._in_window():   # e.g. past midnight into a day off
                self._watch_window()
            else:
                self._set(False)
                self._wait_idle(self.settings.blank_after_idle_s)

    def _watch_window(self) -> None:
        later = self._next_change()
        if later is not None:   # inside the window, so it has an end
            self._schedule(later, self._window_changed)

    def _wait_idle(self, delay: float) -> None:
        if self._next_change() is None:     # no window: no timer for every touch
            self._cancel()
        else:
            self._schedule(delay, self._idle_long_enough)

    def _schedule(self, delay: float, callback: Callable[[], None]) -> None:
        self._cancel()
        if not self._stopped:
            self._generation += 1
            self._timer = self.clock.call_later(
                delay, lambda generation=self._generation: self._fire(generation, callback))

    def _fire(self, generation: int, callback: Callable[[], None]) -> None:
        # a clock that hands timers to another thread (the UI's) may run one cancelled since
        with self._lock:
            if generation == self._generation and not self._stopped:
                callback()

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _set(self, blank: bool) -> None:
        if blank != self.blank:
            self.blank = blank
            log.info("screen blanked" if blank else "screen woken")
            self.on_change(blank)
