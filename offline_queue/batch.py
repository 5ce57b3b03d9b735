"""Protocol v1.1 on the kiosk: pending submissions travel in batches, each one signed request
carrying several envelopes and their small blobs inline, answered with one outcome per
submission (wire.v1.SubmissionBatch, BatchOutcomes).

Used only when the server's health answer lists FEATURE_SUBMISSION_BATCH; the blobs go as
raw bytes after a JSON head when it lists FEATURE_SUBMISSION_BATCH_BINARY too (a 404, 405,
413 or 415 there: the same items as a JSON batch, base64 inline). An outcome is
what the submission's own PUT would have answered, so v1's rules classify it (a verified
receipt marks it delivered; a 409 or 422 sets it aside; a 500 counts against it alone); a
batch's receipts and set-aside items are recorded in one outbox transaction.
Everything else goes the v1 way, one by one: an item with a blob too large to inline (the
resumable upload) or missing on disk, a 424 outcome (the server did not take an inline blob:
one corrupted on the kiosk's disk is sent as it is, refused for not hashing to its name, and
v1's upload says it is corrupted), and every item once the server stops offering batches (a
404, 405 or 413: an older or stricter server now behind the address).
"""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from functools import partial
from http import HTTPStatus
from typing import Any, Callable, Iterator, NoReturn

import requests

from offline_queue.crashpoints import crash_point
from offline_queue.errors import ItemFailed, PauseQueue, QuarantineItem, TransientError
from offline_queue.store import DeliveredReceipt, Item
from offline_queue.sync import SyncWorker, raise_for_global_status
from offline_queue.transport import BodyParts
from wire.v1 import FEATURE_SUBMISSION_BATCH, FEATURE_SUBMISSION_BATCH_BINARY, \
    MAX_BATCH_BYTES, MAX_BATCH_ITEMS, MEDIA_TYPE_BINARY_BATCH, PATH_SUBMISSION_BATCH, \
    PATH_SUBMISSION_BATCH_BINARY, BatchOutcomes, binary_batch_parts

#: room left in a batch body for its JSON framing
FRAMING_BYTES = 4096

Delivery = Callable[[], bool]


@dataclass
class _Batch:
    """Items, their envelopes as stored (their digests), and the blobs they need inline: raw
    bytes after a JSON head to a server listing FEATURE_SUBMISSION_BATCH_BINARY, else base64
    inside the JSON (a third larger, and encoded and decoded on both sides)."""
    binary: bool
    items: list[Item] = field(default_factory=list)
    envelopes: list[str] = field(default_factory=list)
    blobs: dict[str, bytes] = field(default_factory=dict)  # sha256 -> bytes
    size: int = FRAMING_BYTES

    def blob_bytes(self, data: bytes) -> int:
        """What `data` adds to the body beside its name."""
        return len(data) if self.binary else (len(data) + 2) // 3 * 4

    def path(self) -> str:
        return PATH_SUBMISSION_BATCH_BINARY if self.binary else PATH_SUBMISSION_BATCH

    def content_type(self) -> str:
        return MEDIA_TYPE_BINARY_BATCH if self.binary else "application/json"

    def body(self) -> bytes | BodyParts:
        """A binary batch body (in its parts), or the SubmissionBatch JSON."""
        submissions = ",".join(self.envelopes)
        if self.binary:
            names = ",".join(f'{{"sha256":"{sha}","length":{len(data)}}}'
                             for sha, data in self.blobs.items())
            head = f'{{"submissions":[{submissions}],"blobs":[{names}]}}'.encode()
            return BodyParts(binary_batch_parts(head, list(self.blobs.values())))
        blobs = ",".join(f'"{sha}":"{base64.b64encode(data).decode("ascii")}"'
                         for sha, data in self.blobs.items())
        return f'{{"submissions":[{submissions}],"blobs":{{{blobs}}}}}'.encode()


def batched_deliveries(worker: SyncWorker, items: list[Item]) -> Iterator[tuple[Item, Delivery]]:
    """Each item with what delivers it, in order of sending; a batch is sent when the loop
    reaches its first item, so a fault of the request ends the cycle as a PUT's would."""
    rest = list(items)
    while rest:
        if FEATURE_SUBMISSION_BATCH not in worker.server_features:
            yield from ((item, partial(worker.deliver, item)) for item in rest)
            return
        batch, alone, rest = _next_batch(worker, rest)
        yield from ((item, partial(worker.deliver, item)) for item in alone)
        if batch.items:
            yield from _send(worker, batch)


def _next_batch(worker: SyncWorker, items: list[Item]) -> tuple[_Batch, list[Item], list[Item]]:
    """(a batch from the head of `items`, the items among them to send the v1 way, the rest)."""
    batch = _Batch(binary=FEATURE_SUBMISSION_BATCH_BINARY in worker.server_features)
    alone = []
    for index, item in enumerate(items):
        inline = _inline_blobs(worker, item, batch)
        if inline is None:
            alone.append(item)
            continue
        added = len(item.envelope.encode()) + 1 + sum(len(sha) + batch.blob_bytes(data) + 40
                                                      for sha, data in inline.items())
        if batch.items and (len(batch.items) >= MAX_BATCH_ITEMS or
                            batch.size + added > MAX_BATCH_BYTES):
            return batch, alone, items[index:]
        batch.items.append(item)
        batch.envelopes.append(item.envelope)
        batch.blobs.update(inline)
        batch.size += added
    return batch, alone, []


