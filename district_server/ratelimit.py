"""Rate limits with their counters in the database, so every server worker
(and every server process on the same database) counts the same attempts."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Integer, String, case, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from district_server.db import Base, Database, UtcDateTime
from district_server.errors import ProblemError


class RateCounter(Base):
    __tablename__ = "rate_counters"
    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UtcDateTime)
    count: Mapped[int] = mapped_column(Integer)


def hit(db: Database, key: str, *, limit: int, window_s: int, now: datetime) -> None:
    """Count one attempt under `key` in a transaction of its own (committed even when the
    attempt is refused, so refused guesses still count); past `limit` in the window: 429.
    A window opens at the first attempt after the previous one closed. Call this before
    the request's own transaction."""
    with db.transaction() as session:
        counted, start = _count(session, key, now, now - timedelta(seconds=window_s))
    if counted > limit:
        retry = int((start + timedelta(seconds=window_s) - now).total_seconds()) + 1
        raise ProblemError(429, "too_many_attempts",
                           f"more than {limit} attempts in {window_s} s; try again later",
                           headers={"Retry-After": str(retry)})


def _count(session: Session, key: str, now: datetime,
           open_after: datetime) -> tuple[int, datetime]:
    """One atomic UPDATE (a closed window starts over at 1, opening now); an INSERT when the
    key has no counter yet, and on a race with another worker's INSERT, update again."""
    current = RateCounter.window_start > open_after
    for _attempt in range(3):
        row = session.execute(
            update(RateCounter).where(RateCounter.key == key)
            .values(count=case((current, RateCounter.count + 1), else_=1),
                    window_start=case((current, RateCounter.window_start), else_=now))
            .returning(RateCounter.count, RateCounter.window_start)).first()
        if row is not None:
            return row.count, row.window_start
        try:
            with session.begin_nested():
                session.add(RateCounter(key=key, window_start=now, count=1))
            return 1, now
        except IntegrityError:
            continue
    raise ProblemError(503, "busy", "try again")
