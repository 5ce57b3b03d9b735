"""The attacks that got through before roles, ownership and limits (issue 16), each as a
test: re-keying a kiosk with another kiosk's token, guessing booking codes, cross-origin
console forms, a huge GET body, revocation and expiry that did not take effect, lockout."""
from __future__ import annotations

import socket
from datetime import datetime, timedelta, timezone

import httpx
import pytest

from district_server.kiosks.models import EnrollmentToken
from district_server.kiosks.service import issue_token
from district_server.kiosks.service import revoke as revoke_kiosk
from district_server.staff.accounts import revoke as revoke_staff
from tests.district_server.conftest import (STAFF_PASSWORD, add_staff, enrolled_kiosk,
                                            staff_headers)
from tests.district_server.kiosk_double import KioskDouble, application
from wire import v1


def _token(ctx, kiosk_id: str | None) -> str:
    with ctx.db.transaction() as session:
        if kiosk_id is not None:
            return issue_token(session, now=ctx.now(), ttl_s=600, hall_code="FT-CENTRE",
                               cohort="default", kiosk_id=kiosk_id)
        # as issued before tokens were bound to a kiosk id
        session.add(EnrollmentToken(token_hash=v1.sha256_hex(b"legacy-unbound-token-0"),
                                    kiosk_id=None, hall_code="FT-CENTRE", cohort="default",
                                    created_at=ctx.now(),
                                    expires_at=ctx.now() + timedelta(hours=1)))
        return "legacy-unbound-token-0"


def test_a_token_for_another_kiosk_cannot_rekey_an_enrolled_kiosk(ctx, client, kiosk):
    for stolen in (_token(ctx, "kiosk-thief"), _token(ctx, None)):
        thief = KioskDouble(client, kiosk.kiosk_id)
        public = thief.key.public_key().public_bytes_raw()
        response = client.post("/v1/enroll", json={
            "token": stolen, "kiosk_id": kiosk.kiosk_id,
            "signing_public_key": __import__("base64").b64encode(public).decode()})
        assert response.status_code == 403, response.text
        assert thief.request("GET", f"/v1/kiosks/{kiosk.kiosk_id}/receipts").status_code == 401
    # the real kiosk is not locked out
    assert kiosk.request("GET", f"/v1/kiosks/{kiosk.kiosk_id}/receipts").status_code == 200
    # a token issued for this very kiosk id re-keys it (a replaced disk), once
    rekeyed = KioskDouble(client, kiosk.kiosk_id)
    rekeyed.enroll(_token(ctx, kiosk.kiosk_id))
    assert kiosk.request("GET", f"/v1/kiosks/{kiosk.kiosk_id}/receipts").status_code == 401


def test_expired_enrolment_token_is_refused(ctx, client):
    token = _token(ctx, "kiosk-late")
    later = ctx.now() + timedelta(hours=1)
    ctx.now = lambda: later
    response = client.post("/v1/enroll", json={"token": token, "kiosk_id": "kiosk-late",
                                               "signing_public_key": "A" * 43 + "="})
    assert response.status_code == 401


def test_booking_code_guessing_is_rate_limited_per_kiosk(ctx, client, kiosk):
    limit, _window = ctx.settings.booking_code_attempts_per_kiosk
    statuses = [kiosk.request("POST", "/v1/citizen/check-in",
                              {"booking_code": f"GUESS{n:06d}"}).status_code
                for n in range(limit + 5)]
    assert statuses[:limit] == [404] * limit
    assert statuses[limit:] == [429] * 5
    refused = kiosk.request("POST", "/v1/citizen/check-in", {"booking_code": "GUESS999999"})
    assert int(refused.headers["Retry-After"]) >= 1
    # another kiosk is not held up by this one's guessing
    other = enrolled_kiosk(ctx, client, "test-kiosk-002")
    assert other.request("POST", "/v1/citizen/check-in",
                         {"booking_code": "GUESS999998"}).status_code == 404


def test_one_code_guessed_from_many_kiosks_is_rate_limited(ctx, client):
    limit, _window = ctx.settings.booking_code_attempts_per_code
    kiosks = [enrolled_kiosk(ctx, client, f"test-kiosk-{n:03d}") for n in range(limit + 1)]
    statuses = [k.request("POST", "/v1/citizen/check-in",
                          {"booking_code": "SAMECODE01"}).status_code for k in kiosks]
    assert statuses == [404] * limit + [429]


