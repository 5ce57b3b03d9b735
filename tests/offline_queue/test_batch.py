"""Protocol v1.1 between the real queue and a live district server, through the fault
proxy: pending submissions travel in one signed request with their small blobs, a bad one
fails only itself, large blobs keep the resumable upload, and a server that does not offer
batches (or stops offering them) gets v1. Each test ends with every submission on the
server exactly once."""
from __future__ import annotations

import json

import pytest

from offline_queue.store import DELIVERED, PENDING, QUARANTINED
from offline_queue.testing.faultproxy import FaultProxy
from tests.offline_queue.live_district import LiveDistrict
from tests.offline_queue.test_integrity import _poison_application
from tests.offline_queue.test_sync_faults import _change_blob_on_disk, make_kiosk
from wire.v1 import PATH_SUBMISSION_BATCH, PATH_SUBMISSION_BATCH_BINARY, split_binary_batch

BATCH = PATH_SUBMISSION_BATCH   # also a part of BINARY: either kind of batch
BINARY = PATH_SUBMISSION_BATCH_BINARY


def json_batches(kiosk) -> int:
    return sum(1 for s in kiosk.proxy.seen if s.method == "POST" and s.path == BATCH)


@pytest.fixture
def kiosk(tmp_path, test_clock):
    with LiveDistrict(tmp_path / "district", chunk_bytes=64 * 1024) as district, \
            FaultProxy("127.0.0.1", district.port) as proxy:
        yield make_kiosk(district, proxy, tmp_path / "kiosk", test_clock)


def test_pending_submissions_go_in_one_request_with_their_attachments(kiosk):
    items = [kiosk.submit(n, pages=2) for n in range(4)]
    result = kiosk.sync_until_ok(1)
    assert result.delivered == 4
    assert kiosk.requests("POST", BATCH) == 1
    assert kiosk.requests("POST", BINARY) == 1   # the attachments as raw bytes, no base64
    assert kiosk.requests("PUT", "/v1/submissions/") == 0
    assert kiosk.requests("POST", "/v1/blobs/") == 0
    assert all(kiosk.outbox.get(i).receipt for i in items)
    kiosk.assert_exactly_once()


def test_a_bad_submission_inside_a_batch_is_set_aside_and_the_others_delivered(kiosk):
    good = [kiosk.submit(1), kiosk.submit(3)]
    poison = kiosk.sink.enqueue("submission", _poison_application(2),
                                {"blob:signature": b"signature" * 50}).item_id
    good.append(kiosk.submit(4))
    result = kiosk.worker.sync_once()
    assert result.ok and result.delivered == 3 and result.quarantined == 1
    assert kiosk.requests("POST", BATCH) == 1
    assert all(kiosk.outbox.get(i).state == DELIVERED for i in good)
    set_aside = kiosk.outbox.get(poison)
    assert set_aside.state == QUARANTINED and "422" in set_aside.last_error


def test_a_batch_s_receipts_and_set_aside_items_are_recorded_in_one_transaction(kiosk):
    """One outbox commit (one fsync) for the batch's outcomes, not one per submission."""
    for n in range(3):
        kiosk.submit(n)
    kiosk.sink.enqueue("submission", _poison_application(3),
                       {"blob:signature": b"signature" * 50})
    transactions = _record_transactions(kiosk.outbox)
    result = kiosk.worker.sync_once()
    assert result.ok and (result.delivered, result.quarantined) == (3, 1)
    assert kiosk.requests("POST", BATCH) == 1
    recording = [tx for tx in transactions if any("UPDATE items SET state" in s for s in tx)]
    assert len(recording) == 1
    assert sum("'delivered'" in s for s in recording[0]) == 3
    assert sum("'quarantined'" in s for s in recording[0]) == 1
    kiosk.assert_exactly_once()


def _record_transactions(outbox) -> list[list[str]]:
    """The statements of each outbox transaction from now on, as SQLite runs them."""
    transactions: list[list[str]] = []

    def trace(statement: str) -> None:
        if statement.startswith("BEGIN"):
            transactions.append([])
        elif transactions:
            transactions[-1].append(statement)

    outbox._db.set_trace_callback(trace)
    return transactions


