"""The wire evolves without breaking kiosks: the previous release's models against the new
server, and the new kiosk against answers carrying fields it does not know yet."""
from __future__ import annotations

import base64
import json

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from foundation.clock import SystemClock, TestClock
from offline_queue.desired_state import DesiredStateStore
from offline_queue.enrolment import enroll
from offline_queue.errors import PauseQueue
from offline_queue.identity import KioskIdentity
from offline_queue.sink import OutboxSink
from offline_queue.store import Outbox
from offline_queue.sync import SyncWorker
from offline_queue.testing.district_keys import District, enrol
from offline_queue.transport import SignedTransport
from tests.offline_queue.helpers import application
from tests.wire import v1_previous as previous
from wire import v1


def verifies_the_previous_way(key: Ed25519PublicKey, model, signature_b64: str) -> bool:
    """How the previous release checked a signature: over its own model re-serialised."""
    try:
        key.verify(base64.b64decode(signature_b64), previous.canonical_json(model))
    except Exception:  # noqa: BLE001 - InvalidSignature or a malformed signature
        return False
    return True


@pytest.fixture
def district(tmp_path):
    from tests.offline_queue.live_district import LiveDistrict
    with LiveDistrict(tmp_path / "district") as server:
        yield server


def test_previous_release_kiosk_works_with_the_new_server(district, tmp_path):
    clock = SystemClock()
    identity = enroll(district.url, district.enrollment_token("kiosk-old-1"), "kiosk-old-1",
                      tmp_path / "queue", clock=clock)
    outbox = Outbox(tmp_path / "queue")
    item = outbox.get(OutboxSink(outbox, clock=clock).enqueue("submission",
                                                              application(1)).item_id)
    # what the previous release sends is still what the new one sends
    previous.SubmissionEnvelope.model_validate_json(item.envelope)
    transport = SignedTransport(district.url, identity.kiosk_id, identity.signing_key,
                                clock=clock)

    put = transport.request("PUT", v1.PATH_SUBMISSION.format(submission_id=item.item_id),
                            body=item.envelope.encode(),
                            headers={"Content-Type": "application/json",
                                     v1.HEADER_IDEMPOTENCY_KEY: item.item_id})
    assert put.status_code == 201, put.text
    receipt = previous.SignedReceipt.model_validate_json(put.content)
    assert receipt.receipt.submission_id == item.item_id
    assert verifies_the_previous_way(identity.receipt_public_key, receipt.receipt,
                                     receipt.signature_b64)

    page = transport.request("GET", v1.PATH_RECEIPTS.format(kiosk_id=identity.kiosk_id))
    listed = previous.ReceiptsPage.model_validate_json(page.content)
    assert listed.contiguous_through == 1
    assert verifies_the_previous_way(identity.receipt_public_key, listed.receipts[0].receipt,
                                     listed.receipts[0].signature_b64)

    desired = transport.request("GET", v1.PATH_DESIRED_STATE.format(kiosk_id=identity.kiosk_id))
    assert desired.status_code == 200, desired.text
    state = previous.SignedDesiredState.model_validate_json(desired.content)
    assert verifies_the_previous_way(identity.receipt_public_key, state.state,
                                     state.signature_b64)
    catalogue = transport.request("GET", v1.PATH_CATALOGUE.format(
        version=state.state.catalogue_version))
    assert previous.Catalogue.model_validate_json(catalogue.content).version == \
        state.state.catalogue_version


def signed_body(district: District, field: str, signed: dict, **extra: object) -> bytes:
    """A signed object as a newer server would send it: signed over exactly these fields."""
    signature = district.receipt_key.sign(v1.canonical_json(signed))
    return json.dumps({field: signed, "signature_b64": base64.b64encode(signature).decode(),
                       **extra}).encode()


@pytest.fixture
def kiosk(tmp_path):
    district = District.generate()
    enrol(tmp_path, district)
    clock = TestClock()
    outbox = Outbox(tmp_path)
    identity = KioskIdentity.load(tmp_path)
    worker = SyncWorker(outbox, SignedTransport("http://127.0.0.1:9", identity.kiosk_id,
                                                identity.signing_key, clock=clock),
                        identity, clock=clock)
    item = outbox.get(OutboxSink(outbox, clock=clock).enqueue("submission",
                                                              application(1)).item_id)
    return district, outbox, worker, item


def answer(status: int, body: bytes) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = body
    return response


def test_a_receipt_with_fields_the_kiosk_does_not_know_is_verified_and_kept_as_signed(kiosk):
    district, outbox, worker, item = kiosk
    receipt = {"submission_id": item.item_id, "kiosk_id": "kiosk-test-01",
               "kiosk_seq": item.kiosk_seq, "digest": item.digest,
               "case_number": "CASE-1", "received_at": "2026-12-05T09:00:00Z", "server_seq": 7,
               "promised_by": "2026-12-19", "followup": {"url": "/case/CASE-1"}}
    body = signed_body(district, "receipt", receipt, server_note="added in v1.1")
    assert worker.accept_put_response(item, answer(201, body))
    stored = json.loads(outbox.get(item.item_id).receipt)
    assert stored["receipt"]["promised_by"] == "2026-12-19"
    assert outbox.counts().delivered == 1


def test_a_receipt_changed_in_a_field_the_kiosk_does_not_know_fails_verification(kiosk):
    district, outbox, worker, item = kiosk
    receipt = {"submission_id": item.item_id, "kiosk_id": "kiosk-test-01",
               "kiosk_seq": item.kiosk_seq, "digest": item.digest, "case_number": "CASE-1",
               "received_at": "2026-12-05T09:00:00Z", "server_seq": 7, "promised_by": "x"}
    body = json.loads(signed_body(district, "receipt", receipt))
    body["receipt"]["promised_by"] = "tampered"
    with pytest.raises(PauseQueue, match="does not verify"):
        worker.accept_put_response(item, answer(201, json.dumps(body).encode()))
    assert outbox.counts().delivered == 0


