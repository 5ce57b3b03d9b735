"""The citizen-services port on the offline queue's signed citizen client."""
from __future__ import annotations

from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, Callable

from kiosk.journeys.ports import Identified, NotFound, Refused, ServerUnavailable

if TYPE_CHECKING:
    from offline_queue.citizen import CitizenClient


def _translated(future: Future) -> Future:
    """`future` with the offline queue's errors turned into the journeys' ones."""
    from offline_queue.errors import NotOnServer, RefusedByServer, ServiceUnreachable
    out: Future = Future()

    def done(inner: Future) -> None:
        error = inner.exception()
        if error is None:
            out.set_result(inner.result())
        elif isinstance(error, NotOnServer):
            out.set_exception(NotFound(str(error)))
        elif isinstance(error, RefusedByServer):
            out.set_exception(Refused(str(error), error.reason))
        elif isinstance(error, ServiceUnreachable):
            out.set_exception(ServerUnavailable(str(error)))
        else:
            out.set_exception(error)
    future.add_done_callback(done)
    return out


class CitizenPort:
    """The journeys' CitizenServices on the offline queue's signed citizen client."""

    def __init__(self, client: "CitizenClient") -> None:
        self._client = client

    @staticmethod
    def _identity(who: Identified) -> Any:
        from offline_queue.citizen import CitizenIdentity
        return CitizenIdentity(who.id_number, who.method, who.at)

    def reference_photo(self, who: Identified) -> Future:
        return _translated(self._client.reference_photo(self._identity(who)))

    def certificates(self, who: Identified, types: Any) -> Future:
        return _translated(self._client.certificates(self._identity(who), types))

    def withdraw_certificate(self, who: Identified, certificate_id: str) -> Future:
        return _translated(self._client.withdraw_certificate(self._identity(who),
                                                             certificate_id))

    def cases(self, who: Identified) -> Future:
        return _translated(self._client.cases(self._identity(who)))

    def followup_case(self, case_number: str, followup_secret: str) -> Future:
        return _translated(self._client.followup_case(case_number, followup_secret))

    def holder_assertion(self, who: Identified) -> dict[str, Any]:
        return self._client.holder_assertion(self._identity(who))

    def check_in(self, booking_code: str) -> Future:
        return _translated(self._client.check_in(booking_code))

    def ticket_categories(self) -> Future:
        return _translated(self._client.ticket_categories())

    def take_ticket(self, category_id: str) -> Future:
        return _translated(self._client.take_ticket(category_id))

    def call_staff(self, reason: str, journey: str) -> Future:
        return _translated(self._client.call_staff(reason, journey))


class OfflineCitizenServices:
    """Stands in when the kiosk is not enrolled: every call says the server is unreachable,
    which the journeys show honestly (no photo to compare, query local only...)."""

    def __getattr__(self, name: str) -> Callable[..., Future]:
        def unavailable(*_args: Any, **_kwargs: Any) -> Future:
            future: Future = Future()
            future.set_exception(ServerUnavailable("the kiosk is not enrolled with a server"))
            return future
        return unavailable
