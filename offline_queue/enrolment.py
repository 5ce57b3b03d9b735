"""Enrolment: exchange a one-time token for the district keys (`kiosk enroll`).

Before the identity is saved (and so before the kiosk can issue any number), the outbox
learns the highest sequence the district already holds for this kiosk id: a kiosk
re-enrolled on a fresh disk (a disk swap, a reinstall) continues after it, so neither a
sequence nor the case number made from it is ever issued twice."""
from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from foundation.clock import Clock
from offline_queue.identity import KioskIdentity, load_or_create_signing_key, \
    raw_public_key_b64
from offline_queue.store import Outbox
from offline_queue.transport import SignedTransport
from wire.v1 import FEATURE_LAST_KIOSK_SEQ, HEADER_FEATURES, PATH_ENROLL, PATH_RECEIPTS, \
    EnrollRequest, EnrollResponse, ReceiptsPage


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
                                     json_body=request.model_dump(mode="json"),
                                     headers={HEADER_FEATURES: FEATURE_LAST_KIOSK_SEQ})
        if response.status_code not in (200, 201):
            raise EnrolmentRefused(f"the server refused ({response.status_code}): "
                                   f"{response.text[:300]}")
        try:
            enrolled = EnrollResponse.model_validate_json(response.content)
        except ValidationError:
            raise EnrolmentRefused("the answer is not an enrolment response (wrong URL or a "
                                   "proxy?)") from None
        last_seq = enrolled.last_kiosk_seq
        if last_seq is None:
            last_seq = _highest_receipted_seq(transport, enrolled.kiosk_id)
    finally:
        transport.close()
    outbox = Outbox(directory)
    try:
        outbox.continue_sequence_after(enrolled.kiosk_id, last_seq)
    finally:
        outbox.close()
    return KioskIdentity.save(directory, server_url, enrolled, key)


def _highest_receipted_seq(transport: SignedTransport, kiosk_id: str) -> int:
    """An older district does not say which sequence it holds: read it from its receipts."""
    highest = 0
    while True:
        response = transport.request("GET", PATH_RECEIPTS.format(kiosk_id=kiosk_id) +
                                     f"?after_seq={highest}")
        try:
            page = ReceiptsPage.model_validate_json(response.content)
        except ValidationError:
            page = None
        if response.status_code != 200 or page is None:
            raise EnrolmentRefused(f"enrolled, but the numbers the district holds for "
                                   f"{kiosk_id} are unknown ({response.status_code}); enrol "
                                   "again with a new token")
        if not page.receipts:
            return highest
        highest = page.receipts[-1].receipt.kiosk_seq
        if not page.has_more:
            return highest
