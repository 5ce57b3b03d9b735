"""Schema steps of the kiosk's SQLite databases, readable by the version before an update.

An update that fails its health check is rolled back (kiosk/updates.py), and the version it
rolls back to must open the databases the new version migrated, or the queue of
applications would be shut until someone comes. So each database keeps, beside
`user_version` (how many steps ran), the oldest step count whose software can still use
it, in the one-row table `schema_compatibility`. A step that only adds (a table, an index,
a column that may be NULL or has a default) keeps that number; any other step raises it to
its own. Software meeting a database newer than it knows uses it when the number allows,
and otherwise refuses it with the fix. Readers name the columns they read, so a column
added later is never a surprise to them.
"""
from __future__ import annotations

import sqlite3
from typing import Callable, Sequence

_TABLE = "schema_compatibility"


def _next_step(conn: sqlite3.Connection, known_steps: int, what: str) -> int | None:
    """The index of the schema step to run next, or None when the database is up to date or
    newer but still readable by software knowing `known_steps` steps. Call inside the
    transaction that runs the step; `what` names the database in the error."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version < known_steps:
        return version
    if version > known_steps and _oldest_reader(conn) > known_steps:
        raise sqlite3.DatabaseError(
            f"{what}: schema version {version} was changed in a way this kiosk software "
            f"(which knows {known_steps} steps) cannot read; run the newer software again "
            "(or update it), do not delete the file")
    return None


def _record_step(conn: sqlite3.Connection, step: int, additive: Sequence[int] | frozenset[int]
                ) -> None:
    """Mark step `step` as run, in the same transaction; unless it is in `additive`, only
    software that knows it can read the database from now on."""
    conn.execute(f"CREATE TABLE IF NOT EXISTS {_TABLE} (oldest_reader INTEGER NOT NULL)")
    if step not in additive:
        conn.execute(f"DELETE FROM {_TABLE}")
        conn.execute(f"INSERT INTO {_TABLE} (oldest_reader) VALUES (?)", (step + 1,))
    conn.execute(f"PRAGMA user_version={step + 1}")


def _oldest_reader(conn: sqlite3.Connection) -> int:
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                          (_TABLE,)).fetchone()
    if exists is None:  # written by a release that did not keep it: assume the worst
        return conn.execute("PRAGMA user_version").fetchone()[0]
    row = conn.execute(f"SELECT max(oldest_reader) FROM {_TABLE}").fetchone()
    return row[0] if row and row[0] is not None else 0


def migrate(transaction: Callable[[], object], connection: Callable[[object], sqlite3.Connection],
            steps: Sequence[Callable[[object], None]], additive: frozenset[int], what: str,
            after_step: Callable[[object, int], None] | None = None) -> None:
    """Run the steps the database lacks, one transaction each (the version is read inside
    each, so two processes opening a new database at once do not both run a step).
    `transaction()` is the store's context manager yielding its handle, `connection(handle)`
    the sqlite3 connection under it; `after_step(handle, index)` runs in a step's transaction."""
    while True:
        with transaction() as handle:  # type: ignore[attr-defined]
            conn = connection(handle)
            step = _next_step(conn, len(steps), what)
            if step is None:
                return
            steps[step](handle)
            if after_step is not None:
                after_step(handle, step)
            _record_step(conn, step, additive)
