"""Queue and intake integrity against the real queue and a live district server: one bad
item never holds back the others, a re-enrolled kiosk never re-uses a number, an upload
cut by a server crash completes, a damaged queue is salvaged."""
from __future__ import annotations

import random
import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from offline_queue.sink import OutboxSink
from offline_queue.store import DELIVERED, PAGE_SIZE, PENDING, QUARANTINED
from offline_queue.sync import ITEM_FAILURES_MEANING_SERVER_FAULT
from offline_queue.testing.faultproxy import FaultProxy
from tests.offline_queue.helpers import application
from tests.offline_queue.live_district import LiveDistrict
from tests.offline_queue.test_sync_faults import SETTINGS, make_kiosk, open_kiosk


@pytest.fixture(params=["v1", "v1.1"])
def protocol(request) -> str:
    """Each test runs with submissions one by one (v1) and in batches (v1.1)."""
    return request.param


@pytest.fixture
def kiosk(protocol, tmp_path, test_clock):
    with LiveDistrict(tmp_path / "district", submission_batches=protocol == "v1.1") as district, \
            FaultProxy("127.0.0.1", district.port) as proxy:
        yield make_kiosk(district, proxy, tmp_path / "kiosk", test_clock)


@pytest.fixture
def fail_intake(monkeypatch):
    """`fail_intake(ids)` makes the live server's intake raise (a 500) for these submission
    ids, `fail_intake(None)` for every one, whichever protocol carries them."""
    from district_server.cases import service as cases
    failing: set[str] | None = set()
    # every kind's effects start here, whether a batch writes it with others or alone
    new_rows = cases.new_rows

    def failing_new_rows(session, ctx, *, envelope, **kwargs):
        if failing is None or envelope.submission_id in failing:
            raise RuntimeError("intake failed")
        return new_rows(session, ctx, envelope=envelope, **kwargs)

    def fail(ids: list[str] | None) -> None:
        nonlocal failing
        failing = None if ids is None else set(ids)
    monkeypatch.setattr(cases, "new_rows", failing_new_rows)
    return fail


def _poison_application(n: int) -> dict:
    """Defers a material the catalogue does not know (a kiosk on an older catalogue)."""
    payload = application(n)
    payload["materials"] = [{"code": "retired_form", "status": "deferred"}]
    payload["commitment"] = {"materials": ["retired_form"], "text_version": "v1",
                             "signature_blob": "blob:signature",
                             "signed_at": "2026-11-26T09:00:00Z",
                             "due_date": date(2026, 12, 3).isoformat(),
                             "supply_channel": "window"}
    return payload


def test_an_invalid_item_is_answered_422_naming_it_and_set_aside_while_others_flow(kiosk):
    poison = kiosk.sink.enqueue("submission", _poison_application(1),
                                {"blob:signature": random.randbytes(500)}).item_id
    fine = kiosk.submit(2)
    result = kiosk.worker.sync_once()
    assert result.ok and result.delivered == 1 and result.quarantined == 1
    assert kiosk.outbox.get(fine).state == DELIVERED
    set_aside = kiosk.outbox.get(poison)
    assert set_aside.state == QUARANTINED
    assert "422" in set_aside.last_error and "retired_form" in set_aside.last_error
    assert "set aside" in kiosk.worker.status().alert


def test_an_item_the_server_always_fails_is_set_aside_after_the_limit(kiosk, fail_intake):
    poison = kiosk.submit(1)
    fail_intake([poison])
    delivered = set()
    for n in range(SETTINGS.item_failure_limit):
        delivered.add(kiosk.submit(100 + n))
        result = kiosk.worker.sync_once()
        assert result.delivered == 1  # the rest flows past the failing item every time
        assert not result.ok and result.next_delay_s <= SETTINGS.backoff_cap_s
    assert {i.item_id for i in kiosk.outbox.iter_items(DELIVERED)} == delivered
    item = kiosk.outbox.get(poison)
    assert item.state == QUARANTINED and "failed this item 5 times" in item.last_error
    assert "set aside" in kiosk.worker.status().alert
    assert kiosk.worker.sync_once().ok  # nothing is held back any more


def test_a_server_failing_everything_is_transient_and_nothing_is_set_aside(
        kiosk, fail_intake, protocol):
    items = [kiosk.submit(n) for n in range(5)]
    fail_intake(None)
    for _ in range(SETTINGS.item_failure_limit * 2):
        result = kiosk.worker.sync_once()
        assert not result.ok and result.delivered == 0 and result.quarantined == 0
    assert all(kiosk.outbox.get(i).state == PENDING and kiosk.outbox.get(i).attempts == 0
               for i in items)
    if protocol == "v1":  # one by one, the kiosk stops after a few failures in a row
        per_cycle = ITEM_FAILURES_MEANING_SERVER_FAULT
        assert kiosk.requests("PUT", "/submissions/") == \
            per_cycle * SETTINGS.item_failure_limit * 2


