"""Exactly-once intake of submissions and the receipts that prove it.

The order matters. Checks that depend only on the request bytes (envelope, decryption,
payload schema, blobs present) come first, so a replay of an accepted submission passes them
again. Then the INSERT: the database's unique constraints decide between new and duplicate
(never a SELECT before it). A duplicate is answered from the stored row: 200 with the very
receipt signed the first time, or 409 when the digest differs. Only a new row runs the
domain effects (open a case...), in the same transaction as the receipt.
"""
from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, aliased

from district_server.blobs import service as blobs
from district_server.cases import service as cases
from district_server.context import ServerContext
from district_server.crypto import DecryptionFailed, DistrictKeyring
from district_server.errors import ProblemError
from district_server.kiosks.models import Kiosk, KioskAlarm
from district_server.kiosks.service import KioskPrincipal
from district_server.submissions.models import Submission
from wire import v1

log = logging.getLogger(__name__)


def _referenced_blobs(payload: v1.Request) -> set[str]:
    if isinstance(payload, v1.ApplicationPayload):
        hashes = {h for m in payload.materials for h in m.blobs}
        if payload.commitment:
            hashes.add(payload.commitment.signature_blob)
        return hashes
    if isinstance(payload, v1.CommitmentPayload):
        hashes = {h for m in payload.supplied for h in m.blobs}
        if payload.commitment:
            hashes.add(payload.commitment.signature_blob)
        return hashes
    return set()


def open_payload(ctx: ServerContext, envelope: v1.SubmissionEnvelope) -> v1.Request:
    """Decrypt with the district key and validate against the kind's model (422 otherwise)."""
    try:
        plaintext = ctx.keys.decrypt_payload(envelope)
    except DecryptionFailed as error:
        raise ProblemError(422, "undecryptable_payload", str(error)) from None
    try:
        payload = v1.PAYLOAD_MODELS[envelope.kind].model_validate_json(plaintext)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ProblemError(422, "invalid_payload", f"{envelope.kind}: {where}: {first['msg']}"
                           ) from None
    unlisted = _referenced_blobs(payload) - set(envelope.blobs)
    if unlisted:
        raise ProblemError(422, "invalid_payload", "payload refers to blobs the envelope does "
                                                   f"not list: {sorted(unlisted)[:3]}")
    return payload


def _stored_receipt(row: Submission, keys: DistrictKeyring) -> dict[str, Any]:
    """A v1.SignedReceipt body with the receipt exactly as it was signed: a receipt signed by
    an older release keeps its fields, so the signature still verifies; one signed by a
    receipt key since rotated away is signed again by the current one."""
    receipt = json.loads(row.receipt)
    return {"receipt": receipt, "signature_b64": keys.signed_now(receipt, row.signature_b64)}


def new_receipt(keys: DistrictKeyring, envelope: v1.SubmissionEnvelope, digest: str,
                case_number: str | None, now: datetime, server_seq: int
                ) -> tuple[str, str, dict[str, Any]]:
    """(receipt as stored, its signature, the v1.SignedReceipt body) of a new submission."""
    receipt = v1.Receipt(submission_id=envelope.submission_id, kiosk_id=envelope.kiosk_id,
                         kiosk_seq=envelope.kiosk_seq, digest=digest,
                         case_number=case_number, received_at=now, server_seq=server_seq)
    text, signature = v1.canonical_json(receipt).decode("utf-8"), keys.sign(receipt)
    return text, signature, {"receipt": json.loads(text), "signature_b64": signature}


def missing_blobs(missing: list[str]) -> ProblemError:
    return ProblemError(424, "missing_blobs", "upload these blobs first", missing=missing)


#: the statuses by which the district refuses a submission for good (the kiosk sets it aside)
REFUSED_FOR_GOOD = frozenset({400, 409, 413, 422})


def count_failed(session: Session, kiosk_id: str, count: int) -> None:
    """Count submissions refused for good from a kiosk (Kiosk.failed_submissions)."""
    if count:
        session.execute(update(Kiosk).where(Kiosk.kiosk_id == kiosk_id).values(
            failed_submissions=Kiosk.failed_submissions + count))


def intake(ctx: ServerContext, principal: KioskPrincipal, submission_id: str,
           envelope: v1.SubmissionEnvelope) -> tuple[int, dict[str, Any]]:
    """(status, v1.SignedReceipt body) for a submission, idempotent on its id and digest."""
    try:
        digest, payload = check(ctx, principal, submission_id, envelope)
        with ctx.db.transaction() as session:
            status, signed = record(session, ctx, principal, envelope, digest, payload,
                                    ctx.now())
            gap_possible = status == 201 and gaps_possible(session, envelope.kiosk_id,
                                                           [envelope.kiosk_seq])
    except ProblemError as error:
        if error.status in REFUSED_FOR_GOOD:
            with ctx.db.transaction() as session:
                count_failed(session, principal.kiosk_id, 1)
        raise
    if gap_possible:
        check_gaps(ctx, envelope.kiosk_id)
    return status, signed


def check(ctx: ServerContext, principal: KioskPrincipal, submission_id: str,
          envelope: v1.SubmissionEnvelope) -> tuple[str, v1.Request]:
    """The checks that depend only on the request: (digest, decrypted payload)."""
    if envelope.submission_id != submission_id:
        raise ProblemError(422, "id_mismatch", "submission_id differs from the URL")
    if envelope.kiosk_id != principal.kiosk_id:
        raise ProblemError(403, "other_kiosk", "a kiosk submits only under its own id")
    return v1.submission_digest(envelope), open_payload(ctx, envelope)


