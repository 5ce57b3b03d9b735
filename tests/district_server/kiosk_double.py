"""A kiosk as the server sees it, for tests and bench/server.py: enrols with a token, signs
every request (wire.v1.canonical_request), encrypts payloads and blobs to the district key
(HPKE per wire.v1) and builds submission envelopes. Works over any httpx-compatible client
(Starlette's TestClient in-process, or httpx.Client against a live uvicorn)."""
from __future__ import annotations

import base64
import json
import os
import secrets
import time
import uuid
from datetime import datetime, timezone
from typing import Any

from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, \
    Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from wire import v1

SUITE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_128_GCM)
VALID_ID = "11010519491231002X"


def uuid7() -> str:
    millis = int(time.time() * 1000)
    rand = int.from_bytes(os.urandom(10), "big")
    value = (millis << 80) | (0x7 << 76) | ((rand >> 68) & 0xFFF) << 64 | (0b10 << 62) \
        | (rand & ((1 << 62) - 1))
    return str(uuid.UUID(int=value))


class KioskDouble:
    def __init__(self, client, kiosk_id: str = "test-kiosk-001") -> None:
        self.client = client
        self.kiosk_id = kiosk_id
        self.key = Ed25519PrivateKey.generate()
        self.district: v1.DistrictKeys | None = None
        self.seq = 0
        self.clock_skew_s = 0

    # -- enrolment and keys
    def enroll(self, token: str) -> v1.EnrollResponse:
        public = self.key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        response = self.client.post("/v1/enroll", json={
            "token": token, "kiosk_id": self.kiosk_id,
            "signing_public_key": base64.b64encode(public).decode()})
        assert response.status_code == 200, response.text
        enrolled = v1.EnrollResponse.model_validate_json(response.content)
        self.district = enrolled.district
        return enrolled

    def verify_district_signature(self, obj, signature_b64: str) -> bool:
        key = Ed25519PublicKey.from_public_bytes(
            base64.b64decode(self.district.receipt_public_key))
        try:
            key.verify(base64.b64decode(signature_b64), v1.canonical_json(obj))
            return True
        except Exception:
            return False

    # -- signed requests
    def signed_headers(self, method: str, target: str, body: bytes, *,
                       nonce: str | None = None, timestamp: int | None = None) -> dict[str, str]:
        stamp = int(time.time()) + self.clock_skew_s if timestamp is None else timestamp
        nonce = nonce or secrets.token_hex(16)
        signature = self.key.sign(v1.canonical_request(method, target, stamp, nonce, body))
        return {v1.HEADER_KIOSK_ID: self.kiosk_id, v1.HEADER_TIMESTAMP: str(stamp),
                v1.HEADER_NONCE: nonce, v1.HEADER_SIGNATURE: base64.b64encode(signature).decode()}

    def request(self, method: str, target: str, body: bytes | Any = b"", *,
                headers: dict[str, str] | None = None, **sign_options):
        if not isinstance(body, bytes):
            body = json.dumps(body).encode() if not hasattr(body, "model_dump_json") \
                else body.model_dump_json().encode()
        all_headers = self.signed_headers(method, target, body, **sign_options)
        if body and "content-type" not in {k.lower() for k in (headers or {})}:
            all_headers["Content-Type"] = "application/json"
        all_headers.update(headers or {})
        return self.client.request(method, target, content=body, headers=all_headers)

    # -- payloads, blobs, envelopes
    def _district_key(self) -> X25519PublicKey:
        return X25519PublicKey.from_public_bytes(base64.b64decode(self.district.payload_public_key))

    def encrypt_blob(self, plaintext: bytes) -> bytes:
        return SUITE.encrypt(plaintext, self._district_key(), info=v1.HPKE_BLOB_INFO)

    def envelope(self, kind: str, payload: dict | bytes, *, blobs: list[str] = (),
                 submission_id: str | None = None, seq: int | None = None) -> v1.SubmissionEnvelope:
        submission_id = submission_id or uuid7()
        if seq is None:
            self.seq += 1
            seq = self.seq
        plaintext = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        sealed = SUITE.encrypt(plaintext, self._district_key(),
                               info=v1.payload_info(kind, submission_id))
        enc, ciphertext = v1.split_hpke_output(sealed)
        return v1.SubmissionEnvelope(
            submission_id=submission_id, kiosk_id=self.kiosk_id, kiosk_seq=seq, kind=kind,
            created_at=datetime.now(timezone.utc),
            payload=v1.EncryptedPayload(key_id=self.district.key_id,
                                        enc_b64=base64.b64encode(enc).decode(),
                                        ciphertext_b64=base64.b64encode(ciphertext).decode()),
            blobs=list(blobs))

    def put(self, envelope: v1.SubmissionEnvelope):
        return self.request("PUT", f"/v1/submissions/{envelope.submission_id}",
                            envelope.model_dump_json().encode())

    def upload_blob(self, data: bytes, chunk: int = 64 * 1024) -> str:
        sha = v1.sha256_hex(data)
        created = self.request("POST", f"/v1/blobs/{sha}/uploads", {"length": len(data)})
        assert created.status_code in (200, 201), created.text
        state = v1.BlobUploadCreated.model_validate_json(created.content)
        offset = state.offset
        while not state.complete and offset < len(data):
            part = data[offset:offset + chunk]
            response = self.request("PATCH", f"/v1/blobs/uploads/{state.upload_id}", part,
                                    headers={v1.HEADER_UPLOAD_OFFSET: str(offset),
                                             v1.HEADER_CHUNK_SHA256: v1.sha256_hex(part),
                                             "Content-Type": "application/octet-stream"})
            assert response.status_code == 200, response.text
            offset = response.json()["offset"]
        return sha

    # -- citizen assertions
    def assertion(self, *, id_number: str = VALID_ID, method: str = "document+face",
                  identified_at: datetime | None = None, kiosk_id: str | None = None,
                  signer: Ed25519PrivateKey | None = None) -> dict:
        assertion = v1.CitizenAssertion(kiosk_id=kiosk_id or self.kiosk_id, id_number=id_number,
                                        method=method,
                                        identified_at=identified_at or datetime.now(timezone.utc),
                                        nonce=secrets.token_hex(16))
        signature = (signer or self.key).sign(v1.canonical_json(assertion))
        return {"assertion": assertion.model_dump(mode="json"),
                "signature_b64": base64.b64encode(signature).decode()}


