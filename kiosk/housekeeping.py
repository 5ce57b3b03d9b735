"""Nightly housekeeping: what keeps a kiosk's disk and logs bounded over months.

Once a night at `[housekeeping] at` (kiosk local time): delivered items past their retention
that the district's latest backup holds are purged and blobs no item references removed (the
sync worker's own housekeeping, `SyncWorker.housekeeping`), the queue's database is compacted
when enough would come back and the disk has room (`Outbox.vacuum`), a fresh log file is
started, and the memory the C heap holds free is handed back to the system
(`kiosk/native_heap.py`: glibc keeps what Qt and the libraries freed through the day).
Never while a citizen is at the kiosk: it looks again every `retry_s` until the session has
ended. Timers run on the kiosk clock, so tests drive it with a `TestClock`.
"""
from __future__ import annotations

import logging
from collections import deque
from dataclasses import asdict, dataclass
from datetime import tzinfo
from typing import TYPE_CHECKING, Callable

from foundation.clock import Clock, TimerHandle
from foundation.daily_times import seconds_until
from kiosk import native_heap
from kiosk.config import HousekeepingSection

if TYPE_CHECKING:
    from offline_queue.store import Outbox

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HousekeepingDone:
    delivered_purged: int
    bytes_given_back: int
    logs_rotated: int
    #: resident bytes the C heap held free and handed back
    memory_given_back: int


class NightlyHousekeeping:
    def __init__(self, settings: HousekeepingSection, *, clock: Clock, outbox: Outbox,
                 purge: Callable[[], object], rotate_logs: Callable[[], int],
                 session_active: Callable[[], bool], zone: tzinfo | None = None) -> None:
        self.settings = settings
        self.clock = clock
        self.outbox = outbox
        self.purge = purge
        self.rotate_logs = rotate_logs
        self.session_active = session_active
        #: the kiosk's local time zone (None: the system's)
        self.zone = zone
        #: the last month's outcomes, newest last (bounded: the kiosk runs for months)
        self.done: deque[HousekeepingDone] = deque(maxlen=31)
        self._timer: TimerHandle | None = None
        self._stopped = False

    def start(self) -> None:
        self._schedule(self.seconds_until_next())

    def stop(self) -> None:
        self._stopped = True
        if self._timer is not None:
            self._timer.cancel()

    def seconds_until_next(self) -> float:
        """From now to the next `at`, kiosk local time (tomorrow's if it has passed)."""
        return seconds_until(self.clock.now(), self.settings.at, self.zone)

    def _schedule(self, delay: float) -> None:
        if not self._stopped:
            self._timer = self.clock.call_later(delay, self._due)

    def _due(self) -> None:
        if self.session_active():
            log.info("housekeeping waits: a citizen is at the kiosk")
            self._schedule(self.settings.retry_s)
            return
        try:
            self.run()
        except Exception:  # a full disk or a damaged database: try again the next night
            log.exception("nightly housekeeping failed")
        self._schedule(self.seconds_until_next())

    def run(self) -> HousekeepingDone:
        delivered_before = self.outbox.counts().delivered
        self.purge()
        done = HousekeepingDone(
            delivered_purged=delivered_before - self.outbox.counts().delivered,
            bytes_given_back=self.outbox.vacuum(self.settings.vacuum_min_bytes),
            logs_rotated=self.rotate_logs(), memory_given_back=native_heap.trim())
        log.info("nightly housekeeping done", extra=asdict(done))
        self.done.append(done)
        return done
