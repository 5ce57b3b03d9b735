"""A citizen's session: idle tracking, the "are you still there?" warning, and the wipe.

Qt-free so journeys, tests and the UI share it. Time comes from the kiosk `Clock`:
after `idle_timeout_s` without a touch the session warns (`on_warning(seconds_left)`,
then `on_tick(seconds_left)` once a second); a touch or `extend()` during the warning
cancels it (`on_extended()`); when the countdown runs out every registered personal
data holder is wiped and `on_wipe(reason)` runs.

Callbacks run on whatever thread fires the clock's timers (a timer thread for the
`SystemClock`, the advancing thread for a `TestClock`); the UI marshals them onto the
Qt thread with signals.
"""
from __future__ import annotations

import logging
import threading
from enum import StrEnum
from typing import Callable, Protocol

from foundation.clock import Clock, TimerHandle

log = logging.getLogger(__name__)


class PersonalDataHolder(Protocol):
    def wipe(self) -> None:
        """Forget every piece of personal data held (names, numbers, photos, forms)."""


class SessionState(StrEnum):
    IDLE = "idle"          # nobody is using the kiosk (attract screen)
    ACTIVE = "active"      # a citizen is using it; the idle timer runs
    WARNING = "warning"    # "are you still there?" countdown is showing


class WipeReason(StrEnum):
    TIMEOUT = "timeout"    # nobody answered the idle warning
    FINISHED = "finished"  # the journey ended (or the citizen pressed Home)


def _ignore(*_args: object) -> None:
    pass


class Session:
    def __init__(self, clock: Clock, *, idle_timeout_s: float, warning_s: float,
                 on_warning: Callable[[int], None] = _ignore,
                 on_tick: Callable[[int], None] = _ignore,
                 on_extended: Callable[[], None] = _ignore,
                 on_wipe: Callable[[WipeReason], None] = _ignore) -> None:
        if warning_s < 20:
            raise ValueError("the idle warning must give at least 20 s to extend")
        if idle_timeout_s <= 0:
            raise ValueError("the idle timeout must be positive")
        self.clock = clock
        self.idle_timeout_s = float(idle_timeout_s)
        self.warning_s = float(warning_s)
        self.on_warning, self.on_tick = on_warning, on_tick
        self.on_extended, self.on_wipe = on_extended, on_wipe
        self._lock = threading.RLock()
        self._state = SessionState.IDLE
        self._last_touch = clock.monotonic()
        self._warning_ends = 0.0
        self._timer: TimerHandle | None = None
        self._holders: list[PersonalDataHolder] = []

    # --- state -------------------------------------------------------------

    @property
    def state(self) -> SessionState:
        with self._lock:
            return self._state

    def seconds_left(self) -> int:
        """Seconds until the wipe while warning (rounded up), else 0."""
        with self._lock:
            if self._state is not SessionState.WARNING:
                return 0
            return max(0, int(-(-(self._warning_ends - self.clock.monotonic()) // 1)))

    def seconds_until_wipe(self) -> int:
        """While a citizen is here: seconds until an untouched screen wipes (the countdown
        every screen shows; a touch starts it again); 0 between citizens."""
        with self._lock:
            if self._state is SessionState.IDLE:
                return 0
            if self._state is SessionState.WARNING:
                ends = self._warning_ends
            else:
                ends = self._last_touch + self.idle_timeout_s + self.warning_s
            return max(0, int(-(-(ends - self.clock.monotonic()) // 1)))

    # --- personal data -------------------------------------------------------

    def register(self, holder: PersonalDataHolder) -> Callable[[], None]:
        """Wipe `holder` with the session; returns a function that unregisters it."""
        with self._lock:
            self._holders.append(holder)

        def unregister() -> None:
            with self._lock:
                if holder in self._holders:
                    self._holders.remove(holder)
        return unregister

    # --- events from the citizen ----------------------------------------------

    def begin(self) -> None:
        """A citizen started using the kiosk: the idle timer starts."""
        with self._lock:
            if self._state is SessionState.IDLE:
                self._state = SessionState.ACTIVE
            self._last_touch = self.clock.monotonic()
            self._schedule(self.idle_timeout_s)

    def touch(self) -> None:
        """Any touch: resets the idle timer, and answers the warning if it is showing."""
        extended = False
        with self._lock:
            if self._state is SessionState.IDLE:
                return
            self._last_touch = self.clock.monotonic()
            if self._state is SessionState.WARNING:
                self._state = SessionState.ACTIVE
                self._schedule(self.idle_timeout_s)
                extended = True
        if extended:
            self.on_extended()

    extend = touch

    def end(self) -> None:
        """The journey is over (finished, or Home pressed): wipe without waiting."""
        self._wipe(WipeReason.FINISHED)

    # --- timers ----------------------------------------------------------------

    def _schedule(self, delay: float) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = self.clock.call_later(delay, self._due)

    def _due(self) -> None:
        warn = tick = wipe = False
        with self._lock:
            now = self.clock.monotonic()
            if self._state is SessionState.ACTIVE:
                idle_until = self._last_touch + self.idle_timeout_s
                if now < idle_until:  # touched since this timer was set
                    self._schedule(idle_until - now)
                    return
                self._state = SessionState.WARNING
                self._warning_ends = now + self.warning_s
                self._schedule(min(1.0, self.warning_s))
                warn = True
            elif self._state is SessionState.WARNING:
                if now >= self._warning_ends:
                    wipe = True
                else:
                    self._schedule(min(1.0, self._warning_ends - now))
                    tick = True
            else:
                return
        if warn:
            self.on_warning(self.seconds_left())
        elif tick:
            self.on_tick(self.seconds_left())
        elif wipe:
            self._wipe(WipeReason.TIMEOUT)

    def _wipe(self, reason: WipeReason) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            was = self._state
            self._state = SessionState.IDLE
            holders = list(self._holders)
        for holder in holders:
            try:
                holder.wipe()
            except Exception:  # one broken holder must not keep the others' data alive
                log.exception("wiping a personal data holder failed",
                              extra={"holder": type(holder).__name__})
        log.info("session wiped", extra={"reason": str(reason), "was": str(was),
                                         "holders": len(holders)})
        self.on_wipe(reason)
