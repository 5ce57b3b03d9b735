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


def test_add_returns_the_item_as_it_was_committed(tmp_path):
    outbox = Outbox(tmp_path)
    added = _add(outbox, "a", [b"two", b"one", b"two"])
    assert added == outbox.get("a") and added.state == PENDING and len(added.blobs) == 2


def test_blobs_are_stored_and_referenced_with_the_item(tmp_path):
    outbox = Outbox(tmp_path)
    item = _add(outbox, "a", [b"one", b"two"])
    assert len(item.blobs) == 2
    assert sorted(outbox.blobs.read(sha) for sha in item.blobs) == [b"one", b"two"]
    assert [outbox.blobs.size(sha) for sha in item.blobs] == [3, 3]
    assert outbox.blobs.read(item.blobs[0], 1, 1) in (b"n", b"w")
    assert outbox.blobs.read(item.blobs[0], 1) in (b"ne", b"wo")
    assert not (tmp_path / "blobs").exists()  # no file per blob any more


def test_failed_envelope_builder_leaves_nothing(tmp_path):
    outbox = Outbox(tmp_path)

    def broken(seq: int):
        raise sqlite3.OperationalError("database or disk is full")

    with pytest.raises(StorageUnavailable, match="disk is full"):
        outbox.add("a", "k-1", "audit", "t", [b"orphan"], broken)
    assert outbox.counts().pending == 0 and outbox.last_seq("k-1") == 0
    assert list(outbox.blobs.addresses()) == []  # rolled back with the item
    assert outbox.collect_orphan_blobs() == 0
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


def test_a_full_database_while_storing_the_blobs_stores_none_of_the_item(tmp_path):
    outbox = Outbox(tmp_path)
    kept = _add(outbox, "kept", [b"small page"])
    pages = outbox._db.execute("PRAGMA page_count").fetchone()[0]
    outbox._db.execute(f"PRAGMA max_page_count={pages + 4}")
    with pytest.raises(StorageUnavailable, match="full"):
        _add(outbox, "big", [bytes(100_000), bytes(range(256)) * 400])
    assert [i.item_id for i in outbox.items()] == ["kept"]
    assert list(outbox.blobs.addresses()) == list(kept.blobs)
    assert outbox.integrity_check() == "ok"


def test_blob_files_of_the_release_before_the_blobs_table_stay_readable(tmp_path, monkeypatch):
    import hashlib
    import offline_queue.store as store
    monkeypatch.setattr(store, "MIGRATIONS", MIGRATIONS[:1])
    old = Outbox(tmp_path)
    _add(old, "old")
    sealed = b"sealed page stored as a file"
    address = hashlib.sha256(sealed).hexdigest()
    (tmp_path / "blobs").mkdir()
    (tmp_path / "blobs" / address).write_bytes(sealed)  # as that release wrote it
    (tmp_path / "blobs" / ".tmp-left-by-a-crash").write_bytes(b"partial")
    old._db.execute("INSERT INTO item_blobs (item_id, sha256) VALUES ('old', ?)", (address,))
    old.close()
    monkeypatch.undo()
    upgraded = Outbox(tmp_path)
    assert upgraded.schema_version() == len(MIGRATIONS)
    assert upgraded.get("old").blobs == (address,)
    assert upgraded.blobs.exists(address) and upgraded.blobs.size(address) == len(sealed)
    assert upgraded.blobs.read(address) == sealed
    assert upgraded.blobs.read(address, 7, 4) == b"page"
    new = _add(upgraded, "new", [b"sealed page stored as a row"])
    assert set(upgraded.blobs.addresses()) == {address, *new.blobs}
    assert upgraded.collect_orphan_blobs() == 1  # the crash's temp file
    upgraded.mark_delivered("old", "{}", 1, "2026-11-26T09:00:00+00:00")
    assert upgraded.purge_delivered(None) == 1
    assert upgraded.collect_orphan_blobs() == 1
    assert not upgraded.blobs.exists(address) and list(upgraded.blobs.addresses()) == \
        list(new.blobs)


def test_the_release_before_the_blobs_table_refuses_the_queue_naming_the_fix(tmp_path,
                                                                            monkeypatch):
    """Its items' blobs are rows that release would not find: it must not send them."""
    import offline_queue.store as store
    Outbox(tmp_path).close()
    monkeypatch.setattr(store, "MIGRATIONS", MIGRATIONS[:1])
    with pytest.raises(StorageUnavailable, match="cannot read; run the newer software"):
        Outbox(tmp_path)


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
    assert collector.is_alive()  # blocked on the write transaction in flight
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