def test_a_large_attachment_keeps_the_resumable_upload(kiosk):
    large = kiosk.submit(1, page_bytes=300_000)   # above the 64 KiB whole-blob limit
    small = kiosk.submit(2)
    assert kiosk.sync_until_ok(1).delivered == 2
    assert kiosk.requests("POST", "/uploads") == 1 and kiosk.requests("PATCH", "/uploads/") > 1
    assert kiosk.requests("PUT", large) == 1 and kiosk.requests("PUT", small) == 0
    assert kiosk.requests("POST", BATCH) == 1
    kiosk.assert_exactly_once()


def test_a_response_lost_after_the_commit_is_reconciled_not_resent(kiosk):
    items = [kiosk.submit(n) for n in range(3)]
    kiosk.proxy.inject("lose_response", method="POST", path=BATCH)
    assert not kiosk.worker.sync_once().ok
    assert kiosk.sync_until_ok(1).delivered == 0  # the receipts page delivered them
    assert kiosk.requests("POST", BATCH) == 1
    assert all(kiosk.outbox.get(i).state == DELIVERED for i in items)
    kiosk.assert_exactly_once()


def test_a_dropped_batch_is_sent_again_without_duplicates(kiosk):
    for n in range(3):
        kiosk.submit(n)
    kiosk.proxy.inject("reset_response", method="POST", path=BATCH)
    assert not kiosk.worker.sync_once().ok
    kiosk.sync_until_ok()
    kiosk.assert_exactly_once()


def test_a_forged_receipt_in_a_batch_answer_pauses_the_queue(kiosk):
    item = kiosk.submit(1)
    forged = (b'{"outcomes":[{"submission_id":"' + item.encode() + b'","status":201,'
              b'"body":{"receipt":{"submission_id":"' + item.encode() + b'","kiosk_id":'
              b'"kiosk-net-01","kiosk_seq":1,"digest":"' + b"0" * 64 + b'","case_number":null,'
              b'"received_at":"2026-11-26T09:00:00Z","server_seq":1},"signature_b64":"'
              + b"A" * 86 + b'=="}}]}')
    kiosk.proxy.inject("respond", method="POST", path=BATCH, status=200, body=forged,
                       headers={"Content-Type": "application/json"})
    result = kiosk.worker.sync_once()
    assert not result.ok and "does not verify" in result.error
    assert kiosk.outbox.get(item).state != DELIVERED


def test_a_receipt_that_does_not_verify_partway_through_a_batch_ends_the_cycle_at_it(kiosk):
    """The receipts before it are recorded; the cycle ends at it (the queue pauses); nothing
    is lost: the district holds all four, and the next cycle's receipts page delivers the
    rest without sending them again."""
    items = [kiosk.submit(n) for n in range(4)]

    def forge_third_signature(body: bytes) -> bytes:
        answer = json.loads(body)
        answer["outcomes"][2]["body"]["signature_b64"] = "A" * 86 + "=="
        return json.dumps(answer).encode()

    kiosk.proxy.inject("tamper_response", method="POST", path=BATCH,
                       rewrite=forge_third_signature)
    result = kiosk.worker.sync_once()
    assert not result.ok and "does not verify" in result.error
    assert result.delivered == 2
    assert [kiosk.outbox.get(i).state for i in items] == [DELIVERED, DELIVERED, PENDING, PENDING]
    assert kiosk.worker.status().paused
    assert len(kiosk.district.submission_ids(kiosk.identity.kiosk_id)) == 4
    assert kiosk.sync_until_ok(1).delivered == 0
    assert kiosk.requests("POST", BATCH) == 1
    assert all(kiosk.outbox.get(i).receipt for i in items)
    kiosk.assert_exactly_once()


