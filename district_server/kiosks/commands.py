"""Remote commands: the district asks one kiosk to act (wire.v1.CommandKind).

A command is sent by the district administrator or a hall supervisor (their own hall's
kiosks), queued, handed to the kiosk on its next sync (within its 30 s heartbeat while it
is online), signed by the district so the kiosk acts only on what the district sent, and
finished by the kiosk's result. One not yet running when it expires never runs: an offline
kiosk gets, when it returns, only the commands that have not. Every step is an audit entry.
"""
from __future__ import annotations

import json
import secrets
from datetime import datetime, timedelta
from typing import get_args

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from district_server.audit import service as audit
from district_server.blobs.store import BlobStore
from district_server.crypto import DecryptionFailed, DistrictKeyring
from district_server.errors import ProblemError
from district_server.kiosks.models import Kiosk, KioskCommandRow
from district_server.roles import Permission
from district_server.staff.accounts import StaffMember
from wire import v1

#: how long a command waits for its kiosk unless the sender says otherwise
DEFAULT_TTL_S = 3600
MAX_TTL_S = 7 * 24 * 3600
#: states a kiosk is still to be handed the command in
_OPEN = ("queued", "delivered")
_FINISHED = ("succeeded", "failed")


def _arguments(kind: str, args: dict) -> dict:
    """The arguments a kind takes, checked; anything else is a 422."""
    if kind == "open_compartment":
        number = args.get("number")
        if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= 999:
            raise ProblemError(422, "bad_command", "open_compartment needs a compartment "
                                                   "number (1-999)")
        return {"number": number, "reason": str(args.get("reason", ""))[:200]}
    if kind == "out_of_service":
        return {"reason": str(args.get("reason") or "taken out of service by the district")[:200]}
    if args:
        raise ProblemError(422, "bad_command", f"{kind} takes no arguments")
    return {}


def _visible_kiosk(session: Session, member: StaffMember, kiosk_id: str) -> Kiosk:
    member.require(Permission.commands)
    kiosk = session.get(Kiosk, kiosk_id)
    if kiosk is None or not member.may_see_hall(kiosk.hall_code):
        raise ProblemError(404, "no_such_kiosk", kiosk_id)
    return kiosk


def send(session: Session, member: StaffMember, kiosk_id: str, kind: str, args: dict, *,
         now: datetime, ttl_s: int = DEFAULT_TTL_S,
         idempotency_key: str | None = None) -> KioskCommandRow:
    """Queue a command; the same idempotency key for the same kiosk returns the first one."""
    _visible_kiosk(session, member, kiosk_id)
    if kind not in get_args(v1.CommandKind):
        raise ProblemError(422, "bad_command", f"unknown command {kind!r}")
    if not 1 <= ttl_s <= MAX_TTL_S:
        raise ProblemError(422, "bad_command", f"ttl_s must be 1..{MAX_TTL_S}")
    existing = _sent_before(session, kiosk_id, idempotency_key)
    if existing is not None:
        return existing
    row = KioskCommandRow(command_id=secrets.token_hex(16), kiosk_id=kiosk_id, kind=kind,
                          args_json=json.dumps(_arguments(kind, args), sort_keys=True),
                          state="queued", sent_by=member.actor,
                          idempotency_key=idempotency_key or None, issued_at=now,
                          expires_at=now + timedelta(seconds=ttl_s), detail="")
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:   # the same form, sent at the same moment: the other one stands
        return _sent_before(session, kiosk_id, idempotency_key)
    _audit(session, row, member.actor, "queued", now)
    return row


def _sent_before(session: Session, kiosk_id: str,
                 idempotency_key: str | None) -> KioskCommandRow | None:
    if not idempotency_key:
        return None
    return session.scalar(select(KioskCommandRow).where(
        KioskCommandRow.kiosk_id == kiosk_id, KioskCommandRow.idempotency_key == idempotency_key))


def _audit(session: Session, row: KioskCommandRow, actor: str, state: str,
           now: datetime) -> None:
    audit.append(session, at=now, actor=actor, action=f"kiosk.command_{state}",
                 detail={"kiosk_id": row.kiosk_id, "command_id": row.command_id,
                         "kind": row.kind, **({"detail": row.detail} if row.detail else {})})


def expire(session: Session, *, now: datetime, kiosk_id: str | None = None) -> int:
    """Commands still to be handed over (or not yet started) past their expiry: expired."""
    query = select(KioskCommandRow).where(KioskCommandRow.state.in_(_OPEN),
                                          KioskCommandRow.expires_at <= now)
    if kiosk_id is not None:
        query = query.where(KioskCommandRow.kiosk_id == kiosk_id)
    rows = list(session.scalars(query))
    for row in rows:
        row.state, row.finished_at = "expired", now
        _audit(session, row, "district", "expired", now)
    return len(rows)


