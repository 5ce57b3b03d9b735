"""Capture: sealed to the district key, validated, stored with an offline case number."""
from __future__ import annotations

import base64
import hashlib
import json
import uuid

import pytest
from pydantic import ValidationError

from offline_queue.errors import NotEnrolled, StorageUnavailable
from offline_queue.seal import SUITE
from offline_queue.sink import OutboxSink, uuid7
from offline_queue.store import Outbox
from tests.offline_queue.helpers import District, application, audit, enrol
from wire.v1 import SubmissionEnvelope, payload_info, submission_digest, \
    HPKE_BLOB_INFO


@pytest.fixture
def district():
    return District.generate()


@pytest.fixture
def sink(tmp_path, district, test_clock):
    enrol(tmp_path, district)
    return OutboxSink(Outbox(tmp_path), clock=test_clock)


def test_enqueue_returns_offline_case_number_and_uuid7(sink):
    first = sink.enqueue("audit", audit(1))
    second = sink.enqueue("audit", audit(2))
    assert (first.kiosk_seq, second.kiosk_seq) == (1, 2)
    assert second.case_number == "kiosk-test-01-2"
    assert uuid.UUID(first.item_id).version == 7


def test_payload_and_blobs_are_sealed_to_the_district_key(sink, district, tmp_path):
    photo = b"\xff\xd8 citizen document scan 11010519491231002X"
    done = sink.enqueue("submission", application(1, pages=1), {"blob:page0": photo})
    item = sink.outbox.get(done.item_id)
    envelope = SubmissionEnvelope.model_validate_json(item.envelope)
    assert submission_digest(envelope) == item.digest
    # nothing readable on the kiosk disk
    raw = b"".join((tmp_path / name).read_bytes()
                   for name in ("outbox.sqlite3", "outbox.sqlite3-wal"))
    assert b"11010519491231002X" not in raw
    sealed_blob = sink.outbox.blobs.read(envelope.blobs[0])
    assert photo not in sealed_blob
    # only the district private key opens them
    assert SUITE.decrypt(sealed_blob, district.payload_key, info=HPKE_BLOB_INFO) == photo
    opened = SUITE.decrypt(base64.b64decode(envelope.payload.enc_b64) +
                           base64.b64decode(envelope.payload.ciphertext_b64),
                           district.payload_key, info=payload_info("submission", done.item_id))
    payload = json.loads(opened)
    assert payload["materials"][0]["blobs"] == envelope.blobs  # name replaced by the address
    assert payload["applicant"]["id_number"] == "11010519491231002X"


def test_attachments_sealed_at_capture_are_stored_as_they_were_sealed(sink, district):
    pages = [b"\xff\xd8 page one", b"\xff\xd8 page two"]
    captured = sink.seal(pages[0])
    assert hashlib.sha256(captured.sealed).hexdigest() == captured.address
    assert pages[0] not in captured.sealed
    assert SUITE.decrypt(captured.sealed, district.payload_key, info=HPKE_BLOB_INFO) == pages[0]
    assert sink.outbox.items() == []                    # sealing makes no item
    # one sealed at capture, one given plaintext: both stored sealed, both addressed
    done = sink.enqueue("submission", application(1, pages=2),
                        {"blob:page0": captured, "blob:page1": pages[1]})
    envelope = SubmissionEnvelope.model_validate_json(sink.outbox.get(done.item_id).envelope)
    assert captured.address in envelope.blobs and len(envelope.blobs) == 2
    assert sink.outbox.blobs.read(captured.address) == captured.sealed
    assert sorted(SUITE.decrypt(sink.outbox.blobs.read(address), district.payload_key,
                                info=HPKE_BLOB_INFO) for address in envelope.blobs) == pages


