"""The one way anything reaches the district server: `EventSink.enqueue`.

Submissions, pickups, ratings, commitments and audit entries are all enqueued here;
the offline queue makes them durable (encrypted at capture) and delivers each exactly
once. Callers never talk to the server for writes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Protocol

from wire.v1 import SubmissionKind


class StorageUnavailable(RuntimeError):
    """The kiosk cannot store new items durably (disk full, database unusable).

    The journey must tell the citizen it cannot accept applications right now;
    everything already committed stays safe."""


@dataclass(frozen=True)
class Enqueued:
    item_id: str        # UUIDv7 made at capture: the idempotency key on the server
    kiosk_seq: int      # per-kiosk monotonic sequence
    case_number: str    # "<kiosk id>-<kiosk_seq>" shown and printed before any sync


@dataclass(frozen=True)
class SealedBlob:
    """An attachment encrypted when it was captured (`EventSink.seal`), before its item is
    enqueued: only the district can open it."""
    address: str    # sha256 (hex) of `sealed`: the attachment's content address
    sealed: bytes   # what is stored and sent (HPKE to the district's key: enc || ciphertext)


class EventSink(Protocol):
    def seal(self, data: bytes) -> SealedBlob:
        """Encrypt one attachment now, at capture (a page scanned, a signature signed), for a
        later `enqueue`; safe on any thread, off the UI thread (the sink may store the sealed
        copy already, so that the enqueue has less to write). Raises `StorageUnavailable`
        when the sink cannot seal (not enrolled)."""
        ...

    def discard(self, blobs: Iterable[SealedBlob]) -> None:
        """Sealed copies that will not be enqueued (a retaken page, a journey given up): the
        sink need not keep them. Does no I/O; safe on any thread."""
        ...

    def enqueue(self, kind: SubmissionKind, payload: Mapping[str, Any],
                blobs: Mapping[str, bytes | SealedBlob] | None = None) -> Enqueued:
        """Durably store one item (payload and blobs encrypted at capture) and return its ids.

        Attachments are named "blob:<name>"; the payload refers to them by that name (e.g. a
        material's `blobs: ["blob:page1"]`) and the sink replaces each name with the
        attachment's content address. An attachment is given sealed (`seal`, at its capture)
        or as plaintext, which the sink seals here. Raises `StorageUnavailable` when it cannot
        be stored; nothing is half-stored."""
        ...