def signed(row: KioskCommandRow, keys: DistrictKeyring) -> v1.SignedKioskCommand:
    command = v1.KioskCommand(command_id=row.command_id, kiosk_id=row.kiosk_id, kind=row.kind,
                              args=json.loads(row.args_json), issued_at=row.issued_at,
                              expires_at=row.expires_at)
    return v1.SignedKioskCommand(command=command,
                                 signature_b64=keys.sign(command.model_dump(mode="json")))


def deliver(session: Session, kiosk_id: str, *, now: datetime,
            keys: DistrictKeyring) -> v1.KioskCommands:
    """The kiosk's commands it has not started, oldest first; handed over again until it
    says what became of them (a lost answer loses nothing; the kiosk runs each once)."""
    expire(session, now=now, kiosk_id=kiosk_id)
    rows = list(session.scalars(select(KioskCommandRow).where(
        KioskCommandRow.kiosk_id == kiosk_id, KioskCommandRow.state.in_(_OPEN))
        .order_by(KioskCommandRow.issued_at, KioskCommandRow.command_id)))
    for row in rows:
        if row.state == "queued":
            row.state, row.delivered_at = "delivered", now
            _audit(session, row, f"kiosk:{kiosk_id}", "delivered", now)
    return v1.KioskCommands(commands=[signed(row, keys) for row in rows])


def record_result(session: Session, kiosk_id: str, command_id: str, result: v1.CommandResult,
                  *, now: datetime) -> KioskCommandRow:
    """The kiosk says what became of a command. Saying it again changes nothing; a finished
    command does not change its outcome (409). What the kiosk did stands even after the
    district gave up waiting (an expired command that did run)."""
    row = session.get(KioskCommandRow, command_id)
    if row is None or row.kiosk_id != kiosk_id:
        raise ProblemError(404, "no_such_command", command_id)
    if row.state == result.state:
        return row
    if row.state in _FINISHED:
        raise ProblemError(409, "command_finished", f"command {command_id} is {row.state}")
    row.state, row.detail = result.state, result.detail
    row.blob_sha256 = result.blob_sha256 or row.blob_sha256
    if result.state in _FINISHED:
        row.finished_at = now
    _audit(session, row, f"kiosk:{kiosk_id}", result.state, now)
    return row


def commandable(session: Session, member: StaffMember) -> list[Kiosk]:
    """The enrolled kiosks the member may send commands to."""
    member.require(Permission.commands)
    query = select(Kiosk).where(Kiosk.revoked_at.is_(None)).order_by(Kiosk.kiosk_id)
    if not member.all_halls:
        query = query.where(Kiosk.hall_code == member.hall_code)
    return list(session.scalars(query))


def commands_of(session: Session, member: StaffMember, kiosk_id: str, *, now: datetime,
                limit: int = 50) -> list[KioskCommandRow]:
    """The kiosk's latest commands, newest first (what the console shows)."""
    _visible_kiosk(session, member, kiosk_id)
    expire(session, now=now, kiosk_id=kiosk_id)
    return list(session.scalars(select(KioskCommandRow)
                                .where(KioskCommandRow.kiosk_id == kiosk_id)
                                .order_by(KioskCommandRow.issued_at.desc()).limit(limit)))


def has_logs(row: KioskCommandRow) -> bool:
    """A collect_logs command the kiosk finished with its sealed log archive."""
    return row.kind == "collect_logs" and row.state == "succeeded" and bool(row.blob_sha256)


def collected_logs(session: Session, member: StaffMember, kiosk_id: str, command_id: str, *,
                   keys: DistrictKeyring, blobs: BlobStore, now: datetime) -> bytes:
    """The kiosk's log files a collect_logs command brought (a gzipped tar), decrypted for a
    member who may send the kiosk commands; every download is audited."""
    _visible_kiosk(session, member, kiosk_id)
    row = session.get(KioskCommandRow, command_id)
    if row is None or row.kiosk_id != kiosk_id or not has_logs(row):
        raise ProblemError(404, "no_such_logs", "no logs collected by this command")
    try:
        sealed = blobs.read(row.blob_sha256)
    except FileNotFoundError:
        raise ProblemError(404, "no_such_logs", "the kiosk's upload of these logs has not "
                                                "arrived") from None
    try:
        archive = keys.decrypt_blob(sealed)
    except DecryptionFailed as error:
        raise ProblemError(422, "logs_unreadable", str(error)) from None
    audit.append(session, at=now, actor=member.actor, action="kiosk.logs_downloaded",
                 detail={"kiosk_id": kiosk_id, "command_id": command_id,
                         "blob": row.blob_sha256})
    return archive
