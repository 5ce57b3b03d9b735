"""Protocol v1.1: a batch of submissions and their small blobs in one signed request, the
blobs base64 inside JSON or raw after a JSON head (v1.FEATURE_SUBMISSION_BATCH_BINARY).

The request's signature covers the bytes as received (its one nonce is recorded by the
batch's one transaction). Blobs inline are verified against their names and stored first;
each submission then goes through v1's checks, the new ones are written together (bulk.py)
and the rest recorded one by one inside their own savepoints, so one bad submission,
whatever its fault, fails only itself and is answered with the status and body its own PUT
would have had; the others commit together, each with its signed receipt."""
from __future__ import annotations

import base64
import binascii
import logging
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from district_server.blobs import service as blobs
from district_server.context import ServerContext
from district_server.errors import ProblemError
from district_server.kiosks.service import KioskPrincipal
from district_server.submissions import bulk, service
from wire import v1

log = logging.getLogger(__name__)


def _decoded(inline: dict[str, str]) -> dict[str, bytes]:
    """The blobs that decode; one that does not is as absent (its submissions get 424)."""
    decoded = {}
    for sha, text in inline.items():
        try:
            decoded[sha] = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            continue
    return decoded


def _outcome(submission_id: Any, status: int, body: dict[str, Any]) -> dict[str, Any]:
    return {"submission_id": submission_id if isinstance(submission_id, str) else None,
            "status": status, "body": body}


def _problem(submission_id: Any, error: ProblemError) -> dict[str, Any]:
    return _outcome(submission_id, error.status, error.body())


def intake_batch(ctx: ServerContext, principal: KioskPrincipal,
                 batch: v1.SubmissionBatch) -> dict[str, Any]:
    """A v1.BatchOutcomes body: one outcome per submission, in request order."""
    return _intake(ctx, principal, batch.submissions, _decoded(batch.blobs))


def intake_binary_batch(ctx: ServerContext, principal: KioskPrincipal,
                        body: bytes) -> dict[str, Any]:
    """intake_batch for a v1.MEDIA_TYPE_BINARY_BATCH body: a 400 when its framing is wrong,
    a 422 when its head is not a v1.BinarySubmissionBatch, before anything is stored."""
    try:
        head_bytes, rest = v1.split_binary_batch(body)
        head = v1.BinarySubmissionBatch.model_validate_json(head_bytes)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ProblemError(422, "invalid", f"batch head: {where}: {first['msg']}") from error
    except ValueError as error:
        raise ProblemError(400, "bad_framing", str(error)) from error
    try:
        blobs = v1.binary_batch_blobs(head, rest)
    except ValueError as error:
        raise ProblemError(400, "bad_framing", str(error)) from error
    return _intake(ctx, principal, head.submissions, blobs)


def _intake(ctx: ServerContext, principal: KioskPrincipal, submissions: list[dict[str, Any]],
            blob_contents: dict[str, bytes]) -> dict[str, Any]:
    outcomes: list[dict[str, Any] | None] = []
    checked: list[bulk.Checked] = []
    for index, raw in enumerate(submissions):
        submission_id = raw.get("submission_id")
        try:
            envelope = v1.SubmissionEnvelope.model_validate(raw)
            digest, payload = service.check(ctx, principal, envelope.submission_id, envelope)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            outcomes.append(_problem(submission_id, ProblemError(
                422, "invalid", f"{where}: {first['msg']}")))
            continue
        except ProblemError as error:
            outcomes.append(_problem(submission_id, error))
            continue
        outcomes.append(None)
        checked.append(bulk.Checked(index, envelope, digest, payload))
    now = ctx.now()
    with ctx.db.transaction() as session:
        blobs.store_inline(session, ctx.blobs, kiosk_id=principal.kiosk_id,
                           contents=blob_contents, max_bytes=ctx.settings.chunk_bytes,
                           now=now)
        settled, one_by_one = bulk.record_new(session, ctx, principal, checked, now)
        for item in one_by_one:
            settled[item.index] = _record_alone(session, ctx, principal, item, now)
        new_seqs = []
        for item in checked:
            result = settled[item.index]
            if isinstance(result, ProblemError):
                outcomes[item.index] = _problem(item.envelope.submission_id, result)
                continue
            status, signed = result
            outcomes[item.index] = _outcome(item.envelope.submission_id, status, signed)
            if status == 201:
                new_seqs.append(item.envelope.kiosk_seq)
        service.count_failed(session, principal.kiosk_id, sum(
            outcome["status"] in service.REFUSED_FOR_GOOD for outcome in outcomes))
        gaps = service.gaps_possible(session, principal.kiosk_id, new_seqs)
    if gaps:
        service.check_gaps(ctx, principal.kiosk_id)
    return {"outcomes": outcomes}


def _record_alone(session: Session, ctx: ServerContext, principal: KioskPrincipal,
                  item: bulk.Checked, now: datetime
                  ) -> tuple[int, dict[str, Any]] | ProblemError:
    """An item in its own savepoint, as its PUT would be recorded."""
    try:
        with session.begin_nested():
            return service.record(session, ctx, principal, item.envelope, item.digest,
                                  item.payload, now)
    except ProblemError as error:
        return error
    except Exception:  # noqa: BLE001 - a fault of one item is that item's 500 alone,
        # as its PUT would have had; the kiosk counts it against the item
        log.exception("batch item %s failed", item.envelope.submission_id)
        return ProblemError(500, "internal", "unexpected server error; retry later")