def test_two_poison_items_in_a_row_do_not_block_the_rest(kiosk, fail_intake):
    poisons = [kiosk.submit(n) for n in range(2)]
    fail_intake(poisons)
    for n in range(SETTINGS.item_failure_limit):
        kiosk.submit(100 + n)
        assert kiosk.worker.sync_once().delivered == 1
    assert all(kiosk.outbox.get(p).state == QUARANTINED for p in poisons)


def test_an_upload_cut_between_publish_and_commit_completes_after_the_server_restarts(
        tmp_path, test_clock):
    with LiveDistrict(tmp_path / "district", chunk_bytes=64 * 1024) as district, \
            FaultProxy("127.0.0.1", district.port) as proxy:
        kiosk = make_kiosk(district, proxy, tmp_path / "kiosk", test_clock)
        item = kiosk.outbox.get(kiosk.submit(1, pages=1, page_bytes=300_000))  # 5 chunks
        proxy.inject("reset_request", method="PATCH", after=4)  # the last chunk is cut
        assert not kiosk.worker.sync_once().ok
        (sha,) = item.blobs
        upload_id = kiosk.outbox.get_state(f"upload:{sha}")["upload_id"]
        district.stop()
        # the disk as a crash leaves it: the last chunk written and the file renamed into
        # place, the database transaction recording it never committed
        store = district.app.state.ctx.blobs
        data = kiosk.outbox.blobs.read(sha)
        offset = 4 * 64 * 1024
        store.write_chunk(upload_id, offset, data[offset:])
        store.publish(upload_id, sha)
        district.start()
        proxy.upstream = ("127.0.0.1", district.port)
        kiosk.sync_until_ok(2)
        kiosk.assert_exactly_once()


def test_a_kiosk_re_enrolled_on_a_fresh_disk_never_reissues_a_number(kiosk, tmp_path,
                                                                      test_clock):
    first = [kiosk.outbox.get(kiosk.submit(n)) for n in range(3)]
    kiosk.sync_until_ok(1)
    # the disk is swapped: same kiosk id, empty queue directory, new signing key
    swapped = make_kiosk(kiosk.district, kiosk.proxy, tmp_path / "new-disk", test_clock)
    issued = swapped.sink.enqueue("submission", application(9))
    assert issued.kiosk_seq == 4
    assert issued.case_number not in {item.case_number for item in first}
    result = swapped.sync_until_ok(1)
    assert result.delivered == 1 and result.quarantined == 0
    assert swapped.outbox.get(issued.item_id).state == DELIVERED


def test_items_of_a_former_kiosk_id_are_held_not_resent_under_the_new_one(kiosk, tmp_path,
                                                                          test_clock):
    delivered = [kiosk.submit(n) for n in range(2)]
    kiosk.sync_until_ok(1)
    held = kiosk.submit(3)  # not yet sent when the kiosk is enrolled under a new id
    kiosk.outbox.close()
    renamed = make_kiosk(kiosk.district, kiosk.proxy, tmp_path / "kiosk", test_clock,
                         kiosk_id="kiosk-new-02")
    fresh = renamed.submit(4)
    for _ in range(2):
        result = renamed.worker.sync_once()
        assert result.ok and result.error is None
    assert renamed.outbox.get(fresh).state == DELIVERED
    assert all(renamed.outbox.get(i).state == DELIVERED for i in delivered)
    assert renamed.outbox.get(held).state == PENDING
    assert renamed.requests("PUT", held) == 0
    status = renamed.worker.status()
    assert status.held_other_ids == 1 and "kiosk queue export" in status.alert
    assert status.paused is None
    # enrolled under the former id again, the held item is delivered under it
    back = make_kiosk(kiosk.district, kiosk.proxy, tmp_path / "kiosk", test_clock)
    assert back.worker.sync_once().delivered == 1
    assert back.outbox.get(held).state == DELIVERED


def damage_page_holding(database: Path, marker: bytes) -> None:
    """16 bytes overwritten at the start of the `items` table page that stores `marker`."""
    db = sqlite3.connect(database)
    leaves = [row[0] for row in db.execute("SELECT pageno FROM dbstat "
                                           "WHERE name = 'items' AND pagetype = 'leaf'")]
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    db.close()
    data = database.read_bytes()
    (page,) = [p for p in leaves if marker in data[(p - 1) * page_size:p * page_size]]
    with database.open("r+b") as handle:
        handle.seek((page - 1) * page_size)
        handle.write(b"\xa5" * 16)


