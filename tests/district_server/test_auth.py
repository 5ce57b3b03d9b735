"""Signed requests: forged, replayed, stale, unknown, tampered; kiosks confined to their own
data; one-time enrolment tokens."""
from __future__ import annotations

import time

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sqlalchemy import event
from sqlalchemy.orm import Session

from district_server.kiosks.service import issue_token
from tests.district_server.conftest import enrolled_kiosk
from tests.district_server.kiosk_double import KioskDouble

RECEIPTS = "/v1/kiosks/{}/receipts"


def test_signed_request_passes(kiosk):
    assert kiosk.request("GET", RECEIPTS.format(kiosk.kiosk_id)).status_code == 200


def test_forged_signature_is_401(kiosk):
    kiosk.key = Ed25519PrivateKey.generate()          # not the enrolled key
    response = kiosk.request("GET", RECEIPTS.format(kiosk.kiosk_id))
    assert response.status_code == 401 and response.json()["error"] == "bad_signature"


def test_replayed_request_is_401(kiosk, client):
    target = RECEIPTS.format(kiosk.kiosk_id)
    headers = kiosk.signed_headers("GET", target, b"")
    assert client.get(target, headers=headers).status_code == 200
    replay = client.get(target, headers=headers)
    assert replay.status_code == 401 and replay.json()["error"] == "replayed_nonce"


def test_a_refused_request_cannot_be_replayed_either(kiosk, client):
    """The nonce goes into the handler's transaction; when that never commits (refused
    before or inside it) it is recorded on its own afterwards."""
    target = RECEIPTS.format("test-kiosk-009")          # another kiosk's: refused, 403
    headers = kiosk.signed_headers("GET", target, b"")
    assert client.get(target, headers=headers).status_code == 403
    replay = client.get(target, headers=headers)
    assert replay.status_code == 401 and replay.json()["error"] == "replayed_nonce"


def test_a_signed_write_is_one_transaction_with_its_nonce(kiosk):
    """Authentication reads; the nonce is written by the handler's own transaction, so a
    signed request costs the district one commit (one fsync on SQLite), not two."""
    writing_sessions: set[int] = set()

    def flushed(session, _context) -> None:
        writing_sessions.add(id(session))

    event.listen(Session, "after_flush", flushed)
    try:
        response = kiosk.request("PATCH", f"/v1/kiosks/{kiosk.kiosk_id}/state",
                                 {"queue_depth": 3})
    finally:
        event.remove(Session, "after_flush", flushed)
    assert response.status_code == 200
    assert len(writing_sessions) == 1


def test_request_outside_the_time_window_is_401(kiosk):
    stale = kiosk.request("GET", RECEIPTS.format(kiosk.kiosk_id),
                          timestamp=int(time.time()) - 301)
    assert stale.status_code == 401 and stale.json()["error"] == "timestamp_out_of_window"
    future = kiosk.request("GET", RECEIPTS.format(kiosk.kiosk_id),
                           timestamp=int(time.time()) + 301)
    assert future.status_code == 401


def test_unknown_kiosk_and_unsigned_requests_are_401(client, kiosk):
    stranger = KioskDouble(client, "never-enrolled")
    assert stranger.request("GET", RECEIPTS.format("never-enrolled")).status_code == 401
    assert client.get(RECEIPTS.format(kiosk.kiosk_id)).status_code == 401


def test_body_changed_after_signing_is_401(kiosk, client):
    body = b'{"queue_depth": 1}'
    target = f"/v1/kiosks/{kiosk.kiosk_id}/state"
    headers = kiosk.signed_headers("PATCH", target, body)
    response = client.patch(target, content=b'{"queue_depth": 9}',
                            headers={**headers, "Content-Type": "application/json"})
    assert response.status_code == 401


def test_a_kiosk_cannot_read_or_write_another_kiosks_data(ctx, client, kiosk):
    other = enrolled_kiosk(ctx, client, "test-kiosk-002")
    for method, target, body in (
            ("GET", RECEIPTS.format(kiosk.kiosk_id), b""),
            ("GET", f"/v1/kiosks/{kiosk.kiosk_id}/desired-state", b""),
            ("PATCH", f"/v1/kiosks/{kiosk.kiosk_id}/state", b'{"queue_depth": 3}')):
        response = other.request(method, target, body)
        assert response.status_code == 403, (target, response.text)
        assert response.json()["error"] == "other_kiosk"


def test_another_kiosks_upload_is_403(ctx, client, kiosk):
    data = kiosk.encrypt_blob(b"x" * 100)
    from wire import v1
    created = kiosk.request("POST", f"/v1/blobs/{v1.sha256_hex(data)}/uploads",
                            {"length": len(data)}).json()
    other = enrolled_kiosk(ctx, client, "test-kiosk-002")
    response = other.request("HEAD", f"/v1/blobs/uploads/{created['upload_id']}")
    assert response.status_code == 403


def test_enrolment_token_is_single_use_and_bound(ctx, client):
    with ctx.db.transaction() as session:
        token = issue_token(session, now=ctx.now(), ttl_s=600, hall_code="FT-CENTRE",
                            cohort="default", kiosk_id="kiosk-one")
        bound = issue_token(session, now=ctx.now(), ttl_s=600, hall_code="FT-CENTRE",
                            cohort="default", kiosk_id="kiosk-bound")
    KioskDouble(client, "kiosk-one").enroll(token)
    reuse = client.post("/v1/enroll", json={"token": token, "kiosk_id": "kiosk-two",
                                            "signing_public_key": "A" * 43 + "="})
    assert reuse.status_code == 401
    wrong = client.post("/v1/enroll", json={"token": bound, "kiosk_id": "kiosk-other",
                                            "signing_public_key": "A" * 43 + "="})
    assert wrong.status_code == 403
