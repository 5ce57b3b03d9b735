"""Engine, declarative base and transactions.

SQLite: WAL, synchronous=FULL, foreign keys, and every transaction begins IMMEDIATE so two
writers queue on the busy timeout instead of failing on a lock upgrade. PostgreSQL: plain
READ COMMITTED; uniqueness is always left to constraints, never to a prior SELECT.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, Iterator

from sqlalchemy import DateTime, Engine, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator


class Base(DeclarativeBase):
    pass


class UtcDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""
    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None \
            else value.astimezone(timezone.utc)


def make_engine(url: str, *, busy_timeout_s: float = 30.0) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": busy_timeout_s,
                                                  "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:
            dbapi_connection.isolation_level = None      # we issue BEGIN ourselves
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin_immediate(connection) -> None:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


@dataclass
class FirstWork:
    """Work that the first transaction of the current request (context) does before its
    own, committed with it: a signed request's nonce, so the request costs one commit."""
    work: Callable[[Session], None]
    committed: bool = False


_FIRST_WORK: ContextVar[FirstWork | None] = ContextVar("first_work", default=None)


class Database:
    def __init__(self, url: str, *, busy_timeout_s: float = 30.0) -> None:
        self.url = url
        self.engine = make_engine(url, busy_timeout_s=busy_timeout_s)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # SQLite has one writer at a time; queueing this process's writers on a lock (FIFO
        # enough) replaces SQLite's sleep-and-retry busy handler and its long latency tail.
        # Other processes (several workers) still meet the busy timeout.
        self._writer = threading.RLock() if url.startswith("sqlite") else nullcontext()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any exception. It begins
        with the request's `FirstWork` until a transaction carrying it has committed."""
        first = _FIRST_WORK.get()
        if first is not None and first.committed:
            first = None
        with self._writer, self._sessions() as session:
            with session.begin():
                if first is not None:
                    first.work(session)
                yield session
            if first is not None:
                first.committed = True

    @staticmethod
    def begin_next_transaction_with(work: Callable[[Session], None]) -> FirstWork:
        """Have the next transaction(s) of this context (a request's task, and the worker
        threads it hands work to) do `work` first, until one commits; see FirstWork."""
        first = FirstWork(work)
        _FIRST_WORK.set(first)
        return first

    @staticmethod
    def forget_first_work() -> None:
        _FIRST_WORK.set(None)

    def dispose(self) -> None:
        self.engine.dispose()