def test_wrong_passwords_lock_the_account_and_sessions_expire(ctx, client):
    staff_id = add_staff(ctx, "clerk")
    tries = ctx.settings.staff_lockout_after
    for _ in range(tries):
        assert client.post("/v1/staff/login", json={"staff_id": staff_id,
                                                    "password": "guess guess"}).status_code == 401
    locked = client.post("/v1/staff/login", json={"staff_id": staff_id,
                                                  "password": STAFF_PASSWORD})
    assert locked.status_code == 423
    start = ctx.now()
    ctx.now = lambda: start + timedelta(seconds=ctx.settings.staff_lockout_s + 1)
    signed_in = client.post("/v1/staff/login", json={"staff_id": staff_id,
                                                     "password": STAFF_PASSWORD})
    assert signed_in.status_code == 200
    headers = {"Authorization": f"Bearer {signed_in.json()['token']}"}
    assert client.get("/v1/staff/cases", headers=headers).status_code == 200
    expiry = start + timedelta(seconds=ctx.settings.staff_lockout_s + 1
                               + ctx.settings.staff_session_ttl_s)
    ctx.now = lambda: expiry
    assert client.get("/v1/staff/cases", headers=headers).status_code == 401


def test_unknown_staff_and_logout(ctx, client):
    assert client.post("/v1/staff/login", json={"staff_id": "nobody",
                                                "password": "x" * 12}).status_code == 401
    headers = staff_headers(ctx, client)
    assert client.post("/v1/staff/logout", headers=headers).status_code == 204
    assert client.get("/v1/staff/cases", headers=headers).status_code == 401


def test_sign_ins_are_rate_limited_per_client(ctx, client):
    limit, _window = ctx.settings.login_attempts_per_client
    statuses = {client.post("/v1/staff/login", json={"staff_id": f"guess{n}",
                                                     "password": "x" * 12}).status_code
                for n in range(limit + 1)}
    assert statuses == {401, 429}


def test_revocation_takes_effect_at_the_next_request(ctx, client, kiosk):
    headers = staff_headers(ctx, client, "supervisor")
    assert client.get("/v1/staff/cases", headers=headers).status_code == 200
    with ctx.db.transaction() as session:             # what `district-server staff-revoke` does
        revoke_staff(session, "supervisor-ft-centre", now=ctx.now())
    assert client.get("/v1/staff/cases", headers=headers).status_code == 401
    assert client.post("/v1/staff/login", json={"staff_id": "supervisor-ft-centre",
                                                "password": STAFF_PASSWORD}).status_code == 401
    assert kiosk.request("GET", f"/v1/kiosks/{kiosk.kiosk_id}/receipts").status_code == 200
    with ctx.db.transaction() as session:             # `district-server kiosk-revoke`
        revoke_kiosk(session, kiosk.kiosk_id, now=ctx.now())
    assert kiosk.request("GET", f"/v1/kiosks/{kiosk.kiosk_id}/receipts").status_code == 401


def test_a_blob_is_stored_once_but_visible_only_to_its_uploaders(ctx, client, kiosk):
    data = kiosk.encrypt_blob(b"scan")
    sha = kiosk.upload_blob(data)
    other = enrolled_kiosk(ctx, client, "test-kiosk-002")
    assert other.request("HEAD", f"/v1/blobs/{sha}").status_code == 404
    created = other.request("POST", f"/v1/blobs/{sha}/uploads", {"length": len(data)})
    assert created.status_code == 201 and not created.json()["complete"]   # send the bytes
    assert other.upload_blob(data) == sha
    assert other.request("HEAD", f"/v1/blobs/{sha}").status_code == 200
    assert len(list(ctx.blobs.root.glob(f"*{sha}*"))) == 1


# --- the hall console: CSRF token and origin --------------------------------------------

def _console_session(ctx, client, role: str = "clerk", hall_code: str = "FT-CENTRE") -> str:
    """Sign in through the console form; returns the CSRF token of the session's pages."""
    staff_id = add_staff(ctx, role, hall_code)
    page = client.get("/console/login")
    csrf = page.text.split("name='csrf' value='")[1].split("'")[0]
    signed_in = client.post("/console/login", data={
        "csrf": csrf, "staff_id": staff_id, "password": STAFF_PASSWORD},
        headers={"Origin": "http://testserver"}, follow_redirects=False)
    assert signed_in.status_code == 303, signed_in.text
    console = client.get("/console")
    return console.text.split('name="csrf" value="')[1].split('"')[0]


