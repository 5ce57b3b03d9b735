"""Network faults between a kiosk and the real district server, through the fault proxy.

Every test ends with the same proof: each submission is on the server exactly once and
every local item is delivered with a verified receipt (or quarantined on purpose)."""
from __future__ import annotations

import base64
import json
import random
import re
import sqlite3
import time
from dataclasses import dataclass
from email.utils import formatdate
from pathlib import Path

import pytest

from foundation.clock import SystemClock
from offline_queue.enrolment import enroll
from offline_queue.desired_state import DesiredStateStore
from offline_queue.identity import KioskIdentity
from offline_queue.sink import OutboxSink
from offline_queue.store import DELIVERED, QUARANTINED, Outbox
from offline_queue.sync import SyncSettings, SyncWorker
from offline_queue.testing.faultproxy import FaultProxy
from offline_queue.transport import SignedTransport
from tests.offline_queue.helpers import application
from tests.offline_queue.live_district import LiveDistrict
from wire.v1 import API_VERSION, HEADER_API, Catalogue, Receipt, SignedReceipt, canonical_json

KIOSK_ID = "kiosk-net-01"
SETTINGS = SyncSettings(backoff_base_s=30, backoff_cap_s=900, idle_sync_interval_s=60,
                        desired_state_poll_s=300, desired_state_jitter_s=60,
                        delivered_retention_s=86400, oldest_unsent_alert_s=3600)


@dataclass
class Kiosk:
    district: LiveDistrict
    proxy: FaultProxy
    outbox: Outbox
    sink: OutboxSink
    worker: SyncWorker
    identity: KioskIdentity
    desired: DesiredStateStore

    def submit(self, n: int, pages: int = 1, page_bytes: int = 20_000) -> str:
        blobs = {f"blob:page{i}": random.randbytes(page_bytes) for i in range(pages)}
        return self.sink.enqueue("submission", application(n, pages=pages), blobs).item_id

    def sync_until_ok(self, cycles: int = 6):
        for _ in range(cycles):
            result = self.worker.sync_once()
            if result.ok and self.outbox.counts().pending == 0:
                return result
        raise AssertionError(f"still failing after {cycles} cycles: {result}")

    def requests(self, method: str, path_part: str) -> int:
        return sum(1 for s in self.proxy.seen if s.method == method and path_part in s.path)

    def assert_exactly_once(self) -> None:
        rows = self.district.submission_ids(self.identity.kiosk_id)
        ids = [sid for sid, _ in rows]
        assert len(ids) == len(set(ids)), "a submission is on the server twice"
        delivered = {i.item_id for i in self.outbox.iter_items(DELIVERED,
                                                              self.identity.kiosk_id)}
        assert set(ids) == delivered
        assert self.outbox.counts().pending == 0


def make_kiosk(district: LiveDistrict, proxy: FaultProxy, directory: Path, clock,
               timeout_s: float = 10.0, kiosk_id: str = KIOSK_ID) -> Kiosk:
    enroll(district.url, district.enrollment_token(kiosk_id), kiosk_id, directory,
           clock=SystemClock())
    return open_kiosk(district, proxy, directory, clock, timeout_s)


def open_kiosk(district: LiveDistrict, proxy: FaultProxy, directory: Path, clock,
               timeout_s: float = 10.0) -> Kiosk:
    """The kiosk enrolled in `directory`, started again (as after a reboot)."""
    identity = KioskIdentity.load(directory)
    outbox = Outbox(directory)
    transport = SignedTransport(proxy.url, identity.kiosk_id, identity.signing_key,
                                clock=clock, timeout_s=timeout_s)
    desired = DesiredStateStore(directory)
    worker = SyncWorker(outbox, transport, identity, clock=clock, settings=SETTINGS,
                        desired=desired, rng=random.Random(7))
    return Kiosk(district, proxy, outbox, OutboxSink(outbox, clock=clock), worker, identity,
                 desired)


@pytest.fixture
def small_chunk_district(tmp_path):
    # v1 only: these faults hit v1's requests one by one (the fallback from v1.1, and what
    # kiosks of the previous release send); v1.1's batches have theirs in test_batch.py
    with LiveDistrict(tmp_path / "district", chunk_bytes=64 * 1024,
                      submission_batches=False) as server:
        yield server