def test_desired_state_with_new_fields_is_applied_and_read_back_by_this_release(tmp_path):
    district = District.generate()
    store = DesiredStateStore(tmp_path)
    catalogue = b'{"version":"9"}'
    state = {"version": 9, "catalogue_version": "9", "catalogue_sha256": v1.sha256_hex(catalogue),
             "config": {"kiosk.elder_mode": True}, "locker_assignments": [],
             "cohort": "default", "min_app_version": "0.1.0", "holder_hmac_key_id": "h1",
             "maintenance_window": {"from": "02:00", "to": "04:00"}}
    body = signed_body(district, "state", state)
    store.store_catalogue(v1.DesiredState.model_validate(state), catalogue)
    assert store.stage(body, district.receipt_key.public_key())
    applied = store.apply_staged(lambda: False)
    assert applied.version == 9 and applied.config == {"kiosk.elder_mode": True}
    # stored as received: a release that knows the new field still finds it signed
    kept = json.loads((store.directory / "current.json").read_bytes())
    assert kept["state"]["maintenance_window"] == {"from": "02:00", "to": "04:00"}
    assert DesiredStateStore(tmp_path).current().version == 9


def test_requests_stay_strict():
    with pytest.raises(ValueError):
        v1.TicketRequest.model_validate({"category": "A", "categroy": "typo"})


def test_previous_release_kiosk_enrols_with_the_new_server(district, tmp_path):
    """New optional answer fields (last_kiosk_seq, the backup watermark) are only sent to a
    kiosk that lists them in X-Kiosk-Features: the previous release refuses unknown fields."""
    from offline_queue.identity import load_or_create_signing_key, raw_public_key_b64
    key = load_or_create_signing_key(tmp_path)
    request = v1.EnrollRequest(token=district.enrollment_token("kiosk-old-2"),
                               kiosk_id="kiosk-old-2",
                               signing_public_key=raw_public_key_b64(key))
    answer = requests.post(district.url + v1.PATH_ENROLL, json=request.model_dump(mode="json"),
                           timeout=10)
    assert answer.status_code == 200, answer.text
    assert previous.EnrollResponse.model_validate_json(answer.content).kiosk_id == "kiosk-old-2"


def test_the_fleet_report_reaches_a_previous_server_without_the_fields_it_refuses(kiosk):
    """A server of the previous release lists no features in its health answer: the kiosk
    leaves out what it would refuse (its requests are strict) and reports the rest."""
    _district, _outbox, worker, _item = kiosk
    worker.report_extra = lambda: {
        "session_active": True,
        "devices": {"receipt_printer": {"availability": "hardwareError", "severity": "error",
                                        "kind": "printer", "units": {"paper": "out"}}}}
    report = worker.current_report()
    previous.ReportedState.model_validate(report)
    assert report["devices"]["receipt_printer"]["availability"] == "hardwareError"
    worker._server_features = {v1.FEATURE_FLEET_REPORT}
    full = v1.ReportedState.model_validate(worker.current_report())
    assert full.session_active and full.devices["receipt_printer"].units == {"paper": "out"}


def test_the_new_server_says_it_takes_the_fleet_report(district):
    health = requests.get(district.url + v1.PATH_HEALTH, timeout=10)
    assert v1.FEATURE_FLEET_REPORT in v1.features(health.headers.get(v1.HEADER_SERVER_FEATURES))


def test_device_detail_goes_only_to_a_server_that_takes_it(kiosk, district):
    """A server of the release before this one takes the fleet report but would refuse a
    device's error, action, counters and the configuration version (its requests are strict)."""
    _district, _outbox, worker, _item = kiosk
    worker.report_extra = lambda: {
        "config_version": "0123456789ab",
        "devices": {"receipt_printer": {"availability": "userError", "severity": "warning",
                                        "kind": "printer", "units": {"paper": "out"},
                                        "error_code": "paperOut", "action": "replenish",
                                        "counters": {"counts": {"prints": 3}}}}}
    worker._server_features = {v1.FEATURE_FLEET_REPORT, v1.FEATURE_ROLLOUT_HEALTH}
    older = worker.current_report()
    assert "config_version" not in older
    assert older["devices"]["receipt_printer"] == {
        "availability": "userError", "severity": "warning", "detail": "", "kind": "printer",
        "units": {"paper": "out"}}
    health = requests.get(district.url + v1.PATH_HEALTH, timeout=10)
    worker._server_features = v1.features(health.headers.get(v1.HEADER_SERVER_FEATURES))
    full = v1.ReportedState.model_validate(worker.current_report())
    assert full.config_version == "0123456789ab"
    printer = full.devices["receipt_printer"]
    assert (printer.error_code, printer.action, printer.counters.counts) == \
        ("paperOut", "replenish", {"prints": 3})


def test_the_configuration_number_goes_only_to_a_server_that_takes_it(kiosk, district):
    """A server of the release before this one would refuse the configuration version's
    number in the reported state; this server lists that it takes it."""
    _district, _outbox, worker, _item = kiosk
    worker.report_extra = lambda: {"config_number": 7}
    worker._server_features = {v1.FEATURE_FLEET_REPORT, v1.FEATURE_ROLLOUT_HEALTH,
                               v1.FEATURE_DEVICE_DETAIL}
    assert "config_number" not in worker.current_report()
    health = requests.get(district.url + v1.PATH_HEALTH, timeout=10)
    worker._server_features = v1.features(health.headers.get(v1.HEADER_SERVER_FEATURES))
    assert v1.ReportedState.model_validate(worker.current_report()).config_number == 7