def test_a_damaged_queue_page_is_salvaged_and_everything_readable_flows(kiosk, tmp_path,
                                                                       test_clock):
    items = [kiosk.outbox.get(kiosk.submit(n, pages=0)) for n in range(40)]
    kiosk.sync_until_ok(1)
    pending = [kiosk.outbox.get(kiosk.submit(100 + n, pages=1)) for n in range(40)]
    kiosk.outbox.close()  # checkpoints the WAL into the file
    directory = tmp_path / "kiosk"
    victim = pending[20]
    damage_page_holding(directory / "outbox.sqlite3", victim.item_id.encode())
    with pytest.raises(sqlite3.DatabaseError, match="malformed"):
        sqlite3.connect(directory / "outbox.sqlite3").execute(
            "SELECT count(*), max(length(envelope)) FROM items").fetchall()

    salvaged = open_kiosk(kiosk.district, kiosk.proxy, directory, test_clock)
    aside = list(directory.glob("outbox.sqlite3.damaged-*[0-9]Z"))
    assert len(aside) == 1 and aside[0].stat().st_size > 0
    recovered = {i.item_id: i for i in salvaged.outbox.iter_items()}
    assert victim.item_id not in recovered
    lost = {i.item_id for i in items + pending} - recovered.keys()
    rows_per_page = PAGE_SIZE // min(len(i.envelope) for i in items + pending)
    assert 0 < len(lost) <= rows_per_page  # only the damaged page's rows
    assert all(recovered[i.item_id].state == DELIVERED for i in items
               if i.item_id in recovered)
    assert "damaged" in salvaged.worker.status().alert
    issued = salvaged.sink.enqueue("submission", application(999))
    assert issued.kiosk_seq == 81  # never a number issued before the damage
    result = salvaged.worker.sync_once()
    assert result.ok and result.delivered == sum(
        1 for i in pending if i.item_id in recovered) + 1
    assert salvaged.outbox.integrity_check() == "ok"


def _backup(district, target: Path) -> None:
    from district_server.cli import main as district_server
    assert district_server(["--data-dir", str(district.data_dir), "backup", str(target)]) == 0


def test_a_district_restored_from_its_latest_backup_gets_back_what_it_lacks(kiosk, tmp_path,
                                                                            test_clock):
    backed_up = [kiosk.submit(n) for n in range(3)]
    kiosk.sync_until_ok(1)
    _backup(kiosk.district, tmp_path / "backup")
    after_backup = [kiosk.submit(10 + n) for n in range(3)]
    kiosk.sync_until_ok(1)
    test_clock.advance(SETTINGS.delivered_retention_s + 60)
    assert kiosk.worker.sync_once().ok and kiosk.worker.sync_once().ok
    kept = {i.item_id for i in kiosk.outbox.iter_items()}
    assert kept == set(after_backup)  # past retention, but only the backup holds the rest

    kiosk.district.restore(tmp_path / "backup")
    kiosk.proxy.upstream = ("127.0.0.1", kiosk.district.port)
    kiosk.sync_until_ok(2)
    on_server = {sid for sid, _ in kiosk.district.submission_ids(kiosk.identity.kiosk_id)}
    assert on_server == set(backed_up) | set(after_backup)


def test_a_full_disk_is_cleared_of_backed_up_items_even_while_the_server_is_away(
        kiosk, tmp_path, test_clock):
    backed_up = [kiosk.submit(n) for n in range(3)]
    kiosk.sync_until_ok(1)
    _backup(kiosk.district, tmp_path / "backup")
    not_backed_up = kiosk.submit(10)
    kiosk.sync_until_ok(1)  # delivered after the backup; learns its watermark
    unsent = kiosk.submit(11)
    kiosk.district.stop()
    # the disk falls below the guard: the sink refuses new items, the sync clears space
    kiosk.worker.settings = replace(SETTINGS, min_free_bytes=1 << 62)
    guarded = OutboxSink(kiosk.outbox, clock=test_clock, min_free_bytes=1 << 62)
    assert "bytes free" in guarded.can_accept()
    result = kiosk.worker.sync_once()
    assert not result.ok
    left = {i.item_id: i.state for i in kiosk.outbox.iter_items()}
    assert left == {not_backed_up: DELIVERED, unsent: PENDING}
    assert not set(backed_up) & left.keys()


def test_against_an_older_district_the_sequence_is_read_from_its_receipts(kiosk):
    """An older server does not answer last_kiosk_seq: enrolment reads the receipts."""
    from offline_queue.enrolment import _highest_receipted_seq
    for n in range(3):
        kiosk.submit(n)
    kiosk.sync_until_ok(1)
    assert _highest_receipted_seq(kiosk.worker.transport, kiosk.identity.kiosk_id) == 3


def test_a_queue_that_lost_its_numbering_continues_after_what_the_district_holds(
        kiosk, tmp_path, test_clock):
    for n in range(3):
        kiosk.submit(n)
    kiosk.sync_until_ok(1)
    kiosk.outbox.close()
    # what a salvage that could not read the numbering and the items would leave
    db = sqlite3.connect(tmp_path / "kiosk" / "outbox.sqlite3")
    with db:
        db.execute("DELETE FROM items")
        db.execute("DELETE FROM kiosk_sequence")
        db.execute("DELETE FROM sync_state")
    db.close()
    again = open_kiosk(kiosk.district, kiosk.proxy, tmp_path / "kiosk", test_clock)
    assert again.worker.sync_once().ok
    assert again.sink.enqueue("submission", application(9)).kiosk_seq == 4
