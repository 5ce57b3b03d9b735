"""The one way anything reaches the district server: `EventSink.enqueue`.

Submissions, pickups, ratings, commitments and audit entries are all enqueued here;
the offline queue makes them durable (encrypted at capture) and delivers each exactly
once. Callers never talk to the server for writes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Protocol

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


class EventSink(Protocol):
    def enqueue(self, kind: SubmissionKind, payload: Mapping[str, Any],
                blobs: Mapping[str, bytes] | None = None) -> Enqueued:
        """Durably store one item (payload and blobs encrypted at capture) and return its ids.

        Attachments are named "blob:<name>"; the payload refers to them by that name (e.g. a
        material's `blobs: ["blob:page1"]`) and the sink replaces each name with the
        attachment's content address. Raises `StorageUnavailable` when it cannot be stored;
        nothing is half-stored."""
        ...
