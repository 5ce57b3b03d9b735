"""Submission intake: exactly-once effect through the database's unique constraints, signed
receipts, 409/424/422, receipts with contiguous_through, payloads opened only server-side.
Every test runs on SQLite and on PostgreSQL."""
from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import httpx
from sqlalchemy import func, select

from district_server.cases.models import Case, Commitment
from district_server.kiosks.models import KioskAlarm
from district_server.submissions.models import Submission
from tests.district_server.conftest import enrolled_kiosk
from tests.district_server.kiosk_double import KioskDouble, application, deferred_application
from wire import v1


def submit_application(kiosk: KioskDouble, **changes):
    photo = kiosk.upload_blob(kiosk.encrypt_blob(b"scanned photo receipt"))
    envelope = kiosk.envelope("submission", application(photo_blob=photo, **changes),
                              blobs=[photo])
    return envelope, kiosk.put(envelope)


def test_new_submission_gets_a_verifiable_receipt_and_opens_a_case(kiosk, ctx):
    envelope, response = submit_application(kiosk)
    assert response.status_code == 201, response.text
    signed = v1.SignedReceipt.model_validate_json(response.content)
    receipt = signed.receipt
    assert kiosk.verify_district_signature(receipt, signed.signature_b64)
    assert receipt.digest == v1.submission_digest(envelope)
    assert receipt.case_number == v1.case_number(kiosk.kiosk_id, envelope.kiosk_seq)
    with ctx.db.transaction() as session:
        case = session.get(Case, receipt.case_number)
        # The payload was opened with the district key: the application is readable here only.
        assert json.loads(case.application_json)["applicant"]["name"] == "张三"
        assert case.state == "accepted" and case.promised_date is not None


def test_duplicate_put_returns_the_same_signed_receipt(kiosk, ctx):
    envelope, first = submit_application(kiosk)
    second = kiosk.put(envelope)
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.content == first.content
    with ctx.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Submission)) == 1


def test_same_id_with_other_content_is_409_and_never_overwrites(kiosk, ctx):
    envelope, first = submit_application(kiosk)
    altered = envelope.model_copy(update={"created_at": envelope.created_at.replace(year=2025)})
    response = kiosk.put(altered)
    assert response.status_code == 409 and response.json()["error"] == "conflicting_digest"
    with ctx.db.transaction() as session:
        row = session.scalars(select(Submission)).one()
        assert row.digest == v1.submission_digest(envelope)


def test_reused_kiosk_seq_under_another_id_is_409(kiosk):
    envelope, _ = submit_application(kiosk)
    other = kiosk.envelope("rating", {"level": 5, "indicator_set_version": "gd-2020",
                                      "rated_at": "2026-11-26T10:00:00Z"}, seq=envelope.kiosk_seq)
    response = kiosk.put(other)
    assert response.status_code == 409 and response.json()["error"] == "kiosk_seq_reused"


def test_missing_blobs_are_424_with_the_list_then_accepted(kiosk):
    blob = kiosk.encrypt_blob(b"page one")
    sha = v1.sha256_hex(blob)
    envelope = kiosk.envelope("submission", application(photo_blob=sha), blobs=[sha])
    response = kiosk.put(envelope)
    assert response.status_code == 424 and response.json()["missing"] == [sha]
    kiosk.upload_blob(blob)
    assert kiosk.put(envelope).status_code == 201


def test_undecryptable_and_invalid_payloads_are_422(kiosk):
    envelope = kiosk.envelope("rating", {"level": 5, "indicator_set_version": "v",
                                         "rated_at": "2026-11-26T10:00:00Z"})
    moved = envelope.model_copy(update={"kind": "audit"})     # info binds the kind
    assert kiosk.put(moved).json()["error"] == "undecryptable_payload"
    assert kiosk.put(kiosk.envelope("rating", {"level": 9})).status_code == 422
    assert kiosk.put(kiosk.envelope("rating", b"\xff not json")).status_code == 422
    bad_form = application(form_data={"applicant_name": "张三"}, materials=[])
    response = kiosk.put(kiosk.envelope("submission", bad_form))
    assert response.status_code == 422 and "required" in response.json()["detail"]


def test_path_and_body_must_agree_and_kiosks_submit_only_as_themselves(ctx, client, kiosk):
    envelope = kiosk.envelope("rating", {"level": 4, "indicator_set_version": "v",
                                         "rated_at": "2026-11-26T10:00:00Z"})
    other_id = kiosk.envelope("rating", b"{}").submission_id
    response = kiosk.request("PUT", f"/v1/submissions/{other_id}",
                             envelope.model_dump_json().encode())
    assert response.status_code == 422
    intruder = enrolled_kiosk(ctx, client, "test-kiosk-002")
    response = intruder.request("PUT", f"/v1/submissions/{envelope.submission_id}",
                                envelope.model_dump_json().encode())
    assert response.status_code == 403