def _inline_blobs(worker: SyncWorker, item: Item, batch: _Batch) -> dict[str, bytes] | None:
    """The item's blobs not yet in the batch; None when one must go the v1 way."""
    inline = {}
    for sha in item.blobs:
        if sha in batch.blobs:
            continue
        store = worker.outbox.blobs
        if not store.exists(sha) or store.size(sha) > worker.whole_blob_max:
            return None
        # Not hashed against its name here: the request signature hashes the body, and the
        # server leaves out a blob whose bytes do not hash to its name (424 for the items
        # needing it), whose v1 upload then finds the local copy corrupted and sets them
        # aside. Hashing it here as well cost a quarter of building the batch.
        inline[sha] = store.read(sha)
    if len(item.envelope.encode()) + sum(map(batch.blob_bytes, inline.values())) > \
            MAX_BATCH_BYTES - FRAMING_BYTES:
        return None
    return inline


def _send(worker: SyncWorker, batch: _Batch) -> Iterator[tuple[Item, Delivery]]:
    what = f"submission batch of {len(batch.items)}"
    response = worker.transport.request("POST", batch.path(), body=batch.body(), stream=True,
                                        headers={"Content-Type": batch.content_type()})
    crash_point("server_committed")  # the status line is here, the receipts not yet read
    try:
        content = response.content
    except requests.RequestException as error:
        raise TransientError(f"POST {batch.path()}: response cut off: {error}") from error
    if batch.binary and response.status_code in (404, 405, 413, 415):
        # raw bytes not (or no longer) taken: the same items as a JSON batch
        worker.forget_feature(FEATURE_SUBMISSION_BATCH_BINARY)
        yield from batched_deliveries(worker, batch.items)
        return
    if response.status_code in (404, 405, 413):  # batches not (or no longer) taken: v1
        worker.forget_feature(FEATURE_SUBMISSION_BATCH)
        yield from ((item, partial(worker.deliver, item)) for item in batch.items)
        return
    raise_for_global_status(response, what)
    if response.status_code != 200:
        raise TransientError(f"{what}: unexpected answer {response.status_code}")
    outcomes = _outcomes(content, what)
    if [outcome.get("submission_id") for outcome in outcomes] != \
            [item.item_id for item in batch.items]:
        raise PauseQueue(f"{what}: the answer names other submissions")
    yield from _settle(worker, batch.items, outcomes)


def _settle(worker: SyncWorker, items: list[Item],
            outcomes: list[dict[str, Any]]) -> list[tuple[Item, Delivery]]:
    """Classify each outcome by v1's rules, then record the verified receipts and the items
    set aside in one outbox transaction (one fsync for the batch, not one per item). The
    deliveries returned tell the cycle what became of each item, in order: a failure that
    ends the cycle (a receipt that does not verify) ends it at its item, those before it
    recorded, as one by one; a 424 (an inline blob not taken) goes the v1 way, which says
    why."""
    deliveries: list[tuple[Item, Delivery]] = []
    receipts: list[DeliveredReceipt] = []
    set_aside: dict[str, str] = {}
    for item, outcome in zip(items, outcomes):
        if outcome["status"] == 424:
            deliveries.append((item, partial(worker.deliver, item)))
            continue
        try:
            receipts.append(worker.checked_receipt(
                item, _as_put_response(outcome["status"], outcome["body"])))
            deliveries.append((item, _recorded))
        except QuarantineItem as error:
            set_aside[item.item_id] = str(error)
            error.recorded = True
            deliveries.append((item, partial(_raise, error)))
        except ItemFailed as error:  # counted against the item by the cycle
            deliveries.append((item, partial(_raise, error)))
        except Exception as error:  # noqa: BLE001 - raised again by the cycle, in order
            deliveries.append((item, partial(_raise, error)))
            break
    if receipts or set_aside:
        worker.outbox.record_outcomes(receipts, set_aside)
    return deliveries


def _recorded() -> bool:
    return True


def _raise(error: Exception) -> NoReturn:
    raise error


def _outcomes(content: bytes, what: str) -> list[dict[str, Any]]:
    """The outcomes as received (receipts are verified over these, not over models)."""
    try:
        raw = json.loads(content)
        BatchOutcomes.model_validate(raw)
    except ValueError as error:  # pydantic's ValidationError is a ValueError
        raise TransientError(f"{what}: an answer that is not a BatchOutcomes (captive portal "
                             "or proxy?)") from error
    return raw["outcomes"]


def _as_put_response(status: int, body: dict[str, Any]) -> requests.Response:
    """One outcome as the response its PUT would have had, for v1's rules to classify."""
    response = requests.Response()
    response.status_code = status
    try:
        response.reason = HTTPStatus(status).phrase
    except ValueError:
        response.reason = ""
    response._content = json.dumps(body, ensure_ascii=False).encode("utf-8")
    response.encoding = "utf-8"
    return response
