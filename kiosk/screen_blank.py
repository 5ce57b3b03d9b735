"""The screen at night: black between visits inside a configured window, woken by a touch.

Inside `[screen] blank_from` .. `wake_at` (kiosk local time), once nobody has touched the kiosk
for `blank_after_idle_s` and no citizen's session is open, the screen goes black
(`on_change(True)`). The first touch wakes it (`touched()` answers True: that touch does
nothing else), and `wake_at` wakes it by itself. A session in progress is never blanked: the
idle time is looked at again later (the session's own idle timeout ends it first). Timers run
on the kiosk clock, so tests drive it with a `TestClock`.
"""
from __future__ import annotations

import logging
import threading
from datetime import tzinfo
from typing import TYPE_CHECKING, Callable

from foundation.clock import Clock, TimerHandle
from foundation.daily_times import seconds_until, within

if TYPE_CHECKING:  # or the snapshot's section (kiosk/config_snapshot.py): no pydantic before
    from kiosk.config import ScreenSection  # the first frame

log = logging.getLogger(__name__)


class ScreenBlanking:
    def __init__(self, settings: ScreenSection, *, clock: Clock,
                 session_active: Callable[[], bool], on_change: Callable[[bool], None],
                 zone: tzinfo | None = None) -> None:
        self.settings = settings
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
        return within(self.clock.now(), self.settings.blank_from, self.settings.wake_at,
                      self.zone)

    def _idle_long_enough(self) -> None:
        with self._lock:
            if self.session_active():
                self._wait_idle(self.settings.blank_after_idle_s)
            elif self._in_window():
                self._set(True)
                self._schedule(seconds_until(self.clock.now(), self.settings.wake_at,
                                             self.zone), self._wake_time)
            elif self.settings.blank_from != self.settings.wake_at:
                # untouched since, so idle long enough as the window opens
                self._wait_idle(seconds_until(self.clock.now(), self.settings.blank_from,
                                              self.zone))

    def _wake_time(self) -> None:
        with self._lock:
            self._set(False)
            self._wait_idle(self.settings.blank_after_idle_s)

    def _wait_idle(self, delay: float) -> None:
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
