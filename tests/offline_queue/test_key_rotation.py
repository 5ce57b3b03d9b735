"""Rotating the district's keys keeps an enrolled kiosk in the field delivering.

The payload key (`district-server keys --rotate-payload-key`, then a restart): what it sealed
before the switch and what it seals after, to the key it was enrolled with, both decrypt.
The receipt signing key (`--add-next-receipt-key`, the kiosks' next sync, then
`--switch-receipt-key` and a restart): the kiosk learns the next key from its signed desired
state before the switch and verifies what the new key signs after it; a kiosk that missed
the announcement says so and keeps what it queued."""
from __future__ import annotations

import json

import pytest

from district_server.cli import main as district_server
from offline_queue.seal import verify_signed
from offline_queue.store import DELIVERED, PENDING
from offline_queue.testing.faultproxy import FaultProxy
from tests.offline_queue.test_sync_faults import SETTINGS, make_kiosk, open_kiosk
from wire.v1 import PATH_RECEIPTS, ReceiptsPage, receipt_key_fingerprint, signed_message


@pytest.fixture
def kiosk(district, tmp_path, test_clock):
    with FaultProxy("127.0.0.1", district.port) as proxy:
        yield make_kiosk(district, proxy, tmp_path / "kiosk", test_clock)


def rotate_payload_key(district, capsys) -> list[str]:
    capsys.readouterr()
    assert district_server(["--data-dir", str(district.data_dir), "keys",
                            "--rotate-payload-key"]) == 0
    return json.loads(capsys.readouterr().out)["payload_key_ids"]


def test_a_kiosk_keeps_delivering_across_a_payload_key_rotation(kiosk, district, capsys):
    first = kiosk.submit(1)
    assert kiosk.worker.sync_once().ok
    queued_at_the_switch = kiosk.submit(2)  # sealed to the key it was enrolled with

    assert len(rotate_payload_key(district, capsys)) == 2  # the old key is kept
    district.restart()

    sealed_after = kiosk.submit(3)
    assert kiosk.sync_until_ok().ok
    for item_id in (first, queued_at_the_switch, sealed_after):
        assert kiosk.outbox.get(item_id).state == DELIVERED
    rows = district.submission_ids(kiosk.identity.kiosk_id)
    assert sorted(seq for _sid, seq in rows) == [1, 2, 3]  # each once


def keys(district, capsys, *options: str) -> tuple[int, dict]:
    capsys.readouterr()
    code = district_server(["--data-dir", str(district.data_dir), "keys", *options])
    out = capsys.readouterr().out
    return code, (json.loads(out) if code == 0 else {})


def next_desired_state_poll(kiosk, test_clock) -> None:
    test_clock.advance(SETTINGS.desired_state_poll_s + SETTINGS.desired_state_jitter_s)


def test_a_kiosk_keeps_delivering_across_a_receipt_key_switch(kiosk, district, capsys,
                                                             test_clock, tmp_path):
    first = kiosk.submit(1)
    assert kiosk.sync_until_ok().ok
    enrolled_key = kiosk.identity.receipt_keys.current_b64

    code, shown = keys(district, capsys, "--add-next-receipt-key")
    next_key = shown["next_receipt_public_key"]
    assert code == 0 and next_key and shown["kiosks_not_trusting_next_receipt_key"] == \
        [kiosk.identity.kiosk_id]
    assert keys(district, capsys, "--switch-receipt-key")[0] == 1   # the kiosk would be lost
    district.restart()

    next_desired_state_poll(kiosk, test_clock)
    before_the_switch = kiosk.submit(2)
    assert kiosk.sync_until_ok().ok    # the desired state announces it; the report says so
    assert kiosk.identity.receipt_keys.fingerprints() == [
        receipt_key_fingerprint(enrolled_key), receipt_key_fingerprint(next_key)]
    assert keys(district, capsys)[1]["kiosks_not_trusting_next_receipt_key"] == []

    code, shown = keys(district, capsys, "--switch-receipt-key")
    assert code == 0 and shown["receipt_public_key"] == next_key
    district.restart()

    after_the_switch = kiosk.submit(3)
    assert kiosk.sync_until_ok().ok
    for item_id in (first, before_the_switch, after_the_switch):
        assert kiosk.outbox.get(item_id).state == DELIVERED
    kiosk.assert_exactly_once()
    # a signature by the new key made it the only one trusted, across a restart too
    assert kiosk.identity.receipt_keys.fingerprints() == [receipt_key_fingerprint(next_key)]
    reopened = open_kiosk(district, kiosk.proxy, tmp_path / "kiosk", test_clock)
    assert reopened.identity.receipt_keys.fingerprints() == [receipt_key_fingerprint(next_key)]
    # receipts the old key signed are served signed by the new one
    response = kiosk.worker.transport.request(   # its clock offset measured
        "GET", PATH_RECEIPTS.format(kiosk_id=kiosk.identity.kiosk_id) + "?after_seq=0")
    raw = response.json()
    page = ReceiptsPage.model_validate(raw)
    assert [r.receipt.kiosk_seq for r in page.receipts] == [1, 2, 3]
    assert all(verify_signed(signed_message(raw_signed, "receipt"), raw_signed["signature_b64"],
                             reopened.identity.receipt_keys) for raw_signed in raw["receipts"])


def test_a_kiosk_that_missed_the_announcement_says_so_and_keeps_its_queue(
        kiosk, district, capsys):
    assert kiosk.worker.sync_once().ok
    assert keys(district, capsys, "--add-next-receipt-key")[0] == 0
    code, shown = keys(district, capsys, "--switch-receipt-key", "--force")
    assert code == 0
    district.restart()

    queued = kiosk.submit(1)
    result = kiosk.worker.sync_once()
    assert not result.ok
    assert "none of the district receipt keys this kiosk trusts" in result.error
    assert "enrol it again" in result.error
    assert kiosk.outbox.get(queued).state == PENDING    # nothing lost: it waits for re-enrolment
