"""The durable outbox: transactions, sequence, migrations, storage failures, collection."""
from __future__ import annotations

import sqlite3

import pytest

from offline_queue.errors import StorageUnavailable
from offline_queue.store import ADDITIVE_MIGRATIONS, DELIVERED, MIGRATIONS, PENDING, \
    QUARANTINED, DeliveredReceipt, Outbox
from tests.foundation.newer_release import newer_release_step


def _add(outbox: Outbox, item_id: str, blobs: list[bytes] = ()) -> object:
    return outbox.add(item_id, "k-1", "audit", "2026-11-26T09:00:00+00:00", list(blobs),
                      lambda seq: (f'{{"seq":{seq}}}', f"digest-{seq}"))


def test_database_is_wal_with_full_sync_and_current_schema(tmp_path):
    outbox = Outbox(tmp_path)
    db = sqlite3.connect(tmp_path / "outbox.sqlite3")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert outbox._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert outbox.schema_version() == len(MIGRATIONS)


def test_sequence_is_per_kiosk_and_case_number_follows_it(tmp_path):
    outbox = Outbox(tmp_path)
    first, second = _add(outbox, "a"), _add(outbox, "b")
    assert (first.kiosk_seq, second.kiosk_seq) == (1, 2)
    assert second.case_number == "k-1-2"
    other = outbox.add("c", "k-2", "audit", "2026-11-26T09:00:00+00:00", [],
                       lambda seq: ("{}", "d"))
    assert other.kiosk_seq == 1


def test_blobs_are_on_disk_and_referenced_after_commit(tmp_path):
    outbox = Outbox(tmp_path)
    item = _add(outbox, "a", [b"one", b"two"])
    assert len(item.blobs) == 2
    assert all(outbox.blobs.read(sha) in (b"one", b"two") for sha in item.blobs)


def test_failed_envelope_builder_leaves_nothing_but_collectable_blobs(tmp_path):
    outbox = Outbox(tmp_path)

    def broken(seq: int):
        raise sqlite3.OperationalError("database or disk is full")

    with pytest.raises(StorageUnavailable, match="disk is full"):
        outbox.add("a", "k-1", "audit", "t", [b"orphan"], broken)
    assert outbox.counts().pending == 0 and outbox.last_seq("k-1") == 0
    assert len(list(outbox.blobs.addresses())) == 1
    assert outbox.collect_orphan_blobs() == 1
    assert _add(outbox, "b").kiosk_seq == 1


def test_full_database_raises_storage_unavailable_and_keeps_committed_items(tmp_path):
    outbox = Outbox(tmp_path)
    _add(outbox, "kept")
    pages = outbox._db.execute("PRAGMA page_count").fetchone()[0]
    outbox._db.execute(f"PRAGMA max_page_count={pages}")
    with pytest.raises(StorageUnavailable, match="full"):
        outbox.add("big", "k-1", "audit", "t", [], lambda seq: ("x" * 200_000, "d"))
    assert [i.item_id for i in outbox.items()] == ["kept"]
    assert outbox.integrity_check() == "ok"


def test_full_disk_while_writing_a_blob_is_storage_unavailable(tmp_path, monkeypatch):
    import errno
    import os
    outbox = Outbox(tmp_path)
    real_write = os.write

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(StorageUnavailable, match="No space left"):
        _add(outbox, "a", [b"attachment"])
    monkeypatch.setattr(os, "write", real_write)
    assert outbox.counts().pending == 0
    assert list(outbox.blobs.directory.iterdir()) == []  # the temp file went too



@pytest.mark.parametrize("failing", [0, 1, 2])
def test_an_io_error_flushing_any_one_blob_stores_none_of_the_item(tmp_path, monkeypatch,
                                                                     failing):
    """The blob files of an item are fsynced together, all but the first on helper threads,
    which the strace fault test (test_io_faults.py, main thread only) does not reach."""
    import errno
    import os
    import threading
    outbox = Outbox(tmp_path)
    real_fsync, calls, lock = os.fsync, [], threading.Lock()

    def fails_once(fd):
        with lock:
            calls.append(fd)
            if len(calls) == 1 + failing:
                raise OSError(errno.EIO, "Input/output error")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fails_once)
    with pytest.raises(StorageUnavailable, match="Input/output error"):
        _add(outbox, "a", [b"page one", b"page two", b"page three"])
    assert len(calls) >= 1 + failing  # every file was flushed (or tried) before the error
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert outbox.counts().pending == 0
    assert list(outbox.blobs.directory.iterdir()) == []  # no temp file, no blob renamed
    item = _add(outbox, "b", [b"page one", b"page two", b"page three"])
    assert sorted(outbox.blobs.read(sha) for sha in item.blobs) == \
        [b"page one", b"page three", b"page two"]


def test_corrupt_database_file_is_storage_unavailable_and_left_untouched(tmp_path):
    garbage = b"this is not a database" * 100
    (tmp_path / "outbox.sqlite3").write_bytes(garbage)
    with pytest.raises(StorageUnavailable, match="not a database"):
        Outbox(tmp_path)
    assert (tmp_path / "outbox.sqlite3").read_bytes() == garbage


