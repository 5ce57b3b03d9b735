"""Parsers of outside bytes on the district server: the wire bodies kiosks send (envelope,
decrypted payloads, citizen requests, reported state) and catalogue files."""
from __future__ import annotations

import base64
import json

import yaml
from pydantic import ValidationError

from district_server.catalogue.service import CatalogueInvalid, load_directory, validate
from district_server.cases.forms import valid_resident_id, valid_uscc
from foundation.config_files import CONFIG_DIR
from wire import v1

MODULES = ["wire.v1", "district_server.catalogue.service", "district_server.cases.forms"]


def parse_catalogue_yaml(data: bytes) -> object:
    try:
        loaded = yaml.safe_load(data)
    except yaml.YAMLError as error:
        raise CatalogueInvalid(str(error)) from None
    return validate(loaded)


def check_identifiers(data: bytes) -> object:
    text = data.decode("utf-8", "replace")
    return valid_resident_id(text), valid_uscc(text)


TARGETS = {
    "wire_submission_envelope": (v1.SubmissionEnvelope.model_validate_json, (ValidationError,)),
    "wire_application_payload": (v1.ApplicationPayload.model_validate_json, (ValidationError,)),
    "wire_citizen_request": (v1.TicketRequest.model_validate_json, (ValidationError,)),
    "wire_reported_state": (v1.ReportedState.model_validate_json, (ValidationError,)),
    "district_catalogue_yaml": (parse_catalogue_yaml, (CatalogueInvalid,)),
    "district_identifiers": (check_identifiers, ()),
}


def _json(value: dict) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()


_KEY32 = base64.b64encode(bytes(range(32))).decode()
_SHA = ["a" * 64, "b" * 64, "c" * 64]
_APPLICATION = {
    "service_code": "S0001", "catalogue_version": "2026.11.1",
    "applicant": {"kind": "person", "id_type": "resident_id", "id_number": "11010519491231002X",
                  "name": "王小明", "mobile": "13800138000"},
    "agent": {"id_type": "passport", "id_number": "L898902C3", "name": "ANNA ERIKSSON"},
    "identity_method": "document+face",
    "form_data": {"full_name": "王小明", "household": 3, "married": True,
                  "moved_in": "2026-01-05"},
    "materials": [{"code": "id_card", "status": "provided", "blobs": _SHA[:2]},
                  {"code": "licence", "status": "reused", "certificate_id": "EL0001"},
                  {"code": "photo", "status": "deferred"},
                  {"code": "lease", "status": "waived"}],
    "commitment": {"materials": ["photo"], "text_version": "c1", "signature_blob": _SHA[2],
                   "signed_at": "2026-11-26T09:00:00Z", "due_date": "2026-12-10",
                   "supply_channel": "upload"},
    "pickup_method": "locker", "hall_code": "FT01", "followup_secret": "AbCdEfGhIjKlMnOpQr",
}


def _catalogue_seed() -> bytes:
    """The demo catalogue with its first item, as one YAML file."""
    catalogue = load_directory(CONFIG_DIR / "catalogue").model_dump(mode="json",
                                                                    exclude_none=True)
    catalogue["items"] = catalogue["items"][:1]
    return yaml.safe_dump(catalogue, allow_unicode=True).encode()


SEEDS = {
    "wire_submission_envelope": [_json({
        "submission_id": "01938f6e-7c3a-7def-8abc-0123456789ab", "kiosk_id": "demo-kiosk-001",
        "kiosk_seq": 7, "kind": kind, "created_at": "2026-11-26T18:00:00+08:00",
        "payload": {"key_id": "p1", "enc_b64": _KEY32, "ciphertext_b64": "AAAA"},
        "blobs": blobs}) for kind, blobs in (("submission", _SHA), ("audit", []))],
    "wire_application_payload": [_json(_APPLICATION), _json({
        **_APPLICATION, "agent": None, "materials": [], "commitment": None,
        "applicant": {"kind": "organisation", "id_type": "uscc",
                      "id_number": "91350100M000100Y43", "name": "某某有限公司",
                      "legal_representative": "王小明"}})],
    "wire_citizen_request": [_json({"category": "police", "priority": "normal"}),
                             _json({"category": "civil", "priority": "elderly", "assertion": {
                                 "assertion": {"kiosk_id": "demo-kiosk-001", "id_hmac": _SHA[0],
                                               "method": "document+face",
                                               "identified_at": "2026-11-26T09:00:00Z",
                                               "nonce": "0" * 32},
                                 "signature_b64": base64.b64encode(bytes(64)).decode()}})],
    "wire_reported_state": [_json({
        "app_version": "1.4.0", "applied_desired_version": 3, "catalogue_version": "2026.11.1",
        "queue_depth": 2, "oldest_unsent_age_s": 12.5, "receipts_lag": 0,
        "clock_offset_ms": -40, "disk_free_bytes": 10**10,
        "devices": {"printer": {"availability": "online", "severity": "ok"},
                    "id_card_reader": {"availability": "offline", "severity": "error",
                                       "detail": "no reader"}},
        "last_errors": ["printer: paper low"]})],
    "district_catalogue_yaml": [_catalogue_seed()],
    "district_identifiers": [b"11010519491231002X", b"91350100M000100Y43"],
}
