"""The kiosk's client for the district's citizen services, on the signed transport.

Every call runs on this client's own worker thread and returns a future (the journeys
never wait on the network). Citizen-scoped reads carry the kiosk's signed assertion that
this citizen was identified here just now (wire.v1.CitizenAssertion, at most 120 s old:
made fresh for each request from the identification time). It takes plain values and
fails with this package's errors: `ServiceUnreachable` (no answer, 5xx, captive portal,
auth paused) and `NotOnServer` (no such booking / no photo on file); the kiosk core maps
them to what the journeys understand.
"""
from __future__ import annotations

import base64
import logging
import secrets
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable, Literal, Sequence, TypeVar

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import BaseModel, ValidationError

from foundation.clock import Clock
from offline_queue.errors import NotOnServer, RefusedByServer, ServiceUnreachable, TransientError
from offline_queue.transport import SignedTransport
from wire import v1

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class CitizenIdentity:
    """Who the kiosk vouches for: identified by `method` at `identified_at` (journey clock)."""
    id_number: str
    method: Literal["document+face", "document", "pickup_code"]
    identified_at: datetime


class CitizenClient:
    def __init__(self, transport: SignedTransport, signing_key: Ed25519PrivateKey, *,
                 clock: Clock, journey_clock: Clock | None = None) -> None:
        """`clock` is real time (what the server checks); `journey_clock` the clock the
        journeys stamped the identification with (a TestClock in scenarios and tests)."""
        self._transport = transport
        self._key = signing_key
        self._clock = clock
        self._journey_clock = journey_clock or clock
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="citizen-client")

    def close(self) -> None:
        self._worker.shutdown(wait=False, cancel_futures=True)

    # --- plumbing ------------------------------------------------------------------------

    def holder_assertion(self, who: CitizenIdentity) -> dict[str, Any]:
        """The signed assertion that `who` was identified here, for a queued event about
        their case (CommitmentPayload.holder_assertion): the district takes it when made at
        most CITIZEN_ASSERTION_MAX_AGE_S before the event."""
        return self._assertion(who)

    def _assertion(self, who: CitizenIdentity) -> dict[str, Any]:
        # the identification's age carried over to real time, on the server's clock (the
        # offset the health probe measured): a kiosk whose clock is fast or slow still
        # makes assertions the server finds fresh
        age = self._journey_clock.now() - who.identified_at
        identified_at = self._clock.now() + timedelta(seconds=self._transport.clock_offset_s) \
            - age
        assertion = v1.CitizenAssertion(kiosk_id=self._transport.kiosk_id,
                                        id_number=who.id_number, method=who.method,
                                        identified_at=identified_at, nonce=secrets.token_hex(16))
        signature = self._key.sign(v1.canonical_json(assertion))
        return v1.SignedCitizenAssertion(
            assertion=assertion, signature_b64=base64.b64encode(signature).decode()
        ).model_dump(mode="json")

    def _call(self, method: str, path: str, body: dict[str, Any] | None,
              model: type[M]) -> M:
        try:
            response = self._transport.request(method, path, json_body=body)
        except TransientError as error:
            raise ServiceUnreachable(str(error)) from None
        if response.status_code == 404:
            raise NotOnServer(f"{path}: not found")
        if response.status_code == 409:
            raise RefusedByServer(f"{method} {path} answered 409",
                                  _problem_code(response.content))
        if response.status_code >= 300:
            # 401/403 (auth), 5xx, captive portal: for the citizen all mean "not now"
            raise ServiceUnreachable(f"{method} {path} answered {response.status_code}")
        try:
            return model.model_validate_json(response.content)
        except ValidationError as error:
            raise ServiceUnreachable(f"{path}: unexpected answer ({error.error_count()} "
                                    "problems)") from None

    def _run(self, fn: Callable[[], Any]) -> Future:
        return self._worker.submit(fn)

    # --- the citizen services -----------------------------------------------------------------

    def reference_photo(self, who: CitizenIdentity) -> Future:
        def fetch() -> bytes | None:
            try:
                answer = self._call("POST", v1.PATH_CITIZEN_REFERENCE_PHOTO,
                                    {"assertion": self._assertion(who)},
                                    v1.ReferencePhotoResponse)
            except NotOnServer:
                return None
            return base64.b64decode(answer.photo_b64)
        return self._run(fetch)

    def certificates(self, who: CitizenIdentity, types: Sequence[str]) -> Future:
        return self._run(lambda: self._call(
            "POST", v1.PATH_CITIZEN_CERTIFICATES,
            {"assertion": self._assertion(who), "elicence_types": list(types)},
            v1.CertificatesResponse).certificates)

    def withdraw_certificate(self, who: CitizenIdentity, certificate_id: str) -> Future:
        return self._run(lambda: self._call(
            "POST", v1.PATH_CITIZEN_CERTIFICATE_WITHDRAW,
            {"assertion": self._assertion(who), "certificate_id": certificate_id},
            v1.CertificatesResponse).certificates)

    def cases(self, who: CitizenIdentity) -> Future:
        return self._run(lambda: self._call("POST", v1.PATH_CITIZEN_CASES,
                                            {"assertion": self._assertion(who)},
                                            v1.CasesResponse).cases)

    def followup_case(self, case_number: str, followup_secret: str) -> Future:
        return self._run(lambda: self._call(
            "POST", v1.PATH_CITIZEN_FOLLOWUP_CASE,
            {"case_number": case_number, "followup_secret": followup_secret}, v1.CaseSummary))

    def check_in(self, booking_code: str) -> Future:
        return self._run(lambda: self._call("POST", v1.PATH_CITIZEN_BOOKING_CHECKIN,
                                            {"booking_code": booking_code},
                                            v1.CheckInResponse))

    def ticket_categories(self) -> Future:
        return self._run(lambda: self._call("GET", v1.PATH_QUEUE_CATEGORIES, None,
                                            v1.QueueCategoriesResponse).categories)

    def take_ticket(self, category_id: str) -> Future:
        return self._run(lambda: self._call("POST", v1.PATH_CITIZEN_TICKETS,
                                            {"category": category_id}, v1.QueueTicket))

    def call_staff(self, reason: str, journey: str) -> Future:
        return self._run(lambda: self._call("POST", v1.PATH_CITIZEN_STAFF_CALL,
                                            {"reason": reason, "journey": journey},
                                            v1.StaffCallResponse).position)


def _problem_code(body: bytes) -> str:
    """The refusal's machine code ("" when the body is not a Problem: the reason unknown)."""
    try:
        return v1.Problem.model_validate_json(body).error
    except ValidationError:
        return ""
