"""The district server's intake of a submission PUT, end to end in this process: the fuzzed
bytes are the application a kiosk encrypts into its envelope, so structure-aware mutations
of valid applications reach the server's form, material and commitment checks. Any answer
below 500 is a clear outcome (a 201 receipt, a 4xx problem); a 5xx is a finding."""
from __future__ import annotations

import json
import tempfile
from functools import lru_cache
from pathlib import Path

MODULES = ["district_server.submissions.service", "district_server.cases.service",
           "district_server.cases.forms"]


class ServerError(AssertionError):
    """The server answered 5xx to a kiosk's PUT."""


@lru_cache(maxsize=1)
def _kiosk():
    """An enrolled kiosk double on a fresh server (demo catalogue), with one uploaded blob."""
    from fastapi.testclient import TestClient

    from district_server.app import build_context, create_app
    from district_server.kiosks.service import issue_token
    from district_server.settings import Settings
    from tests.district_server.kiosk_double import KioskDouble
    ctx = build_context(Settings(data_dir=Path(tempfile.mkdtemp(prefix="intake-fuzz-")),
                                 demo_citizens=False))
    client = TestClient(create_app(ctx.settings, context=ctx))
    with ctx.db.transaction() as session:
        token = issue_token(session, now=ctx.now(), ttl_s=600, hall_code="FT-CENTRE",
                            cohort="default", kiosk_id="fuzz-intake-01")
    kiosk = KioskDouble(client, "fuzz-intake-01")
    kiosk.enroll(token)
    return kiosk, kiosk.upload_blob(kiosk.encrypt_blob(b"a scanned page"))


def put_application(data: bytes) -> int:
    kiosk, blob = _kiosk()
    response = kiosk.put(kiosk.envelope("submission", data, blobs=[blob]))
    if response.status_code >= 500:
        raise ServerError(f"{response.status_code}: {response.text[:300]}")
    return response.status_code


_BLOB = "{blob}"  # replaced by the uploaded blob's sha256 when the seeds are built
_RESIDENCE = {
    "service_code": "FT-GA-JZZ-001", "catalogue_version": "2026.11.1",
    "applicant": {"id_number": "11010519491231002X", "name": "张三"},
    "identity_method": "document+face",
    "form_data": {"applicant_name": "张三", "id_number": "11010519491231002X",
                  "mobile": "13800138000", "address": "福田区福中三路1号",
                  "residence_since": "2025-01-01", "residence_basis": "home"},
    "materials": [{"code": "id_card", "status": "reused", "certificate_id": "resident_id-x"},
                  {"code": "residence_proof", "status": "reused", "certificate_id": "lease-x"},
                  {"code": "photo_receipt", "status": "provided", "blobs": [_BLOB]}],
    "pickup_method": "locker",
}
_SUBSISTENCE = {  # a tolerance (容缺) application: a deferred material under a commitment
    **_RESIDENCE, "service_code": "FT-MZ-DB-010",
    "form_data": {"applicant_name": "李四", "id_number": "11010519491231002X",
                  "household_size": 3, "monthly_income": 1500, "reason": "illness",
                  "mobile": "13800138000"},
    "materials": [{"code": "hukou", "status": "reused", "certificate_id": "hukou-1"},
                  {"code": "income_proof", "status": "deferred"},
                  {"code": "asset_declaration", "status": "provided", "blobs": [_BLOB]},
                  {"code": "verification_consent", "status": "provided", "blobs": [_BLOB]}],
    "commitment": {"materials": ["income_proof"], "text_version": "FT-MZ-DB-010.1",
                   "signature_blob": _BLOB, "signed_at": "2026-11-26T10:00:00Z",
                   "due_date": "2026-12-01", "supply_channel": "locker"},
}


class _Seeds(dict):
    """`SEEDS` as bench/fuzz.py reads it; built on first use (they name the uploaded blob)."""

    def get(self, key, default=None):
        if key != "district_submission_put":
            return default
        blob = _kiosk()[1]
        return [json.dumps(seed, ensure_ascii=False).replace(_BLOB, blob).encode()
                for seed in (_RESIDENCE, _SUBSISTENCE)]


TARGETS = {"district_submission_put": (put_application, ())}
SEEDS = _Seeds()
