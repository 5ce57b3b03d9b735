"""The notification outbox: enqueue once per key, deliver with retry and backoff, exactly
one successful send per key across every worker (a claim is a conditional UPDATE: of two
workers racing for a notice, one gets it); alerts go to the people on call (notices/rota.py)."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from typing import Callable, Mapping

from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from district_server.db import Database
from district_server.kiosks.models import Kiosk, KioskAlarm
from district_server.notices.models import Notice, OnCall
from district_server.notices.senders import NoticeSender, Outgoing

log = logging.getLogger(__name__)


#: the next attempt of a held notice: never, until `release` sets it to now
HELD = datetime(9999, 1, 1, tzinfo=timezone.utc)


def enqueue(session: Session, *, notice_key: str, channel: str, recipient: str,
            hall_code: str, subject: str, body: str, now: datetime,
            held: bool = False) -> bool:
    """Keep the notice for sending (`held`: only once released); False when a notice with
    this key exists already."""
    if session.get(Notice, notice_key) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(Notice(notice_key=notice_key, channel=channel, recipient=recipient,
                               hall_code=hall_code, subject=subject[:200], body=body,
                               created_at=now, next_attempt_at=HELD if held else now,
                               attempts=0))
    except IntegrityError:
        return False        # enqueued concurrently by another worker
    return True


def release(session: Session, notice_key: str, now: datetime) -> None:
    """Send a held notice from now on (nothing when there is none, or it went already)."""
    session.execute(update(Notice).where(Notice.notice_key == notice_key,
                                         Notice.next_attempt_at == HELD,
                                         Notice.sent_at.is_(None)).values(next_attempt_at=now))


def withdraw(session: Session, notice_key: str) -> None:
    """Drop a notice that has not been sent (what it says is no longer true)."""
    session.execute(delete(Notice).where(Notice.notice_key == notice_key,
                                         Notice.sent_at.is_(None)))


def on_call(session: Session, hall_code: str, now: datetime) -> list[OnCall]:
    """The shifts of the hall in force at `now`."""
    return list(session.scalars(select(OnCall).where(
        OnCall.hall_code == hall_code, OnCall.starts_at <= now, OnCall.ends_at > now)
        .order_by(OnCall.id)))


def notify_alerts(session: Session, *, now: datetime) -> int:
    """One notice per raised, unacknowledged alert (each time it opens) to each person on
    call for its hall; idempotent, so every worker may run it. Returns how many are new."""
    rows = session.execute(
        select(KioskAlarm, Kiosk.hall_code).join(Kiosk, Kiosk.kiosk_id == KioskAlarm.kiosk_id)
        .where(KioskAlarm.resolved_at.is_(None), KioskAlarm.acknowledged_at.is_(None),
               or_(KioskAlarm.raised_at.is_(None), KioskAlarm.raised_at <= now)))
    new = 0
    shifts: dict[str, list[OnCall]] = {}
    for alarm, hall in rows:
        for shift in shifts.setdefault(hall, on_call(session, hall, now)):
            key = f"alert:{alarm.kiosk_id}:{alarm.kind}:{alarm.opened_at.isoformat()}:{shift.id}"
            new += enqueue(session, notice_key=key, channel=shift.channel,
                           recipient=shift.recipient, hall_code=hall,
                           subject=f"{hall} {alarm.kiosk_id}: {alarm.kind}",
                           body=alarm.detail, now=now)
    return new


def retry_delay_s(attempts: int, base_s: float, cap_s: float) -> float:
    return min(cap_s, base_s * 2 ** min(30, max(0, attempts - 1)))


def deliver_due(db: Database, senders: Mapping[str, NoticeSender], *,
                now: Callable[[], datetime], worker: str, lease_s: float = 60.0,
                retry_base_s: float = 30.0, retry_cap_s: float = 3600.0,
                batch: int = 50) -> int:
    """Send the notices that are due; returns how many were sent. Each notice is claimed
    (a lease) before it is sent, outside any transaction, and recorded after."""
    sent = 0
    while True:
        claimed = _claim(db, now(), worker, lease_s, batch)
        if not claimed:
            return sent
        for notice in claimed:
            sender = senders.get(notice.channel)
            try:
                if sender is None:
                    raise LookupError(f"no sender for channel {notice.channel!r}")
                sender.send(notice)
            except Exception as error:  # noqa: BLE001 - any failure is retried later
                _record_failure(db, notice.notice_key, worker, str(error)[:500], now(),
                                retry_base_s, retry_cap_s)
                continue
            sent += _record_sent(db, notice.notice_key, worker, now())


def _claim(db: Database, at: datetime, worker: str, lease_s: float,
           batch: int) -> list[Outgoing]:
    due = (Notice.sent_at.is_(None), Notice.next_attempt_at <= at,
           or_(Notice.claimed_until.is_(None), Notice.claimed_until < at))
    claimed = []
    with db.transaction() as session:
        keys = session.scalars(select(Notice.notice_key).where(*due)
                               .order_by(Notice.next_attempt_at).limit(batch)).all()
        for key in keys:
            taken = session.execute(update(Notice).where(Notice.notice_key == key, *due).values(
                claimed_until=at + timedelta(seconds=lease_s), claimed_by=worker))
            if taken.rowcount == 1:
                notice = session.get(Notice, key)
                claimed.append(Outgoing(notice.notice_key, notice.channel, notice.recipient,
                                        notice.subject, notice.body))
    return claimed


def _record_sent(db: Database, key: str, worker: str, at: datetime) -> int:
    with db.transaction() as session:
        return session.execute(update(Notice).where(
            Notice.notice_key == key, Notice.claimed_by == worker, Notice.sent_at.is_(None))
            .values(sent_at=at, claimed_until=None, attempts=Notice.attempts + 1,
                    last_error=None)).rowcount


def _record_failure(db: Database, key: str, worker: str, error: str, at: datetime,
                    base_s: float, cap_s: float) -> None:
    log.warning("notice not sent; retrying later", extra={"notice_key": key, "error": error})
    with db.transaction() as session:
        notice = session.get(Notice, key)
        if notice is None or notice.claimed_by != worker or notice.sent_at is not None:
            return
        notice.attempts += 1
        notice.last_error = error
        notice.claimed_until = None
        notice.next_attempt_at = at + timedelta(
            seconds=retry_delay_s(notice.attempts, base_s, cap_s))