def test_console_forms_need_the_csrf_token_and_the_own_origin(ctx, client, kiosk):
    call = kiosk.request("POST", "/v1/citizen/staff-call", {"reason": "other"}).json()
    csrf = _console_session(ctx, client)
    close = f"/console/calls/{call['call_id']}/close"
    assert client.post(close, data={"csrf": csrf}, headers={"Origin": "https://evil.example"},
                       follow_redirects=False).status_code == 403
    assert client.post(close, data={}, headers={"Origin": "http://testserver"},
                       follow_redirects=False).status_code == 403
    assert client.post(close, data={"csrf": csrf}, follow_redirects=False).status_code == 403
    assert "other" in client.get("/console").text          # the call is still open
    done = client.post(close, data={"csrf": csrf}, headers={"Origin": "http://testserver"},
                       follow_redirects=False)
    assert done.status_code == 303
    assert client.get("/v1/staff/staff-calls",
                      headers=staff_headers(ctx, client, "supervisor")).json()["calls"] == []


def test_console_login_needs_the_csrf_token_and_the_own_origin(ctx, client):
    staff_id = add_staff(ctx, "clerk")
    page = client.get("/console/login")
    csrf = page.text.split("name='csrf' value='")[1].split("'")[0]
    form = {"csrf": csrf, "staff_id": staff_id, "password": STAFF_PASSWORD}
    assert client.post("/console/login", data=form, headers={"Origin": "https://evil.example"},
                       follow_redirects=False).status_code == 403
    assert client.post("/console/login", data={**form, "csrf": "forged"},
                       headers={"Origin": "http://testserver"},
                       follow_redirects=False).status_code == 403
    assert client.post("/console/login", data=form, headers={"Origin": "http://testserver"},
                       follow_redirects=False).status_code == 303


# --- body size before authentication, for every method -----------------------------------

def _raw(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request)
        return connection.recv(4096)


@pytest.mark.parametrize("method", ["GET", "HEAD", "DELETE", "POST"])
def test_an_oversize_body_is_refused_before_authentication(live_server, method):
    declared = (f"{method} /v1/kiosks/k-1/receipts HTTP/1.1\r\nHost: x\r\n"
                f"Content-Length: {300 * 1024 * 1024}\r\n\r\n").encode()
    assert _raw(live_server.port, declared).startswith(b"HTTP/1.1 413")
    # chunked: no length declared; refused once the bytes pass the limit
    chunk = b"x" * 65536
    chunked = (f"{method} /v1/kiosks/k-1/receipts HTTP/1.1\r\nHost: x\r\n"
               "Transfer-Encoding: chunked\r\n\r\n").encode() \
        + (f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n") * 5
    answer = _raw(live_server.port, chunked)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:80]


def test_an_ordinary_get_still_passes(live_server):
    assert httpx.get(f"{live_server.url}/v1/health").status_code == 204


def test_revocation_from_the_console(ctx, client, kiosk):
    victim = add_staff(ctx, "clerk", staff_id="clerk-leaving")
    csrf = _console_session(ctx, client, "administrator")
    own = {"Origin": "http://testserver"}
    assert f"revoke-{kiosk.kiosk_id}" in client.get("/console/fleet").text
    assert client.post(f"/console/kiosks/{kiosk.kiosk_id}/revoke", data={"csrf": csrf},
                       headers=own, follow_redirects=False).status_code == 303
    assert kiosk.request("GET", f"/v1/kiosks/{kiosk.kiosk_id}/receipts").status_code == 401
    assert client.post(f"/console/staff/{victim}/revoke", data={"csrf": csrf}, headers=own,
                       follow_redirects=False).status_code == 303
    assert "已吊销 Revoked" in client.get("/console/staff").text
    assert client.post("/v1/staff/login", json={"staff_id": victim,
                                                "password": STAFF_PASSWORD}).status_code == 401


