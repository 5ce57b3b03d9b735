"""What can go wrong in the queue, classified by what the sync worker must do about it."""
from __future__ import annotations

from foundation.events import StorageUnavailable

__all__ = ["StorageUnavailable", "NotEnrolled", "SyncError", "TransientError", "CaptivePortal",
           "ItemFailed", "QuarantineItem", "PauseQueue", "ServiceUnreachable", "NotOnServer"]


class NotEnrolled(StorageUnavailable):
    """No district key yet: nothing can be encrypted at capture until `kiosk enroll` ran."""


class SyncError(Exception):
    """A failed exchange with the server; the subclass says how the worker reacts."""


class TransientError(SyncError):
    """Network down, timeout, 5xx, 429: retry the same request later (backoff, never give up)."""

    def __init__(self, message: str, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class ItemFailed(TransientError):
    """The server answered this one item's request with an internal error (500): maybe
    transient, maybe an item it can never take. Counted against the item; a failure that
    repeats for it while other items get through sets it aside (quarantine and alert)."""


class CaptivePortal(TransientError):
    """Something answered that is not the district server (hotel Wi-Fi login, proxy)."""


class QuarantineItem(SyncError):
    """This one item can never be accepted as it is (409 conflict, 422 invalid, 413, a lost
    blob): set it aside with the reason, keep sending the others."""

    #: already set aside in the outbox (with the other outcomes of its batch)
    recorded = False


class PauseQueue(SyncError):
    """Every item would fail the same way (401/403, a receipt that does not verify, a server
    speaking another protocol): stop sending and alert staff; retried at the slowest pace."""


class ServiceUnreachable(Exception):
    """A citizen-service read got no usable answer: no network, a timeout, 5xx, a captive
    portal, auth refused or an answer that does not parse. The caller may try again later."""


class RefusedByServer(Exception):
    """The server understood a citizen-service request and refused it for a reason it names
    (409: a booking not for today, already used, at another hall): asking again will not
    change the answer, so the citizen is told the reason, never "not now"."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class NotOnServer(LookupError):
    """The server answered 404: no such booking, no photo on file."""
