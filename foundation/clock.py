"""The one source of time. Nothing else reads the wall clock or sleeps on it.

`SystemClock` is the production clock; `TestClock` only moves when a test (or a
scenario's `advance_clock` step) advances it, and fires the timers that fall due.
"""
from __future__ import annotations

import heapq
import itertools
import threading
import time
from datetime import datetime, timedelta, timezone
from typing import Callable, Protocol


class TimerHandle(Protocol):
    def cancel(self) -> None: ...


class Clock(Protocol):
    def monotonic(self) -> float:
        """Seconds on a clock that never goes backwards (timeouts, durations)."""

    def now(self) -> datetime:
        """Aware UTC wall-clock time (receipts, dates shown to the citizen)."""

    def call_later(self, delay: float, callback: Callable[[], None]) -> TimerHandle:
        """Run `callback` once after `delay` seconds, on a timer thread."""

    def wait(self, event: threading.Event, timeout: float) -> bool:
        """Wait for `event` up to `timeout` clock-seconds; True when it was set."""


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    def call_later(self, delay: float, callback: Callable[[], None]) -> TimerHandle:
        timer = threading.Timer(max(0.0, delay), callback)
        # one thread a timer: named after who set it and what it calls, not `Thread-N`, so
        # that the process's threads by name (bench/soak.py) say what comes and goes
        called = getattr(callback, "__qualname__", type(callback).__name__)
        timer.name = f"{threading.current_thread().name} timer ({called})"
        timer.daemon = True
        timer.start()
        return timer

    def wait(self, event: threading.Event, timeout: float) -> bool:
        return event.wait(timeout)


class _Timer:
    """A `TestClock` timer; the earlier due first, then the earlier set. (Not a dataclass:
    defining one costs 2-4 M instructions, before the attract screen's first frame here.)"""

    def __init__(self, due: float, order: int, callback: Callable[[], None]) -> None:
        self.due, self.order, self.callback, self.cancelled = due, order, callback, False

    def __lt__(self, other: _Timer) -> bool:
        return (self.due, self.order) < (other.due, other.order)

    def cancel(self) -> None:
        self.cancelled = True


class TestClock:
    """A clock that stands still until `advance()`; timers fire in due order."""

    __test__ = False  # not a pytest class

    def __init__(self, start: datetime | None = None) -> None:
        self._wall0 = start or datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)
        self._elapsed = 0.0
        self._timers: list[_Timer] = []
        self._order = itertools.count()
        self._lock = threading.RLock()
        self._moved = threading.Condition(self._lock)

    def monotonic(self) -> float:
        with self._lock:
            return self._elapsed

    def now(self) -> datetime:
        with self._lock:
            return self._wall0 + timedelta(seconds=self._elapsed)

    def call_later(self, delay: float, callback: Callable[[], None]) -> TimerHandle:
        with self._lock:
            timer = _Timer(self._elapsed + max(0.0, delay), next(self._order), callback)
            heapq.heappush(self._timers, timer)
            return timer

    def wait(self, event: threading.Event, timeout: float) -> bool:
        deadline = self.monotonic() + timeout
        with self._moved:
            while not event.is_set() and self._elapsed < deadline:
                self._moved.wait(0.05)  # woken by advance(); the poll only catches event.set()
        return event.is_set()

    def advance(self, seconds: float) -> None:
        """Move time forward, firing every timer that falls due, in order."""
        with self._lock:
            target = self._elapsed + seconds
        while True:
            with self._lock:
                if not self._timers or self._timers[0].due > target:
                    self._elapsed = target
                    self._moved.notify_all()
                    return
                timer = heapq.heappop(self._timers)
                self._elapsed = max(self._elapsed, timer.due)
                self._moved.notify_all()
            if not timer.cancelled:
                timer.callback()

    def pending(self) -> int:
        with self._lock:
            return sum(1 for t in self._timers if not t.cancelled)