@pytest.fixture
def kiosk(small_chunk_district, tmp_path, test_clock):
    with FaultProxy("127.0.0.1", small_chunk_district.port) as proxy:
        yield make_kiosk(small_chunk_district, proxy, tmp_path / "kiosk", test_clock)


def test_clean_delivery_measures_clock_offset(kiosk, test_clock):
    kiosk.submit(1)
    kiosk.submit(2, pages=3)
    result = kiosk.sync_until_ok(1)
    assert result.delivered == 2
    # the TestClock starts at 09:00 of a fixed day: signing works only with the offset
    assert abs(kiosk.worker.transport.clock_offset_s) > 0
    kiosk.assert_exactly_once()


def test_dropped_connection_is_retried(kiosk):
    kiosk.submit(1)
    kiosk.proxy.inject("drop", method="PUT")
    first = kiosk.worker.sync_once()
    assert not first.ok and first.next_delay_s <= SETTINGS.backoff_base_s
    kiosk.sync_until_ok()
    kiosk.assert_exactly_once()


def test_reset_mid_body_resumes_the_upload_where_it_stopped(kiosk):
    kiosk.submit(1, pages=1, page_bytes=300_000)  # five 64 KiB chunks
    kiosk.proxy.inject("reset_request", method="PATCH", after=2)  # the third chunk is cut
    assert not kiosk.worker.sync_once().ok
    kiosk.proxy.inject("reset_request", method="PUT")
    kiosk.sync_until_ok()
    kiosk.assert_exactly_once()
    assert kiosk.requests("PATCH", "/uploads/") == 5 + 1  # resumed at the server's offset


def test_slow_link_times_out_and_the_late_request_does_not_duplicate(
        small_chunk_district, tmp_path, test_clock):
    with FaultProxy("127.0.0.1", small_chunk_district.port) as proxy:
        kiosk = make_kiosk(small_chunk_district, proxy, tmp_path / "kiosk", test_clock,
                           timeout_s=0.5)
        kiosk.submit(1)
        held = proxy.inject("hold", method="PUT")
        assert not kiosk.worker.sync_once().ok  # the client gave up waiting
        held.release.set()  # the slow request reaches the server after all
        kiosk.sync_until_ok()
        kiosk.assert_exactly_once()


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_retried_with_the_same_id(kiosk, status):
    item = kiosk.submit(1)
    kiosk.proxy.inject("respond", method="PUT", status=status, times=2,
                       body=b'{"error":"unavailable"}')
    assert not kiosk.worker.sync_once().ok
    assert not kiosk.worker.sync_once().ok
    kiosk.sync_until_ok()
    assert kiosk.requests("PUT", item) == 3
    kiosk.assert_exactly_once()


def test_429_retry_after_is_honoured(kiosk):
    kiosk.submit(1)
    kiosk.proxy.inject("respond", method="PUT", status=429, headers={"Retry-After": "120"})
    result = kiosk.worker.sync_once()
    assert not result.ok and result.next_delay_s >= 120
    kiosk.sync_until_ok()
    kiosk.assert_exactly_once()


def test_captive_portal_answering_200_gets_nothing(kiosk):
    kiosk.submit(1)
    portal = b"<html><body>Welcome! Please log in to the free Wi-Fi</body></html>"
    kiosk.proxy.inject("respond", path="/v1/health", status=200, body=portal,
                       headers={"Content-Type": "text/html"})
    result = kiosk.worker.sync_once()
    assert not result.ok and "captive portal" in result.error
    assert kiosk.requests("PUT", "/v1/submissions") == 0
    # a portal that lets the probe through but answers the PUT itself
    kiosk.proxy.inject("respond", method="PUT", status=200, body=portal)
    assert not kiosk.worker.sync_once().ok
    assert kiosk.outbox.counts().pending == 1
    kiosk.sync_until_ok()
    kiosk.assert_exactly_once()


def test_response_lost_after_server_commit_is_reconciled_not_resent(kiosk):
    item = kiosk.submit(1)
    kiosk.proxy.inject("lose_response", method="PUT")
    assert not kiosk.worker.sync_once().ok
    kiosk.sync_until_ok()
    assert kiosk.requests("PUT", item) == 1  # the receipts page delivered the receipt
    kiosk.assert_exactly_once()


