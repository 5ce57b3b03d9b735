"""Fixed-window rate limits with their counters in the database, so every server worker
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
    Call it before the request's own transaction."""
    start = now - timedelta(seconds=now.timestamp() % window_s)
    with db.transaction() as session:
        counted = _count(session, key, start)
    if counted > limit:
        retry = int((start + timedelta(seconds=window_s) - now).total_seconds()) + 1
        raise ProblemError(429, "too_many_attempts",
                           f"more than {limit} attempts in {window_s} s; try again later",
                           headers={"Retry-After": str(retry)})


def _count(session: Session, key: str, start: datetime) -> int:
    """One atomic UPDATE (a counter of an earlier window starts over at 1); INSERT when
    there is no counter yet, and on a race with another worker's INSERT, count again."""
    for _attempt in range(3):
        counted = session.execute(
            update(RateCounter).where(RateCounter.key == key)
            .values(count=case((RateCounter.window_start == start, RateCounter.count + 1),
                               else_=1), window_start=start)
            .returning(RateCounter.count)).scalar()
        if counted is not None:
            return counted
        try:
            with session.begin_nested():
                session.add(RateCounter(key=key, window_start=start, count=1))
            return 1
        except IntegrityError:
            continue
    raise ProblemError(503, "busy", "try again")