def application(service_code: str = "FT-GA-JZZ-001", *, catalogue_version: str = "2026.11.1",
                materials: list[dict] | None = None, commitment: dict | None = None,
                form_data: dict | None = None, id_number: str = VALID_ID,
                pickup_method: str = "locker", photo_blob: str = "") -> dict:
    """A valid residence-permit application unless told otherwise (`photo_blob`: the sha256
    of an uploaded blob, listed in the envelope, holding the scanned photo receipt)."""
    return {
        "service_code": service_code, "catalogue_version": catalogue_version,
        "applicant": {"id_number": id_number, "name": "张三"},
        "identity_method": "document+face",
        "form_data": form_data if form_data is not None else {
            "applicant_name": "张三", "id_number": id_number, "mobile": "13800138000",
            "address": "福田区福中三路1号", "residence_since": "2025-01-01",
            "residence_basis": "home"},
        "materials": materials if materials is not None else [
            {"code": "id_card", "status": "reused", "certificate_id": "resident_id-x"},
            {"code": "residence_proof", "status": "reused", "certificate_id": "lease-x"},
            {"code": "photo_receipt", "status": "provided", "blobs": [photo_blob]}],
        "commitment": commitment,
        "pickup_method": pickup_method,
    }


def deferred_application(kiosk: KioskDouble) -> tuple[dict, str]:
    """A valid 低保 application owing its income proof (容缺) by 2026-12-01, and the blob
    (uploaded) of its finger signature to list in the envelope."""
    signature = kiosk.upload_blob(kiosk.encrypt_blob(b"finger signature png"))
    form = {"applicant_name": "李四", "id_number": "11010519491231002X",
            "household_size": 3, "monthly_income": 1500, "reason": "illness",
            "mobile": "13800138000"}
    materials = [
        {"code": "hukou", "status": "reused", "certificate_id": "hukou-1"},
        {"code": "income_proof", "status": "deferred"},
        {"code": "asset_declaration", "status": "provided", "blobs": [signature]},
        {"code": "verification_consent", "status": "provided", "blobs": [signature]}]
    commitment = {"materials": ["income_proof"], "text_version": "FT-MZ-DB-010.1",
                  "signature_blob": signature, "signed_at": "2026-11-26T10:00:00Z",
                  "due_date": "2026-12-01", "supply_channel": "upload"}
    return application("FT-MZ-DB-010", form_data=form, materials=materials,
                       commitment=commitment), signature