def test_response_cut_in_half_is_retried(kiosk):
    kiosk.submit(1)
    kiosk.proxy.inject("reset_response", method="PUT")
    assert not kiosk.worker.sync_once().ok
    kiosk.sync_until_ok()
    kiosk.assert_exactly_once()


@pytest.mark.parametrize("confirmed", [False, True],
                         ids=["lost-before-reconciled", "lost-after-reconciled"])
def test_server_restored_from_older_backup_gets_the_lost_items_again(kiosk, tmp_path,
                                                                      confirmed):
    kiosk.submit(1)
    kiosk.submit(2)
    kiosk.sync_until_ok()
    kiosk.district.backup(tmp_path / "backup")
    late = [kiosk.submit(3), kiosk.submit(4, pages=2)]
    kiosk.sync_until_ok()
    if confirmed:  # one more cycle: the server's contiguous_through (4) is recorded
        kiosk.sync_until_ok(1)
        assert kiosk.outbox.get_state(f"receipts_through:{KIOSK_ID}") == 4
    kiosk.district.restore(tmp_path / "backup")
    kiosk.proxy.upstream = ("127.0.0.1", kiosk.district.port)
    assert {sid for sid, _ in kiosk.district.submission_ids(KIOSK_ID)}.isdisjoint(late)
    kiosk.sync_until_ok()
    for item in late:
        assert kiosk.requests("PUT", item) == 2
    kiosk.assert_exactly_once()
    assert len(kiosk.district.submission_ids(KIOSK_ID)) == 4


def test_401_pauses_the_queue_until_the_server_accepts_again(kiosk):
    kiosk.submit(1)
    kiosk.proxy.inject("respond", method="PUT", status=401,
                       body=b'{"error":"bad_signature","detail":"x"}')
    result = kiosk.worker.sync_once()
    assert not result.ok and result.next_delay_s == SETTINGS.backoff_cap_s
    assert "refuses this kiosk" in kiosk.worker.status().paused
    kiosk.sync_until_ok()
    assert kiosk.worker.status().paused is None
    kiosk.assert_exactly_once()


@pytest.mark.parametrize("status", [409, 422])
def test_one_bad_item_is_quarantined_and_the_others_go_on(kiosk, status):
    bad = kiosk.submit(1)
    good = kiosk.submit(2)
    kiosk.proxy.inject("respond", method="PUT", path=bad, status=status,
                       body=b'{"error":"conflict","detail":"different digest"}')
    result = kiosk.worker.sync_once()
    assert result.ok and result.delivered == 1 and result.quarantined == 1
    assert kiosk.outbox.get(bad).state == QUARANTINED
    assert kiosk.outbox.get(good).state == DELIVERED
    assert kiosk.outbox.release_quarantined() == 1
    kiosk.sync_until_ok()
    kiosk.assert_exactly_once()


def test_a_receipt_signed_by_another_key_is_not_accepted(kiosk):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    item = kiosk.outbox.get(kiosk.submit(1))
    receipt = Receipt(submission_id=item.item_id, kiosk_id=KIOSK_ID, kiosk_seq=item.kiosk_seq,
                      digest=item.digest, case_number=item.case_number,
                      received_at="2026-11-26T09:00:00Z", server_seq=1)
    forged = SignedReceipt(receipt=receipt, signature_b64=base64.b64encode(
        Ed25519PrivateKey.generate().sign(canonical_json(receipt))).decode())
    kiosk.proxy.inject("respond", method="PUT", status=201,
                       body=forged.model_dump_json().encode())
    result = kiosk.worker.sync_once()
    assert not result.ok and "does not verify" in result.error
    assert kiosk.outbox.get(item.item_id).state != DELIVERED
    kiosk.sync_until_ok()
    kiosk.assert_exactly_once()


def _change_blob_on_disk(outbox, sha: str, data: bytes | None) -> None:
    """What a damaged disk does to a stored blob, behind the outbox's back: it is gone
    (None) or reads back as `data`."""
    db = sqlite3.connect(outbox.path, isolation_level=None)
    try:
        if data is None:
            db.execute("DELETE FROM blobs WHERE sha256 = ?", (sha,))
        else:
            db.execute("UPDATE blobs SET data = ? WHERE sha256 = ?", (data, sha))
    finally:
        db.close()