@pytest.mark.parametrize("binary", [True, False], ids=["binary", "json"])
def test_an_attachment_corrupted_on_the_kiosk_disk_is_refused_inline_and_set_aside(
        tmp_path, test_clock, binary):
    """The kiosk does not hash a blob against its name to inline it (the signature hashes
    the body already): the server leaves out bytes that do not hash to their name, answers
    424 for the item needing them, and v1's upload finds the local copy corrupted and sets
    the item aside, once; the others in the batch are delivered."""
    with LiveDistrict(tmp_path / "district", binary_submission_batches=binary) as district, \
            FaultProxy("127.0.0.1", district.port) as proxy:
        kiosk = make_kiosk(district, proxy, tmp_path / "kiosk", test_clock)
        good = [kiosk.submit(1), kiosk.submit(3)]
        broken = kiosk.outbox.get(kiosk.submit(2))
        rotten = bytearray(kiosk.outbox.blobs.read(broken.blobs[0]))
        rotten[5000] ^= 0xFF  # bit rot after capture
        _change_blob_on_disk(kiosk.outbox, broken.blobs[0], bytes(rotten))
        result = kiosk.worker.sync_once()
        assert result.ok and (result.delivered, result.quarantined) == (2, 1)
        [batch] = [s for s in proxy.seen if s.method == "POST" and BATCH in s.path]
        head = split_binary_batch(batch.body)[0] if binary else batch.body
        assert broken.item_id in [s["submission_id"] for s in json.loads(head)["submissions"]]
        assert kiosk.requests("POST", "/v1/blobs/") == 0   # the rotten bytes went once
        set_aside = kiosk.outbox.get(broken.item_id)
        assert set_aside.state == QUARANTINED and "corrupted" in set_aside.last_error
        assert all(kiosk.outbox.get(i).state == DELIVERED for i in good)
        sent = _sending(proxy)
        assert kiosk.worker.sync_once().ok
        assert _sending(proxy) == sent, [s.path for s in _sending(proxy)[len(sent):]]
        kiosk.assert_exactly_once()


def _sending(proxy: FaultProxy) -> list:
    """Requests carrying submissions or blobs (not the health probe or the reported state)."""
    return [s for s in proxy.seen if s.method in ("POST", "PUT", "PATCH") and
            s.path.startswith(("/v1/submission", "/v1/blobs"))]


def test_a_server_without_batches_gets_submissions_one_by_one(tmp_path, test_clock):
    with LiveDistrict(tmp_path / "district", submission_batches=False) as district, \
            FaultProxy("127.0.0.1", district.port) as proxy:
        kiosk = make_kiosk(district, proxy, tmp_path / "kiosk", test_clock)
        for n in range(3):
            kiosk.submit(n)
        assert kiosk.sync_until_ok(1).delivered == 3
        assert kiosk.requests("POST", BATCH) == 0
        assert kiosk.requests("PUT", "/v1/submissions/") == 3
        kiosk.assert_exactly_once()


def test_a_server_taking_batches_as_json_only_gets_json_batches(tmp_path, test_clock):
    with LiveDistrict(tmp_path / "district", binary_submission_batches=False) as district, \
            FaultProxy("127.0.0.1", district.port) as proxy:
        kiosk = make_kiosk(district, proxy, tmp_path / "kiosk", test_clock)
        items = [kiosk.submit(n, pages=2) for n in range(3)]
        assert kiosk.sync_until_ok(1).delivered == 3
        assert json_batches(kiosk) == 1 and kiosk.requests("POST", BINARY) == 0
        assert kiosk.requests("PUT", "/v1/submissions/") == 0
        assert all(kiosk.outbox.get(i).receipt for i in items)
        kiosk.assert_exactly_once()


def test_a_server_that_stops_taking_raw_bytes_gets_a_json_batch_in_the_same_cycle(kiosk):
    items = [kiosk.submit(n, pages=2) for n in range(3)]
    kiosk.proxy.inject("respond", method="POST", path=BINARY, status=404,
                       body=b'{"error":"http_404","detail":"Not Found"}')
    assert kiosk.sync_until_ok(1).delivered == 3
    assert kiosk.requests("POST", BINARY) == 1 and json_batches(kiosk) == 1
    assert kiosk.requests("PUT", "/v1/submissions/") == 0
    assert all(kiosk.outbox.get(i).receipt for i in items)
    kiosk.assert_exactly_once()


def test_a_server_that_stops_offering_batches_gets_v1_in_the_same_cycle(kiosk):
    items = [kiosk.submit(n) for n in range(3)]
    kiosk.proxy.inject("respond", method="POST", path=BATCH, status=404, times=2,
                       body=b'{"error":"http_404","detail":"Not Found"}')
    assert kiosk.sync_until_ok(1).delivered == 3
    assert all(kiosk.requests("PUT", i) == 1 for i in items)
    kiosk.assert_exactly_once()
