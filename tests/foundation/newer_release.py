"""A database migrated by a release newer than this one: the situation after an update that
was rolled back (kiosk/updates.py)."""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Sequence

from foundation.sqlite_schema import migrate


def newer_release_step(path: Path, sql: str, known_steps: Sequence[object],
                       known_additive: frozenset[int], *, additive: bool) -> None:
    """Run one schema step past `known_steps`, as the newer release would, declared
    `additive` or not."""
    db = sqlite3.connect(path, isolation_level=None)

    @contextmanager
    def transaction() -> Iterator[sqlite3.Connection]:
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def already_run(_db: sqlite3.Connection) -> None:
        raise AssertionError("a step this release knows ran again")

    new = len(known_steps)
    try:
        migrate(transaction, lambda handle: handle,
                [already_run] * new + [lambda handle: handle.execute(sql)],
                known_additive | ({new} if additive else set()), str(path))
    finally:
        db.close()
