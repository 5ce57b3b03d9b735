"""Nightly housekeeping on the test clock: at the configured hour, never while a citizen is
at the kiosk; delivered items the backup holds purged, their blobs removed, the database
compacted, a fresh log file."""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone

import pytest

from foundation.clock import TestClock
from kiosk.config import HousekeepingSection
from kiosk.housekeeping import NightlyHousekeeping
from kiosk.native_heap import heap_figures
from offline_queue.store import Outbox

KIOSK = "kiosk-hk-01"
SETTINGS = HousekeepingSection(at="03:30", retry_s=300.0, vacuum_min_bytes=1_000_000)
HOUR = 3600.0


class Night:
    """A kiosk's queue with 40 items, 30 of them delivered and 20 of those in the backup."""

    def __init__(self, tmp_path, clock: TestClock) -> None:
        self.outbox = Outbox(tmp_path / "queue")
        self.citizen = False
        self.rotations = 0
        for n in range(40):
            envelope = "x" * 60_000  # sealed payloads are large: their pages come back
            item = self.outbox.add(f"item-{n}", KIOSK, "submission", "2026-11-26T09:00:00Z",
                                   [f"page of item {n}".encode() * 100],
                                   lambda _seq, e=envelope: (e, hashlib.sha256(
                                       e.encode()).hexdigest()))
            if n < 30:
                self.outbox.mark_delivered(item.item_id, "{}", n + 1, "2026-11-26T09:00:00Z")
        self.outbox.set_state(backup_watermark=20)
        self.housekeeping = NightlyHousekeeping(
            SETTINGS, clock=clock, outbox=self.outbox, purge=self.purge,
            rotate_logs=self.rotate, session_active=lambda: self.citizen, zone=timezone.utc)

    def purge(self) -> None:  # what SyncWorker.housekeeping does past the retention
        self.outbox.purge_delivered(None, self.outbox.get_state("backup_watermark"))
        self.outbox.collect_orphan_blobs()

    def rotate(self) -> int:
        self.rotations += 1
        return 1


def on_disk(outbox: Outbox) -> int:
    """The database's bytes with its write-ahead log."""
    return sum(path.stat().st_size for path in outbox.directory.glob("outbox.sqlite3*"))


@pytest.fixture
def clock():
    return TestClock(datetime(2026, 11, 26, 22, 0, tzinfo=timezone.utc))


@pytest.fixture
def night(tmp_path, clock):
    made = Night(tmp_path, clock)
    made.housekeeping.start()
    yield made
    made.housekeeping.stop()
    made.outbox.close()


def test_it_runs_at_the_configured_hour_and_again_the_next_night(night, clock):
    clock.advance(5.5 * HOUR - 1)  # 03:29:59
    assert not night.housekeeping.done
    clock.advance(1)
    assert len(night.housekeeping.done) == 1
    clock.advance(24 * HOUR - 1)
    assert len(night.housekeeping.done) == 1
    clock.advance(1)
    assert len(night.housekeeping.done) == 2


def test_a_kiosk_running_for_months_keeps_the_last_month_of_nights(night, clock):
    clock.advance(5.5 * HOUR + 40 * 24 * HOUR)   # 41 nights
    assert len(night.housekeeping.done) == 31


def test_it_purges_what_the_backup_holds_removes_blobs_compacts_and_rotates(night, clock):
    size_before = on_disk(night.outbox)
    blobs_before = len(list(night.outbox.blobs.addresses()))
    clock.advance(5.5 * HOUR)
    [done] = night.housekeeping.done
    assert done.delivered_purged == 20
    counts = night.outbox.counts()
    assert (counts.pending, counts.delivered) == (10, 10)  # never a pending or unbacked one
    assert done.bytes_given_back > 1_000_000
    assert on_disk(night.outbox) < size_before - 1_000_000
    blobs_after = len(list(night.outbox.blobs.addresses()))
    assert blobs_after == blobs_before - 20
    assert night.rotations == 1 and done.logs_rotated == 1
    assert night.outbox.integrity_check() == "ok"


def test_it_waits_while_a_citizen_is_at_the_kiosk(night, clock):
    night.citizen = True
    clock.advance(5.5 * HOUR)
    clock.advance(SETTINGS.retry_s)
    assert not night.housekeeping.done and night.outbox.counts().delivered == 30
    night.citizen = False
    clock.advance(SETTINGS.retry_s)
    assert len(night.housekeeping.done) == 1
    assert night.outbox.counts().delivered == 10


def test_it_hands_back_the_memory_the_heap_holds_free(night, clock):
    """What was freed through the day (below glibc's mmap threshold, under a chunk still in
    use) stays resident in the C heap until it is trimmed; some of it the night's own work
    (the database's caches) may take again."""
    if heap_figures() is None:
        pytest.skip("the C library gives no heap figures (not glibc 2.33 or later)")
    freed = [b"x" * 100_000 for _ in range(384)]
    kept = b"y" * 100_000
    del freed
    clock.advance(5.5 * HOUR)
    [done] = night.housekeeping.done
    assert done.memory_given_back >= 250 * 100_000
    assert kept == b"y" * 100_000


def test_too_little_to_give_back_leaves_the_database_alone(tmp_path, clock):
    night = Night(tmp_path, clock)
    night.outbox.set_state(backup_watermark=1)  # one item's pages: under the limit
    done = night.housekeeping.run()
    assert (done.delivered_purged, done.bytes_given_back) == (1, 0)
    night.outbox.close()


def test_rotating_the_logs_starts_a_fresh_file(tmp_path):
    import logging

    from kiosk.logging_setup import configure_logging, rotate_logs
    path = configure_logging(tmp_path / "logs")
    try:
        logging.getLogger("kiosk.test").warning("before the night")
        assert rotate_logs() == 1
        assert "before the night" in (tmp_path / "logs" / "kiosk.log.1").read_text()
        assert path.read_text() == ""
    finally:
        for handler in list(logging.getLogger().handlers):
            if getattr(handler, "_kiosk", False):
                logging.getLogger().removeHandler(handler)
                handler.close()