def test_a_capture_is_stored_when_sealed_and_kept_from_collection_until_its_item_holds_it(
        sink, tmp_path):
    captured = sink.seal(b"\xff\xd8 page")
    other = Outbox(tmp_path)                            # committed: another connection sees it
    assert other.blobs.read(captured.address) == captured.sealed
    other.close()
    assert sink.outbox.collect_orphan_blobs() == 0      # a sync cycle while still scanning
    done = sink.enqueue("submission", application(1, pages=1), {"blob:page0": captured})
    sink.discard([captured])                            # the journey ends
    assert sink.outbox.collect_orphan_blobs() == 0      # its item holds it
    assert sink.outbox.get(done.item_id).blobs == (captured.address,)
    assert sink.outbox.blobs.read(captured.address) == captured.sealed


def test_a_capture_given_up_or_left_by_a_crash_is_collected(sink, tmp_path, test_clock):
    retaken, left = sink.seal(b"\xff\xd8 blurred page"), sink.seal(b"\xff\xd8 page")
    sink.discard([retaken])
    assert sink.outbox.collect_orphan_blobs() == 1
    assert not sink.outbox.blobs.exists(retaken.address)
    sink.outbox.close()                                 # the kiosk restarts mid-journey
    restarted = OutboxSink(Outbox(tmp_path), clock=test_clock)
    assert restarted.outbox.collect_orphan_blobs() == 1
    assert not restarted.outbox.blobs.exists(left.address)


def test_an_item_whose_capture_was_collected_or_not_stored_stores_it_itself(
        sink, tmp_path, district, test_clock):
    collected = sink.seal(b"\xff\xd8 page one")
    sink.discard([collected])
    sink.outbox.collect_orphan_blobs()
    low_disk = OutboxSink(sink.outbox, clock=test_clock, min_free_bytes=10 ** 18)
    not_stored = low_disk.seal(b"\xff\xd8 page two")   # sealed, but the disk guard said no
    assert not sink.outbox.blobs.exists(not_stored.address)
    done = sink.enqueue("submission", application(1, pages=2),
                        {"blob:page0": collected, "blob:page1": not_stored})
    assert sorted(sink.outbox.get(done.item_id).blobs) == sorted(
        [collected.address, not_stored.address])
    assert sink.outbox.blobs.read(collected.address) == collected.sealed
    assert sink.outbox.blobs.read(not_stored.address) == not_stored.sealed


def test_sealing_needs_an_enrolment(tmp_path, test_clock):
    with pytest.raises(StorageUnavailable):
        OutboxSink(Outbox(tmp_path), clock=test_clock).seal(b"page")


def test_invalid_payload_is_a_clear_error_and_stores_nothing(sink):
    with pytest.raises(ValidationError):
        sink.enqueue("audit", {"action": "x"})
    with pytest.raises(ValueError, match="unknown event kind"):
        sink.enqueue("nonsense", {})
    with pytest.raises(ValueError, match="must start with 'blob:'"):
        sink.enqueue("audit", audit(1), {"page": b"x"})
    with pytest.raises(ValidationError):                # sealed, then refused
        sink.enqueue("submission", {"service_code": "x"}, {"blob:page0": b"x"})
    assert sink.outbox.counts().pending == 0
    assert list(sink.outbox.blobs.addresses()) == []


def test_not_enrolled_cannot_accept(tmp_path, test_clock):
    sink = OutboxSink(Outbox(tmp_path), clock=test_clock)
    assert "not enrolled" in sink.can_accept()
    with pytest.raises(NotEnrolled):
        sink.enqueue("audit", audit(1))


def test_low_disk_space_refuses_new_items(tmp_path, district, test_clock):
    enrol(tmp_path, district)
    sink = OutboxSink(Outbox(tmp_path), clock=test_clock, min_free_bytes=2**62)
    assert "free" in sink.can_accept()
    with pytest.raises(StorageUnavailable):
        sink.enqueue("audit", audit(1))


def test_uuid7_orders_by_time(test_clock):
    first = uuid7(test_clock.now())
    test_clock.advance(0.002)
    assert uuid7(test_clock.now()) > first
