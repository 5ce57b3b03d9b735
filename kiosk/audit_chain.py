"""This kiosk's own audit chain: every audit event it stores (maintenance entry and exit,
refused credentials, locker doors, ...) names its place and the hash of the entry before it
and carries its own hash (wire.v1.audit_entry_hash), so the district can tell an entry that
was changed, or one that never arrived, from the chain alone.

`ChainedSink` sits in front of the offline queue's sink. The head (place and hash of the
last entry stored) is kept in a small JSON file, written after the entry is stored: an
entry that could not be stored takes no place. Should the kiosk stop between the two, the
next entry takes the same place again, and the district sees a fork there: flagged, as it
should be.

A `kiosk` CLI command that acts while no kiosk runs appends to the same chain (`open_chain`):
each entry takes its place under an exclusive lock of a file beside the head, so the kiosk
starting meanwhile and the command never take the same place.
"""
from __future__ import annotations

import fcntl
import json
import os
import threading
from datetime import datetime
from pathlib import Path
from typing import Any, Mapping

from foundation.events import Enqueued, EventSink, SealedBlob
from kiosk.service_state import StaffPerson
from kiosk.staff_access import audit_names
from wire.v1 import AUDIT_CHAIN_HASH, AUDIT_CHAIN_PREV, AUDIT_CHAIN_SEQ, AUDIT_GENESIS, \
    AuditPayload, audit_entry_hash


#: the head's file in the kiosk's data directory
HEAD_FILE = "audit-chain.json"


def audit_event(action: str, at: datetime, *, by: StaffPerson | None = None,
                **fields: object) -> dict[str, object]:
    """The one shape of an entry of this chain (wire.v1.AuditPayload): what was done and
    when, `by` a person of the staff list (named by their real role), and the action's own
    short fields (who else acted, why, the compartment, ...)."""
    return {"action": action, "at": at.isoformat(),
            **(audit_names(by) if by is not None else {}), **fields}


def open_chain(sink: EventSink, data_dir: Path) -> "ChainedSink":
    """This kiosk's audit chain in front of its queue's sink."""
    return ChainedSink(sink, data_dir / HEAD_FILE)


class ChainedSink:
    def __init__(self, sink: EventSink, head_file: Path) -> None:
        self._sink = sink
        self._head_file = head_file
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:   # the queue sink's other methods (seal, ...)
        return getattr(self._sink, name)

    def head(self) -> tuple[int, str]:
        try:
            data = json.loads(self._head_file.read_text("utf-8"))
            return int(data["seq"]), str(data["hash"])
        except FileNotFoundError:
            return 0, AUDIT_GENESIS

    def enqueue(self, kind: str, payload: Mapping[str, Any],
                blobs: Mapping[str, bytes | SealedBlob] | None = None) -> Enqueued:
        if kind != "audit":
            return self._sink.enqueue(kind, payload, blobs)
        self._head_file.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, open(self._head_file.with_suffix(".lock"), "a") as other_processes:
            fcntl.flock(other_processes, fcntl.LOCK_EX)
            seq, prev = self.head()
            linked = {**payload, AUDIT_CHAIN_SEQ: seq + 1, AUDIT_CHAIN_PREV: prev}
            entry_hash = audit_entry_hash(AuditPayload.model_validate(linked))
            enqueued = self._sink.enqueue(kind, {**linked, AUDIT_CHAIN_HASH: entry_hash}, blobs)
            self._save(seq + 1, entry_hash)
            return enqueued

    def _save(self, seq: int, entry_hash: str) -> None:
        temporary = self._head_file.with_suffix(".tmp")
        temporary.write_text(json.dumps({"seq": seq, "hash": entry_hash}), "utf-8")
        os.replace(temporary, self._head_file)
