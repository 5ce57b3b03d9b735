"""Citizen services: only with a fresh kiosk-signed assertion, always audited (hash chain)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from district_server.audit.models import AuditEntry
from district_server.audit.service import AuditChainBroken, verify_chain
from tests.district_server.conftest import enrolled_kiosk
from tests.district_server.kiosk_double import VALID_ID, application
from wire import v1


def ask(kiosk, path: str, **body):
    return kiosk.request("POST", path, body)


def test_cases_need_an_assertion(kiosk):
    assert ask(kiosk, "/v1/citizen/cases").status_code == 422


@pytest.mark.parametrize("problem, expected", [
    ("stale", "identification_stale"),
    ("future", "identification_stale"),
    ("forged", "bad_assertion_signature"),
    ("other_kiosk", "other_kiosk"),
    ("document_only", "identification_insufficient"),
])
def test_cases_refused_without_a_fresh_valid_assertion(kiosk, problem, expected):
    now = datetime.now(timezone.utc)
    options = {"stale": dict(identified_at=now - timedelta(seconds=121)),
               "future": dict(identified_at=now + timedelta(seconds=120)),
               "forged": dict(signer=Ed25519PrivateKey.generate()),
               "other_kiosk": dict(kiosk_id="test-kiosk-999"),
               "document_only": dict(method="document")}[problem]
    response = ask(kiosk, "/v1/citizen/cases", assertion=kiosk.assertion(**options))
    assert response.status_code == 403, response.text
    assert response.json()["error"] == expected


def test_an_assertion_is_used_once(kiosk):
    assertion = kiosk.assertion()
    assert ask(kiosk, "/v1/citizen/cases", assertion=assertion).status_code == 200
    again = ask(kiosk, "/v1/citizen/cases", assertion=assertion)
    assert again.status_code == 403 and again.json()["error"] == "assertion_replayed"


def test_cases_across_kiosks_and_halls(ctx, client, kiosk):
    photo = kiosk.upload_blob(kiosk.encrypt_blob(b"photo"))
    assert kiosk.put(kiosk.envelope("submission", application(photo_blob=photo),
                                    blobs=[photo])).status_code == 201
    elsewhere = enrolled_kiosk(ctx, client, "test-kiosk-002")
    response = ask(elsewhere, "/v1/citizen/cases", assertion=elsewhere.assertion())
    assert response.status_code == 200, response.text
    cases = v1.CasesResponse.model_validate_json(response.content).cases
    numbers = {c.case_number for c in cases}
    assert f"{kiosk.kiosk_id}-1" in numbers                 # filed at the other kiosk
    assert any(n.startswith("FT-CENTRE-H") for n in numbers)  # the demo hall case
    mine = next(c for c in cases if c.case_number == f"{kiosk.kiosk_id}-1")
    assert mine.service_name.zh == "居住证申领" and mine.promised_date is not None
    other_person = ask(elsewhere, "/v1/citizen/cases",
                       assertion=elsewhere.assertion(id_number="440524188001010014"))
    assert f"{kiosk.kiosk_id}-1" not in other_person.text


def test_certificates_and_reference_photo(kiosk):
    certificates = ask(kiosk, "/v1/citizen/certificates", assertion=kiosk.assertion(),
                       elicence_types=["resident_id"])
    assert certificates.status_code == 200
    assert [c["elicence_type"] for c in certificates.json()["certificates"]] == ["resident_id"]
    photo = ask(kiosk, "/v1/citizen/reference-photo",
                assertion=kiosk.assertion(method="document"))
    assert photo.status_code == 200
    body = v1.ReferencePhotoResponse.model_validate_json(photo.content)
    assert v1.b64decode_strict(body.photo_b64)[:2] == b"\xff\xd8"   # a JPEG
    again = ask(kiosk, "/v1/citizen/reference-photo",
                assertion=kiosk.assertion(method="document"))
    assert again.json()["photo_b64"] == body.photo_b64      # the same generated person


def test_appointment_check_in_and_queue_tickets_with_waiting_counts(kiosk):
    listed = ask(kiosk, "/v1/citizen/appointments", assertion=kiosk.assertion())
    appointments = v1.AppointmentsResponse.model_validate_json(listed.content).appointments
    assert appointments and all(a.status == "booked" for a in appointments)
    category = appointments[0].queue_category
    before = {c["code"]: c["waiting"] for c in
              kiosk.request("GET", "/v1/queue/categories").json()["categories"]}
    checked = ask(kiosk, f"/v1/citizen/appointments/{appointments[0].appointment_id}/check-in",
                  assertion=kiosk.assertion())
    assert checked.status_code == 200, checked.text
    result = v1.CheckInResponse.model_validate_json(checked.content)
    assert result.appointment.status == "checked_in" and result.ticket.priority == "appointment"
    twice = ask(kiosk, f"/v1/citizen/appointments/{appointments[0].appointment_id}/check-in",
                assertion=kiosk.assertion())
    assert twice.status_code == 409
    ticket = ask(kiosk, "/v1/citizen/tickets", assertion=kiosk.assertion(id_number="440524188001010014"),
                 category=category, priority="elderly")
    assert ticket.status_code == 200
    assert ticket.json()["waiting_ahead"] == before[category] + 1
    assert ticket.json()["ticket_no"].endswith("002")
    after = {c["code"]: c["waiting"] for c in
             kiosk.request("GET", "/v1/queue/categories").json()["categories"]}
    assert after[category] == before[category] + 2
    unknown = ask(kiosk, "/v1/citizen/tickets", assertion=kiosk.assertion(), category="nope")
    assert unknown.status_code == 422


def test_someone_elses_appointment_is_404(kiosk):
    mine = ask(kiosk, "/v1/citizen/appointments", assertion=kiosk.assertion()).json()
    appointment_id = mine["appointments"][0]["appointment_id"]
    response = ask(kiosk, f"/v1/citizen/appointments/{appointment_id}/check-in",
                   assertion=kiosk.assertion(id_number="440524188001010014"))
    assert response.status_code == 404


def test_staff_call_with_or_without_identification(kiosk):
    anonymous = ask(kiosk, "/v1/citizen/staff-call", reason="identity_failed")
    assert anonymous.status_code == 200 and anonymous.json()["position"] == 0
    identified = ask(kiosk, "/v1/citizen/staff-call", reason="help",
                     assertion=kiosk.assertion(method="document"))
    assert identified.status_code == 200 and identified.json()["position"] == 1


def test_every_citizen_access_is_audited_in_a_verifiable_chain(kiosk, ctx):
    for path in ("/v1/citizen/cases", "/v1/citizen/certificates", "/v1/citizen/appointments"):
        assert ask(kiosk, path, assertion=kiosk.assertion()).status_code == 200
    holder = ctx.keys.holder(VALID_ID)
    with ctx.db.transaction() as session:
        entries = list(session.scalars(select(AuditEntry).where(
            AuditEntry.subject_hmac == holder).order_by(AuditEntry.seq)))
        assert [e.action for e in entries] == ["citizen.cases", "citizen.certificates",
                                               "citizen.appointments"]
        assert VALID_ID not in "".join(e.detail for e in entries)   # never the plain number
        assert verify_chain(session) >= 3
        entries[1].detail = '{"method": "pickup_code"}'
    with ctx.db.transaction() as session, pytest.raises(AuditChainBroken):
        verify_chain(session)


def test_check_in_with_the_booking_code_alone(kiosk):
    from district_server.citizens.service import DEMO_BOOKING_CODE
    unknown = ask(kiosk, "/v1/citizen/check-in", booking_code="NOSUCH99")
    assert unknown.status_code == 404
    checked = ask(kiosk, "/v1/citizen/check-in", booking_code=DEMO_BOOKING_CODE)
    assert checked.status_code == 200, checked.text
    answer = v1.CheckInResponse.model_validate_json(checked.content)
    assert answer.appointment.status == "checked_in" and answer.ticket.priority == "appointment"
    again = ask(kiosk, "/v1/citizen/check-in", booking_code=DEMO_BOOKING_CODE)
    assert again.status_code == 409


def test_walk_in_tickets_need_identification_only_for_priority(kiosk):
    normal = ask(kiosk, "/v1/citizen/tickets", category="general")
    assert normal.status_code == 200 and normal.json()["priority"] == "normal"
    refused = ask(kiosk, "/v1/citizen/tickets", category="general", priority="elderly")
    assert refused.status_code == 403 and refused.json()["error"] == "identification_required"
    elderly = ask(kiosk, "/v1/citizen/tickets", category="general", priority="elderly",
                  assertion=kiosk.assertion(method="document"))
    assert elderly.status_code == 200 and elderly.json()["waiting_ahead"] == 1


@pytest.mark.parametrize("local_time", ["09:00", "23:29", "23:31", "23:59"])
def test_the_demo_booking_checks_in_at_any_hour_of_its_day(ctx, kiosk, local_time):
    import dataclasses

    from district_server.cases.service import LOCAL_TZ
    from district_server.citizens.service import (DEMO_BOOKING_CODE, check_in_by_code,
                                                  ensure_demo_booking)
    from district_server.kiosks.service import KioskPrincipal
    hour, minute = map(int, local_time.split(":"))
    moment = datetime(2026, 12, 6, hour, minute, 30, tzinfo=LOCAL_TZ)
    at_that_moment = dataclasses.replace(ctx, now=lambda: moment)
    principal = KioskPrincipal(kiosk.kiosk_id, ctx.settings.default_hall_code, "default", b"")
    with ctx.db.transaction() as session:
        ensure_demo_booking(session, at_that_moment)  # as the demo server does at its start
        answer = check_in_by_code(session, at_that_moment, principal, DEMO_BOOKING_CODE)
    assert answer.appointment.status == "checked_in"