def test_missing_local_blob_quarantines_only_that_item(kiosk):
    broken = kiosk.outbox.get(kiosk.submit(1))
    kiosk.submit(2)
    _change_blob_on_disk(kiosk.outbox, broken.blobs[0], None)
    result = kiosk.worker.sync_once()
    assert result.delivered == 1 and result.quarantined == 1
    assert "missing" in kiosk.outbox.get(broken.item_id).last_error


def test_desired_state_etag_and_reported_state_deltas(kiosk, test_clock):
    kiosk.sync_until_ok(1)
    current = kiosk.desired.current()  # fetched, verified, applied (no session)
    assert current.catalogue_version == "queue-test-1"
    catalogue = Catalogue.model_validate_json(kiosk.desired.catalogue_path(current).read_bytes())
    assert [item.task_code for item in catalogue.items] == ["S0001"]
    reports = [s for s in kiosk.proxy.seen if s.method == "PATCH" and s.path.endswith("/state")]
    assert len(reports) == 1 and "queue_depth" in json.loads(reports[0].body)
    kiosk.sync_until_ok(1)
    assert kiosk.requests("PATCH", "/state") == 1  # nothing changed, nothing sent
    test_clock.advance(SETTINGS.desired_state_poll_s + SETTINGS.desired_state_jitter_s)
    kiosk.sync_until_ok(1)
    assert kiosk.requests("GET", "/desired-state") == 2  # the second one answered 304
    reports = [s for s in kiosk.proxy.seen if s.method == "PATCH" and s.path.endswith("/state")]
    # the kiosk clock moved 6 minutes against the server's: only that is reported
    assert set(json.loads(reports[-1].body)) == {"clock_offset_ms"}


def test_backoff_full_jitter_on_the_kiosk_clock_never_gives_up(kiosk, test_clock):
    kiosk.submit(1)
    kiosk.proxy.inject("drop", times=12)
    kiosk.worker.start()
    try:
        delays = []
        for attempt in range(1, 13):
            assert kiosk.worker.cycle_done.wait(30)
            kiosk.worker.cycle_done.clear()
            result = kiosk.worker.last_result
            assert not result.ok
            assert 0 <= result.next_delay_s <= min(900, 30 * 2 ** (attempt - 1))
            delays.append(result.next_delay_s)
            test_clock.advance(result.next_delay_s + 0.001)
        assert kiosk.worker.cycle_done.wait(30)
        assert kiosk.worker.last_result.ok
    finally:
        kiosk.worker.stop()
    assert len(set(delays)) > 6  # jittered, not a fixed schedule
    kiosk.assert_exactly_once()


def test_kiosk_clock_jump_is_absorbed_by_the_measured_offset(kiosk, test_clock):
    kiosk.submit(1)
    kiosk.sync_until_ok(1)
    before = kiosk.worker.transport.clock_offset_s
    test_clock.advance(2 * 3600)  # the kiosk clock jumps two hours ahead
    kiosk.submit(2)
    kiosk.sync_until_ok(1)  # signed timestamps stay inside the server's 300 s window
    assert kiosk.worker.transport.clock_offset_s == pytest.approx(before - 7200, abs=5)
    kiosk.assert_exactly_once()


def test_delivered_items_are_purged_after_retention_with_their_blobs(kiosk, test_clock,
                                                                     tmp_path):
    from district_server.cli import main as district_server
    item = kiosk.outbox.get(kiosk.submit(1))
    kiosk.sync_until_ok(1)
    assert kiosk.outbox.blobs.exists(item.blobs[0])  # kept during the retention period
    test_clock.advance(SETTINGS.delivered_retention_s + 1)
    kiosk.sync_until_ok(1)
    assert kiosk.outbox.counts().delivered == 1  # no backup holds it yet: kept
    assert district_server(["--data-dir", str(kiosk.district.data_dir), "backup",
                            str(tmp_path / "backup")]) == 0
    kiosk.sync_until_ok(1)  # learns the backup watermark
    kiosk.sync_until_ok(1)
    assert kiosk.outbox.counts().delivered == 0
    assert not kiosk.outbox.blobs.exists(item.blobs[0])


def test_status_alerts_when_the_oldest_unsent_item_is_too_old(kiosk, test_clock):
    kiosk.submit(1)
    kiosk.proxy.inject("drop", times=100)
    kiosk.worker.sync_once()
    status = kiosk.worker.status()
    assert status.depth == 1 and status.alert is None and status.last_error
    test_clock.advance(SETTINGS.oldest_unsent_alert_s + 60)
    status = kiosk.worker.status()
    assert status.oldest_unsent_age_s >= SETTINGS.oldest_unsent_alert_s
    assert "oldest unsent" in status.alert