def record(session: Session, ctx: ServerContext, principal: KioskPrincipal,
           envelope: v1.SubmissionEnvelope, digest: str, payload: v1.Request,
           now: datetime) -> tuple[int, dict[str, Any]]:
    """Store a checked submission in `session`: (status, v1.SignedReceipt body); after a
    201, `gaps_possible` says whether to `check_gaps` after the commit."""
    missing = blobs.missing(session, envelope.blobs, principal.kiosk_id)
    if missing:
        raise missing_blobs(missing)
    row = Submission(submission_id=envelope.submission_id, kiosk_id=envelope.kiosk_id,
                     kiosk_seq=envelope.kiosk_seq, kind=envelope.kind, digest=digest,
                     envelope=envelope.model_dump_json(), received_at=now)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        return _duplicate(session, principal, envelope.submission_id, digest, ctx.keys)
    case_number = cases.record(session, ctx, envelope=envelope, payload=payload,
                               hall_code=principal.hall_code, now=now)
    row.receipt, row.signature_b64, signed = new_receipt(ctx.keys, envelope, digest,
                                                         case_number, now, row.server_seq)
    return 201, signed


def gaps_possible(session: Session, kiosk_id: str, new_seqs: list[int]) -> bool:
    """Cheap test (two statements, however many submissions a batch recorded) before the
    full gap check, once the new submissions are in `session`: in-order arrival with no open
    alarm, the common case, cannot open or close a gap."""
    if not new_seqs:
        return False
    alarm = session.get(KioskAlarm, (kiosk_id, "sequence_gap"))
    if alarm is not None and alarm.resolved_at is None:
        return True
    new = set(new_seqs)
    if 1 in new and session.scalar(select(func.count()).where(
            Submission.kiosk_id == kiosk_id, Submission.kiosk_seq > 1,
            Submission.kiosk_seq.not_in(new))) > 0:
        return True
    previous = {seq - 1 for seq in new if seq > 1} - new
    return bool(previous) and session.scalar(select(func.count()).where(
        Submission.kiosk_id == kiosk_id, Submission.kiosk_seq.in_(previous))) < len(previous)


def _duplicate(session: Session, principal: KioskPrincipal, submission_id: str,
               digest: str, keys: DistrictKeyring) -> tuple[int, dict[str, Any]]:
    existing = session.scalars(select(Submission)
                               .where(Submission.submission_id == submission_id)).first()
    if existing is None:
        raise ProblemError(409, "kiosk_seq_reused", "another submission already has this "
                                                    "kiosk_seq")
    if existing.kiosk_id != principal.kiosk_id or existing.digest != digest:
        raise ProblemError(409, "conflicting_digest", "this submission id was received with "
                                                      "different content; never overwritten")
    return 200, _stored_receipt(existing, keys)


def contiguous_through(session: Session, kiosk_id: str) -> int:
    """Largest N with every kiosk_seq 1..N received (0 when seq 1 is missing)."""
    has_first = session.scalar(select(func.count()).where(Submission.kiosk_id == kiosk_id,
                                                          Submission.kiosk_seq == 1))
    if not has_first:
        return 0
    following = aliased(Submission)
    gap_start = session.scalar(
        select(func.min(Submission.kiosk_seq)).where(
            Submission.kiosk_id == kiosk_id,
            ~select(following.server_seq).where(
                following.kiosk_id == kiosk_id,
                following.kiosk_seq == Submission.kiosk_seq + 1).exists()))
    return int(gap_start)


def highest_seq(session: Session, kiosk_id: str) -> int:
    return int(session.scalar(select(func.max(Submission.kiosk_seq))
                              .where(Submission.kiosk_id == kiosk_id)) or 0)


def check_gaps(ctx: ServerContext, kiosk_id: str) -> None:
    """After a commit, in its own transaction: the alarm is bookkeeping and must never fail
    or slow down the intake that already succeeded."""
    try:
        with ctx.db.transaction() as session:
            _update_gap_alarm(session, kiosk_id, ctx.now())
    except SQLAlchemyError:
        log.warning("gap check for kiosk %s failed; the next one will redo it", kiosk_id,
                    exc_info=True)


def _update_gap_alarm(session: Session, kiosk_id: str, now: datetime) -> None:
    """A kiosk_seq above an unreceived one means a submission is missing: alarm until it
    arrives (the kiosk re-sends it after reading the receipts)."""
    through, highest = contiguous_through(session, kiosk_id), highest_seq(session, kiosk_id)
    alarm = session.get(KioskAlarm, (kiosk_id, "sequence_gap"))
    if highest > through:
        detail = f"kiosk_seq {through + 1} missing; highest received {highest}"
        if alarm is None:
            try:
                with session.begin_nested():
                    session.add(KioskAlarm(kiosk_id=kiosk_id, kind="sequence_gap",
                                           detail=detail, opened_at=now))
            except IntegrityError:
                pass        # opened concurrently by another request: it is open either way
        else:
            if alarm.resolved_at is not None:
                alarm.opened_at, alarm.resolved_at = now, None
            alarm.detail = detail
    elif alarm is not None and alarm.resolved_at is None:
        alarm.resolved_at = now


def receipts_page(session: Session, kiosk_id: str, after_seq: int, limit: int,
                  keys: DistrictKeyring) -> dict[str, Any]:
    """A v1.ReceiptsPage body, each receipt as signed (by the current receipt key)."""
    rows = list(session.scalars(select(Submission)
                                .where(Submission.kiosk_id == kiosk_id,
                                       Submission.kiosk_seq > after_seq)
                                .order_by(Submission.kiosk_seq).limit(limit + 1)))
    return {"receipts": [_stored_receipt(r, keys) for r in rows[:limit]],
            "contiguous_through": contiguous_through(session, kiosk_id),
            "has_more": len(rows) > limit}