def test_a_queue_a_rolled_back_update_grew_by_an_additive_step_keeps_working(tmp_path):
    outbox = Outbox(tmp_path)
    _add(outbox, "a")
    outbox.close()
    newer_release_step(tmp_path / "outbox.sqlite3", "ALTER TABLE items ADD COLUMN channel TEXT",
                       MIGRATIONS, ADDITIVE_MIGRATIONS, additive=True)
    again = Outbox(tmp_path)  # the version the update was rolled back to
    try:
        assert [item.item_id for item in again.iter_items()] == ["a"]
        assert _add(again, "b").kiosk_seq == 2
        assert again.schema_version() == len(MIGRATIONS) + 1
    finally:
        again.close()


def test_a_queue_a_newer_release_changed_in_a_way_this_one_cannot_read_is_refused(tmp_path):
    Outbox(tmp_path).close()
    newer_release_step(tmp_path / "outbox.sqlite3", "ALTER TABLE items DROP COLUMN last_error",
                       MIGRATIONS, ADDITIVE_MIGRATIONS, additive=False)
    with pytest.raises(StorageUnavailable, match="cannot read; run the newer software"):
        Outbox(tmp_path)


def test_reopening_keeps_items_and_sequence(tmp_path):
    outbox = Outbox(tmp_path)
    _add(outbox, "a")
    outbox.close()
    again = Outbox(tmp_path)
    assert _add(again, "b").kiosk_seq == 2


def test_delivery_requires_a_receipt_and_purge_frees_blobs(tmp_path):
    from datetime import datetime, timezone
    outbox = Outbox(tmp_path)
    item = _add(outbox, "a", [b"blob"])
    with pytest.raises(StorageUnavailable):
        outbox._update("UPDATE items SET state = 'delivered' WHERE item_id = 'a'", ())
    assert outbox.mark_delivered("a", "{}", 7, "2026-11-26T09:00:00+00:00")
    assert not outbox.mark_delivered("a", "{}", 7, "2026-11-26T09:00:00+00:00")
    assert outbox.purge_delivered(datetime(2026, 11, 27, tzinfo=timezone.utc)) == 1
    assert outbox.collect_orphan_blobs() == 1
    assert not outbox.blobs.exists(item.blobs[0])


def test_a_batch_s_outcomes_are_recorded_together_or_not_at_all(tmp_path):
    outbox = Outbox(tmp_path)
    for item_id in "abcd":
        _add(outbox, item_id)
    at = "2026-11-26T09:00:00+00:00"
    outbox.mark_delivered("a", "{}", 1, at)
    with pytest.raises(StorageUnavailable):  # a receipt the schema refuses: nothing recorded
        outbox.record_outcomes([DeliveredReceipt("b", "{}", 2, at),
                                DeliveredReceipt("c", None, 3, at)], {"d": "422 invalid"})
    assert [outbox.get(i).state for i in "bcd"] == [PENDING] * 3
    newly = outbox.record_outcomes([DeliveredReceipt(i, "{}", n, at)
                                    for n, i in enumerate("abc", 1)], {"d": "422 invalid"})
    assert newly == {"b", "c"}  # "a" was delivered before
    assert [outbox.get(i).state for i in "abcd"] == [DELIVERED] * 3 + [QUARANTINED]
    assert outbox.get("d").last_error == "422 invalid"


def test_quarantine_and_release(tmp_path):
    outbox = Outbox(tmp_path)
    _add(outbox, "a")
    outbox.quarantine("a", "409 conflict")
    counts = outbox.counts()
    assert (counts.pending, counts.quarantined) == (0, 1)
    assert outbox.get("a").last_error == "409 conflict"
    assert outbox.release_quarantined() == 1
    assert outbox.counts().pending == 1


def test_orphan_collection_in_another_process_waits_for_a_commit_in_flight(tmp_path):
    import threading
    kiosk, operator = Outbox(tmp_path), Outbox(tmp_path)  # two processes' views
    inside, release = threading.Event(), threading.Event()

    def slow_envelope(seq: int):
        inside.set()  # blobs are written, the rows naming them are not committed yet
        release.wait(30)
        return "{}", "d"

    writer = threading.Thread(target=kiosk.add, args=("a", "k-1", "audit", "t", [b"fresh"],
                                                      slow_envelope))
    writer.start()
    assert inside.wait(30)
    collected: list[int] = []
    collector = threading.Thread(target=lambda: collected.append(
        operator.collect_orphan_blobs()))
    collector.start()
    collector.join(timeout=0.3)
    assert collector.is_alive()  # blocked on the blob-write lock
    release.set()
    writer.join(30)
    collector.join(30)
    assert collected == [0]
    assert kiosk.blobs.exists(kiosk.get("a").blobs[0])


def test_a_new_migration_upgrades_an_existing_database_and_keeps_its_items(tmp_path,
                                                                          monkeypatch):
    import offline_queue.store as store
    old = Outbox(tmp_path)
    _add(old, "kept")
    old.close()
    monkeypatch.setattr(store, "MIGRATIONS",
                        (*MIGRATIONS, "ALTER TABLE items ADD COLUMN note TEXT DEFAULT ''"))
    upgraded = Outbox(tmp_path)
    assert upgraded.schema_version() == len(MIGRATIONS) + 1
    assert [i.item_id for i in upgraded.items()] == ["kept"]
    assert _add(upgraded, "next").kiosk_seq == 2