def test_another_kiosk_acts_on_a_case_only_for_its_identified_holder(ctx, client, kiosk):
    photo = kiosk.upload_blob(kiosk.encrypt_blob(b"photo"))
    case = kiosk.put(kiosk.envelope("submission", application(photo_blob=photo),
                                    blobs=[photo])).json()["receipt"]["case_number"]
    other = enrolled_kiosk(ctx, client, "test-kiosk-002")

    def rating(holder_assertion: dict | None):
        payload = {"case_number": case, "level": 1, "indicator_set_version": "gd-2020",
                   "rated_at": "2026-11-26T10:00:00Z"}
        if holder_assertion is not None:
            payload["holder_assertion"] = holder_assertion
        return other.put(other.envelope("rating", payload))

    def refused(response) -> str:
        assert response.status_code == 403, response.text
        return response.json()["error"]

    assert refused(rating(None)) == "other_kiosk_case"
    assert refused(rating(other.assertion(id_number="440524188001010014"))) == "not_the_holder"
    an_hour_ago = datetime.now(timezone.utc) - timedelta(hours=1)
    assert refused(rating(other.assertion(identified_at=an_hour_ago))) \
        == "identification_stale"
    assert refused(rating(other.assertion(signer=kiosk.key))) == "bad_assertion_signature"
    assert refused(rating(other.assertion(method="document"))) \
        == "identification_insufficient"
    assert rating(other.assertion()).status_code == 201     # the holder, identified just now
    supplied = other.put(other.envelope("commitment", {
        "case_number": case, "action": "supplied", "supplied": [],
        "holder_assertion": other.assertion()}))
    assert supplied.status_code == 201, supplied.text


def test_a_member_sets_their_own_kiosk_pin_on_the_console(ctx, client, kiosk, tmp_path,
                                                          test_clock):
    """The own-account page sets the kiosk PIN, confirmed with the web password; a wrong
    password, two different PINs or one that is not 6-12 digits change nothing. The hall's
    kiosks take it at their next sync and let the person in with it."""
    from district_server.staff.models import StaffAccount
    from kiosk.config import load_config
    from kiosk.staff_access import StaffAccess
    csrf = _console_session(ctx, client, "technician")
    assert "/console/account" in client.get("/console").text
    assert "Not set" in client.get("/console/account").text
    origin = {"Origin": "http://testserver"}

    def set_pin(pin, again, password=STAFF_PASSWORD):
        return client.post("/console/account/kiosk-pin", headers=origin, follow_redirects=False,
                           data={"csrf": csrf, "pin": pin, "pin_again": again,
                                 "password": password})

    for refused, says in ((set_pin("483920", "483920", "not my password"), "Wrong password"),
                          (set_pin("483920", "483921"), "The two PINs differ"),
                          (set_pin("48392", "48392"), "6 to 12 digits"),
                          (set_pin("48392a", "48392a"), "6 to 12 digits")):
        assert refused.status_code == 422 and says in refused.text
    with ctx.db.transaction() as session:
        assert session.get(StaffAccount, "technician-ft-centre").kiosk_pin_hash is None
    assert set_pin("483920", "483920").status_code == 303
    assert "Set:" in client.get("/console/account").text
    assert "483920" not in client.get("/console/account").text
    staff = v1.SignedDesiredState.model_validate_json(kiosk.request(
        "GET", f"/v1/kiosks/{kiosk.kiosk_id}/desired-state",
        headers={v1.HEADER_FEATURES: f"{v1.FEATURE_KIOSK_STAFF},{v1.FEATURE_KIOSK_PIN}"}
    ).content).state.staff
    access = StaffAccess(tmp_path, load_config(None).config.maintenance, test_clock)
    access.update(staff)
    assert access.check("technician-ft-centre", "483920").role == "technician"


def test_a_member_registers_their_staff_card_on_the_console(ctx, client, kiosk):
    """The own-account page registers the person's resident ID card, confirmed with the web
    password; kiosks announcing the staff card take only the number's salted hash."""
    from kiosk.pickup_secrets import verify_secret
    csrf = _console_session(ctx, client, "technician")
    assert "Not registered" in client.get("/console/account").text

    def register(number, password=STAFF_PASSWORD):
        return client.post("/console/account/staff-card", follow_redirects=False,
                           headers={"Origin": "http://testserver"},
                           data={"csrf": csrf, "id_number": number, "password": password})

    for refused, says in ((register("44030419900101123X", "not my password"), "Wrong password"),
                          (register("4403041990"), "17 digits and a check digit")):
        assert refused.status_code == 422 and says in refused.text
    assert "Not registered" in client.get("/console/account").text
    assert register("44030419900101123x").status_code == 303
    shown = client.get("/console/account").text
    assert "Registered:" in shown and "440304" not in shown
    staff = v1.SignedDesiredState.model_validate_json(kiosk.request(
        "GET", f"/v1/kiosks/{kiosk.kiosk_id}/desired-state",
        headers={v1.HEADER_FEATURES: ",".join((v1.FEATURE_KIOSK_STAFF, v1.FEATURE_KIOSK_PIN,
                                               v1.FEATURE_STAFF_CARD))}).content).state.staff
    [person] = [s for s in staff if s.staff_id == "technician-ft-centre"]
    assert verify_secret("44030419900101123X", person.card_hash)
