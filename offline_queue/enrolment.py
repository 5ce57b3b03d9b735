"""Enrolment: exchange a one-time token for the district keys (`kiosk enroll`)."""
from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from foundation.clock import Clock
from offline_queue.identity import KioskIdentity, load_or_create_signing_key, \
    raw_public_key_b64
from offline_queue.transport import SignedTransport
from wire.v1 import PATH_ENROLL, EnrollRequest, EnrollResponse


class EnrolmentRefused(Exception):
    """The server (or whatever answered) did not enrol this kiosk; the message says why."""


def enroll(server_url: str, token: str, kiosk_id: str, directory: Path, *, clock: Clock,
           timeout_s: float = 10.0, pinned_cert_sha256: str = "") -> KioskIdentity:
    """Enrol and store the identity. Raises `EnrolmentRefused`, `TransientError` (no
    answer) or pydantic's `ValidationError` (a malformed token or kiosk id)."""
    key = load_or_create_signing_key(directory)
    request = EnrollRequest(token=token, kiosk_id=kiosk_id,
                            signing_public_key=raw_public_key_b64(key))
    transport = SignedTransport(server_url, kiosk_id, key, clock=clock, timeout_s=timeout_s,
                                pinned_cert_sha256=pinned_cert_sha256)
    try:
        response = transport.request("POST", PATH_ENROLL, signed=False,
                                     json_body=request.model_dump(mode="json"))
    finally:
        transport.close()
    if response.status_code not in (200, 201):
        raise EnrolmentRefused(f"the server refused ({response.status_code}): "
                               f"{response.text[:300]}")
    try:
        enrolled = EnrollResponse.model_validate_json(response.content)
    except ValidationError:
        raise EnrolmentRefused("the answer is not an enrolment response (wrong URL or a "
                               "proxy?)") from None
    return KioskIdentity.save(directory, server_url, enrolled, key)