def test_424_missing_blobs_are_uploaded_and_the_put_repeated(kiosk):
    item = kiosk.outbox.get(kiosk.submit(1))
    missing = json.dumps({"error": "missing_blobs", "detail": "upload first",
                          "missing": list(item.blobs)}).encode()
    kiosk.proxy.inject("respond", method="PUT", status=424, body=missing)
    result = kiosk.worker.sync_once()
    assert result.ok and result.delivered == 1
    assert kiosk.requests("PUT", item.item_id) == 2
    kiosk.assert_exactly_once()


def test_attachment_corrupted_on_the_kiosk_disk_is_quarantined_not_retried_forever(kiosk):
    broken = kiosk.outbox.get(kiosk.submit(1, page_bytes=100_000))
    good = kiosk.submit(2)
    data = bytearray(kiosk.outbox.blobs.read(broken.blobs[0]))
    data[5000] ^= 0xFF  # bit rot after capture
    _change_blob_on_disk(kiosk.outbox, broken.blobs[0], bytes(data))
    result = kiosk.worker.sync_once()
    assert result.ok and result.quarantined == 1 and result.delivered == 1
    assert "corrupted" in kiosk.outbox.get(broken.item_id).last_error
    assert kiosk.outbox.get(good).state == DELIVERED


def test_a_broken_server_answer_is_retried_not_fatal(kiosk):
    kiosk.submit(1, page_bytes=300_000)  # above the whole-blob limit: a resumable upload
    kiosk.proxy.inject("respond", method="POST", path="/uploads", status=201,
                       body=b'{"upload_id": 5}')
    result = kiosk.worker.sync_once()
    assert not result.ok and "unexpected body" in result.error
    kiosk.sync_until_ok()
    kiosk.assert_exactly_once()


WHOLE_BLOB = r"/v1/blobs/[0-9a-f]{64}$"


def test_small_attachments_go_whole_in_one_request_each(kiosk):
    kiosk.submit(1, pages=3)            # 20 kB pages; the server takes up to 64 KiB whole
    kiosk.submit(2, pages=1, page_bytes=300_000)
    assert kiosk.worker.sync_once().delivered == 2
    assert kiosk.requests("POST", "/uploads") == 1          # only the large page
    assert sum(1 for s in kiosk.proxy.seen
               if s.method == "POST" and re.search(WHOLE_BLOB, s.path)) == 3
    assert kiosk.requests("HEAD", "/v1/blobs/") == 0
    kiosk.assert_exactly_once()


def test_a_server_that_refuses_whole_blobs_gets_them_resumably(kiosk):
    kiosk.submit(1, pages=2)
    kiosk.proxy.inject("respond", method="POST", path=WHOLE_BLOB, status=405, times=2,
                       body=b'{"detail": "Method Not Allowed"}')
    assert kiosk.worker.sync_once().delivered == 1
    assert kiosk.requests("POST", "/uploads") == 2
    kiosk.assert_exactly_once()


def test_a_server_of_the_previous_release_gets_resumable_uploads(kiosk):
    """No X-Kiosk-Whole-Blob-Max on the health probe: nothing new is sent to it."""
    kiosk.submit(1, pages=2)
    kiosk.proxy.inject("respond", method="GET", path="/v1/health", status=204,
                       headers={HEADER_API: API_VERSION,
                                "Date": formatdate(time.time(), usegmt=True)})
    assert kiosk.worker.sync_once().delivered == 1
    assert not any(re.search(WHOLE_BLOB, s.path) for s in kiosk.proxy.seen)
    assert kiosk.requests("POST", "/uploads") == 2
    kiosk.assert_exactly_once()


def test_a_catalogue_not_matching_the_signed_state_is_refused(kiosk):
    kiosk.proxy.inject("respond", method="GET", path="/v1/catalogue/", status=200,
                       body=b'{"version":"queue-test-1","items":[]}')
    result = kiosk.worker.sync_once()
    assert not result.ok and "does not match" in result.error
    assert kiosk.desired.current() is None and kiosk.desired.staged() is None
