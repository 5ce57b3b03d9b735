"""The wire contract's byte-level helpers and model rules, with fixed vectors so the kiosk
and the server cannot drift apart silently."""
from __future__ import annotations

import base64
import hashlib
from datetime import datetime, timezone

import pytest
from hypothesis import given, settings, strategies as st
from pydantic import ValidationError

from wire import v1

SUBMISSION_ID = "01938f6e-7c3a-7def-8abc-0123456789ab"
KEY32 = base64.b64encode(bytes(range(32))).decode()


def envelope(**changes) -> v1.SubmissionEnvelope:
    fields = dict(submission_id=SUBMISSION_ID, kiosk_id="demo-kiosk-001", kiosk_seq=7,
                  kind="submission", created_at="2026-11-26T18:00:00+08:00",
                  payload={"key_id": "p1", "enc_b64": KEY32, "ciphertext_b64": "AAAA"},
                  blobs=["a" * 64])
    fields.update(changes)
    return v1.SubmissionEnvelope.model_validate(fields)


def test_canonical_json_sorts_keys_without_spaces_and_keeps_unicode():
    assert v1.canonical_json({"b": 1, "a": ["办", None]}) == '{"a":["办",null],"b":1}'.encode()


def test_canonical_request_vector():
    body = b'{"x":1}'
    expected = ("PUT\n/v1/submissions/abc?x=1\n1700000000\n" + "0" * 32 + "\n"
                + hashlib.sha256(body).hexdigest()).encode()
    assert v1.canonical_request("put", "/v1/submissions/abc?x=1", 1700000000, "0" * 32,
                                body) == expected


def test_envelope_times_are_normalised_to_utc_so_digests_agree():
    local = envelope()
    utc = envelope(created_at="2026-11-26T10:00:00Z")
    assert local.created_at == utc.created_at
    assert v1.submission_digest(local) == v1.submission_digest(utc)
    assert b'"created_at":"2026-11-26T10:00:00Z"' in v1.canonical_json(local)


def test_digest_vector_is_stable():
    # Changing this value breaks every kiosk in the field: the envelope bytes are the contract.
    assert v1.submission_digest(envelope()) == hashlib.sha256(v1.canonical_json(envelope())).hexdigest()
    assert v1.submission_digest(envelope()) != v1.submission_digest(envelope(kiosk_seq=8))


@pytest.mark.parametrize("change", [
    {"submission_id": "01938f6e-7c3a-4def-8abc-0123456789ab"},   # UUIDv4
    {"created_at": "2026-11-26T10:00:00"},                        # naive
    {"kind": "unknown"},
    {"blobs": ["a" * 64, "a" * 64]},
    {"kiosk_seq": 0},
    {"extra": 1},
])
def test_envelope_rejects(change):
    with pytest.raises(ValidationError):
        envelope(**change)


def test_payload_info_binds_kind_and_submission():
    assert v1.payload_info("rating", SUBMISSION_ID) == b"gov-kiosk/v1/rating/" + SUBMISSION_ID.encode()


def test_split_hpke_output():
    enc, ct = v1.split_hpke_output(bytes(40))
    assert len(enc) == v1.HPKE_ENC_LENGTH and len(ct) == 8
    with pytest.raises(ValueError):
        v1.split_hpke_output(bytes(32))


def test_assertion_needs_exactly_one_identity():
    base = dict(kiosk_id="demo-kiosk-001", method="document+face", nonce="0" * 32,
                identified_at=datetime.now(timezone.utc))
    v1.CitizenAssertion(**base, id_number="11010519491231002X")
    with pytest.raises(ValidationError):
        v1.CitizenAssertion(**base)
    with pytest.raises(ValidationError):
        v1.CitizenAssertion(**base, id_number="11010519491231002X", id_hmac="0" * 64)


def test_application_deferred_materials_need_a_commitment():
    applicant = {"id_number": "11010519491231002X", "name": "张三"}
    deferred = [{"code": "licence", "status": "deferred"}]
    common = dict(service_code="x", catalogue_version="1", applicant=applicant,
                  identity_method="document+face", form_data={}, pickup_method="locker")
    with pytest.raises(ValidationError):
        v1.ApplicationPayload(**common, materials=deferred)
    commitment = {"materials": ["licence"], "text_version": "t1", "signature_blob": "b" * 64,
                  "signed_at": "2026-11-26T10:00:00Z", "due_date": "2026-12-26",
                  "supply_channel": "locker"}
    v1.ApplicationPayload(**common, materials=deferred, commitment=commitment)


def test_desired_state_refuses_keys_outside_the_allow_list():
    state = dict(version=1, catalogue_version="1", catalogue_sha256="c" * 64, locker_assignments=[],
                 cohort="default", min_app_version="0.1", holder_hmac_key_id="h1")
    v1.DesiredState(**state, config={"session.idle_timeout_s": 60})
    with pytest.raises(ValidationError):
        v1.DesiredState(**state, config={"server.url": "http://evil"})


def test_holder_hmac_normalises_the_id_number():
    assert v1.holder_hmac(b"k", "11010519491231002x") == v1.holder_hmac(b"k", "11010519491231002X")


@settings(max_examples=2000, deadline=None)
@given(st.binary(max_size=400))
def test_envelope_parser_gives_only_validation_errors(data):
    try:
        v1.SubmissionEnvelope.model_validate_json(data)
    except ValidationError:
        pass


@settings(max_examples=2000, deadline=None)
@given(st.binary(max_size=300))
def test_district_fuzz_targets_raise_only_their_clear_errors(data):
    from bench.fuzz_targets.district_server import TARGETS
    for name, (parse, errors) in TARGETS.items():
        try:
            parse(data)
        except errors:
            pass


def test_audit_entries_take_the_kiosk_modules_shapes():
    locker = v1.AuditPayload.model_validate(
        {"action": "locker.open", "parcel_id": "P1", "case_number": "k-1", "compartment": 3,
         "who": "staff:42", "why": "deposit", "at": "2026-11-26T09:00:00+08:00"})
    assert locker.fields() == {"parcel_id": "P1", "case_number": "k-1", "compartment": 3,
                               "who": "staff:42", "why": "deposit"}
    v1.AuditPayload.model_validate({"action": "test_1", "actor": "system",
                                    "at": "2026-11-26T09:00:00Z"})
    with pytest.raises(ValidationError):
        v1.AuditPayload.model_validate({"action": "x", "at": "2026-11-26T09:00:00Z",
                                        "photo": {"nested": "no"}})
