"""`OutboxSink`: the kiosk's `EventSink`, backed by the durable outbox.

`enqueue(kind, payload, blobs)` validates the payload against its wire model, seals each
attachment and the payload to the district key, and commits everything with the next
`kiosk_seq`; the returned case number can be printed at once, before any sync. The
journeys seal each attachment when it is captured (`seal`, on a background thread), which
also stores the sealed copy, and hand `enqueue` those `SealedBlob`s: an enqueue seals only
the payload and writes only the item. What a journey captured and did not send it gives
up (`discard`), and the next orphan collection removes it.

Attachments are named in `blobs` by keys starting with "blob:"; every string in the
payload equal to such a key is replaced by that attachment's address (the sha256 of its
sealed bytes), which is only known once it is sealed. Example: payload
`{"materials": [{"code": "id_card", "status": "provided", "blobs": ["blob:front"]}]}`
with `blobs={"blob:front": jpeg}`.
"""
from __future__ import annotations

import logging
import os
import secrets
import shutil
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from foundation.clock import Clock
from foundation.events import Enqueued, SealedBlob
from offline_queue.blobstore import sha256_hex
from offline_queue.errors import StorageUnavailable
from offline_queue.identity import KioskIdentity
from offline_queue.seal import seal_blob, seal_payload
from offline_queue.store import Outbox
from wire.v1 import PAYLOAD_MODELS, SUBMISSION_KINDS, SubmissionEnvelope, canonical_json, \
    submission_digest

BLOB_NAME_PREFIX = "blob:"
log = logging.getLogger(__name__)


def uuid7(now: datetime) -> str:
    """RFC 9562 UUIDv7: 48-bit Unix milliseconds, then random bits."""
    millis = int(now.timestamp() * 1000) & ((1 << 48) - 1)
    value = (millis << 80) | (0x7 << 76) | (secrets.randbits(12) << 64) | (0b10 << 62) | \
        secrets.randbits(62)
    return str(uuid.UUID(int=value))


def _replace_blob_names(value: Any, addresses: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        return addresses.get(value, value)
    if isinstance(value, Mapping):
        return {key: _replace_blob_names(item, addresses) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_replace_blob_names(item, addresses) for item in value]
    return value


class OutboxSink:
    def __init__(self, outbox: Outbox, *, clock: Clock, min_free_bytes: int = 0,
                 max_item_bytes: int = 64 * 1024 * 1024,
                 on_enqueued: Callable[[], None] | None = None) -> None:
        self.outbox = outbox
        self._clock = clock
        self._min_free_bytes = min_free_bytes
        self._max_item_bytes = max_item_bytes
        self.on_enqueued = on_enqueued
        self._identity: KioskIdentity | None = None
        self._write_failure: str | None = None  # the last store that failed, until one works

    def identity(self) -> KioskIdentity:
        if self._identity is None:
            self._identity = KioskIdentity.load(self.outbox.directory)
        return self._identity

    def can_accept(self) -> str | None:
        """None when new items can be stored; otherwise the reason they cannot."""
        try:
            self.identity()
        except StorageUnavailable as error:
            return str(error)
        return self.storage_problem()

    def storage_problem(self) -> str | None:
        """Why the queue cannot take new items now (the disk guard, or a store that failed
        and a test write that still fails); None: it can."""
        try:
            self._check_space()
            if self._write_failure is not None:
                self.outbox.set_state(storage_checked_at=self._clock.now().isoformat())
                self._write_failure = None
        except StorageUnavailable as error:
            return str(error)
        return None

    def _check_space(self) -> None:
        try:
            free = shutil.disk_usage(self.outbox.directory).free
        except OSError as error:
            raise StorageUnavailable(f"the queue directory is unusable: {error}") from error
        if free < self._min_free_bytes:
            raise StorageUnavailable(f"only {free} bytes free on the queue disk (needs "
                                     f"{self._min_free_bytes}); new items cannot be stored")

    def _sealed(self, data: bytes) -> SealedBlob:
        sealed = seal_blob(data, self.identity().payload_public_key)
        return SealedBlob(sha256_hex(sealed), sealed)

    def seal(self, data: bytes) -> SealedBlob:
        """`data` sealed to the district's key, and its address (EventSink.seal); the sealed
        copy stored ahead of its item when the disk allows (if not, `enqueue` stores it)."""
        blob = self._sealed(data)
        try:
            self._check_space()
            self.outbox.stage_blob(blob.address, blob.sealed)
        except StorageUnavailable as error:
            log.warning("a capture not stored ahead of its item (its enqueue will try): %s",
                        error)
        return blob

    def discard(self, blobs: Iterable[SealedBlob]) -> None:
        """Sealed copies that will not be sent (EventSink.discard): left to orphan
        collection, unless an item holds them."""
        self.outbox.blobs.release(blob.address for blob in blobs)

    def enqueue(self, kind: str, payload: Mapping[str, Any],
                blobs: Mapping[str, bytes | SealedBlob] | None = None) -> Enqueued:
        if kind not in SUBMISSION_KINDS:
            raise ValueError(f"unknown event kind {kind!r}; one of {SUBMISSION_KINDS}")
        blobs = dict(blobs or {})
        bad_names = [name for name in blobs if not name.startswith(BLOB_NAME_PREFIX)]
        if bad_names:
            raise ValueError(f"attachment names must start with {BLOB_NAME_PREFIX!r}: "
                             f"{bad_names}")
        size = sum(len(data.sealed if isinstance(data, SealedBlob) else data)
                   for data in blobs.values())
        if size > self._max_item_bytes:
            raise ValueError(f"attachments of {size} bytes exceed the {self._max_item_bytes} "
                             "bytes allowed for one item")
        identity = self.identity()
        self._check_space()
        key = identity.payload_public_key
        sealed = {name: data if isinstance(data, SealedBlob) else self._sealed(data)
                  for name, data in blobs.items()}
        addresses = {name: blob.address for name, blob in sealed.items()}
        stored = {blob.address: blob.sealed for blob in sealed.values()}
        model = PAYLOAD_MODELS[kind].model_validate(_replace_blob_names(payload, addresses))
        item_id = uuid7(self._clock.now())
        encrypted = seal_payload(canonical_json(model), kind=kind, submission_id=item_id,
                                 public_key=key, key_id=identity.district.key_id)
        created_at = self._clock.now()

        def envelope(kiosk_seq: int) -> tuple[str, str]:
            env = SubmissionEnvelope(submission_id=item_id, kiosk_id=identity.kiosk_id,
                                     kiosk_seq=kiosk_seq, kind=kind, created_at=created_at,
                                     payload=encrypted, blobs=sorted(stored))
            return canonical_json(env).decode(), submission_digest(env)

        try:
            item = self.outbox.add(item_id, identity.kiosk_id, kind, created_at.isoformat(),
                                   stored, envelope)
        except StorageUnavailable as error:
            self._write_failure = str(error)
            raise
        if self.on_enqueued is not None:
            self.on_enqueued()
        return Enqueued(item.item_id, item.kiosk_seq, item.case_number)


def default_queue_dir(data_dir: Path, configured: str) -> Path:
    return Path(os.path.expanduser(configured)) if configured else Path(data_dir) / "queue"