def test_receipts_report_contiguous_through_and_the_server_alarms_on_gaps(kiosk, ctx):
    rating = {"level": 5, "indicator_set_version": "v", "rated_at": "2026-11-26T10:00:00Z"}
    envelopes = {seq: kiosk.envelope("rating", rating, seq=seq) for seq in (1, 2, 3, 4)}
    for seq in (1, 2, 4):
        assert kiosk.put(envelopes[seq]).status_code == 201
    page = v1.ReceiptsPage.model_validate_json(
        kiosk.request("GET", f"/v1/kiosks/{kiosk.kiosk_id}/receipts?after_seq=0").content)
    assert page.contiguous_through == 2
    assert [r.receipt.kiosk_seq for r in page.receipts] == [1, 2, 4]
    assert all(kiosk.verify_district_signature(r.receipt, r.signature_b64) for r in page.receipts)
    with ctx.db.transaction() as session:
        alarm = session.get(KioskAlarm, (kiosk.kiosk_id, "sequence_gap"))
        assert alarm.resolved_at is None and "3 missing" in alarm.detail
    assert kiosk.put(envelopes[3]).status_code == 201
    page = kiosk.request("GET", f"/v1/kiosks/{kiosk.kiosk_id}/receipts?after_seq=2").json()
    assert page["contiguous_through"] == 4
    assert [r["receipt"]["kiosk_seq"] for r in page["receipts"]] == [3, 4]
    with ctx.db.transaction() as session:
        assert session.get(KioskAlarm, (kiosk.kiosk_id, "sequence_gap")).resolved_at is not None


def test_tolerance_application_then_material_supplied(kiosk, ctx):
    payload, signature = deferred_application(kiosk)
    envelope = kiosk.envelope("submission", payload, blobs=[signature])
    response = kiosk.put(envelope)
    assert response.status_code == 201, response.text
    number = response.json()["receipt"]["case_number"]
    with ctx.db.transaction() as session:
        case = session.get(Case, number)
        assert json.loads(case.outstanding_json) == ["income_proof"]
        assert case.material_due_date == date(2026, 12, 1)
        assert session.scalars(select(Commitment)).one().fill_state == "pending"
    page = kiosk.upload_blob(kiosk.encrypt_blob(b"income statement scan"))
    supplied = kiosk.envelope("commitment", {
        "case_number": number, "action": "supplied",
        "supplied": [{"code": "income_proof", "status": "provided", "blobs": [page]}]},
        blobs=[page])
    assert kiosk.put(supplied).status_code == 201
    with ctx.db.transaction() as session:
        case = session.get(Case, number)
        assert json.loads(case.outstanding_json) == [] and case.material_due_date is None
        assert session.scalars(select(Commitment)).one().fill_state == "supplied"
        # The blob bytes are HPKE ciphertext only the district key opens.
        assert ctx.keys.decrypt_blob(ctx.blobs.read(page)) == b"income statement scan"


def test_deferring_a_material_that_does_not_allow_it_is_422(kiosk):
    signature = kiosk.upload_blob(kiosk.encrypt_blob(b"sig"))
    materials = [{"code": "id_card", "status": "reused", "certificate_id": "x"},
                 {"code": "residence_proof", "status": "deferred"},
                 {"code": "photo_receipt", "status": "provided", "blobs": [signature]}]
    commitment = {"materials": ["residence_proof"], "text_version": "t",
                  "signature_blob": signature, "signed_at": "2026-11-26T10:00:00Z",
                  "due_date": "2026-12-01", "supply_channel": "upload"}
    response = kiosk.put(kiosk.envelope("submission", application(
        materials=materials, commitment=commitment), blobs=[signature]))
    assert response.status_code == 422 and "may not be supplied later" in response.text


def test_concurrent_duplicate_puts_make_one_row_over_live_http(ctx, live_server):
    """16 threads PUT the same envelope to uvicorn at once: one 201, the rest 200 with the
    same receipt, one row (the unique constraint decides, never a prior SELECT)."""
    with httpx.Client(base_url=live_server.url, timeout=60) as http:
        kiosk = enrolled_kiosk(ctx, http)
        envelope = kiosk.envelope("rating", {"level": 5, "indicator_set_version": "v",
                                             "rated_at": "2026-11-26T10:00:00Z"})
        with ThreadPoolExecutor(16) as pool:
            responses = list(pool.map(lambda _: kiosk.put(envelope), range(16)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * 15 + [201], [r.text for r in responses if r.status_code >= 300]
    assert len({r.content for r in responses}) == 1
    with ctx.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Submission)) == 1


def test_kiosk_audit_entries_join_the_servers_hash_chain(kiosk, ctx):
    from district_server.audit.models import AuditEntry
    from district_server.audit.service import verify_chain
    entry = {"action": "locker.open", "parcel_id": "P1", "case_number": "k-1",
             "compartment": 3, "who": "staff:42", "why": "deposit",
             "at": "2026-11-26T09:00:00+08:00"}
    assert kiosk.put(kiosk.envelope("audit", entry)).status_code == 201
    with ctx.db.transaction() as session:
        row = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "kiosk.locker.open")).one()
        assert row.actor == f"kiosk:{kiosk.kiosk_id}" and json.loads(row.detail)["who"] == "staff:42"
        assert verify_chain(session) >= 1
