"""The parcels in the kiosk's lockers, kept in SQLite (`<data dir>/pickup/parcels.sqlite3`).

A parcel's state decides whether a door may open for someone, so it is kept as durably as
the offline queue keeps applications: WAL, `synchronous=FULL` (a change survives a power
cut once it is acknowledged), one explicit `BEGIN IMMEDIATE` transaction per change. The
schema is created and migrated with sqlite-utils (`user_version` counts the steps). A
`parcels.json` left by an older release is imported once, in the transaction that
creates the table, and then renamed `parcels.json.imported`.
"""
from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

import sqlite_utils

from foundation.sqlite_schema import migrate

if TYPE_CHECKING:
    from kiosk.pickup import Parcel

COLUMNS: dict[str, type] = {
    "parcel_id": str, "case_number": str, "compartment": int, "holder_hmac": str,
    "code_hash": str, "expires_at": str, "items": str, "state": str, "size": str,
    "deposited_at": str,
    "picked_at": str, "verification": str, "open_purpose": str, "opened_by": str,
    "open_verification": str,
}
_TIMES = ("expires_at", "deposited_at", "picked_at")


def _create(db: sqlite_utils.Database) -> None:
    db["parcels"].create(COLUMNS, pk="parcel_id", not_null={"case_number", "compartment",
                                                             "holder_hmac", "code_hash",
                                                             "expires_at", "state"},
                         if_not_exists=True)


def _index_holder(db: sqlite_utils.Database) -> None:
    db["parcels"].create_index(["holder_hmac"], if_not_exists=True)


def _fill_by_size(db: sqlite_utils.Database) -> None:
    """Parcels assigned by compartment size have no compartment until they are stored."""
    if "size" not in db["parcels"].columns_dict:  # a new database has it from the start
        db["parcels"].add_column("size", str)
    db["parcels"].transform(not_null={"compartment": False})


#: schema steps in order; the database's user_version says how many ran
MIGRATIONS: tuple[Callable[[sqlite_utils.Database], None], ...] = (_create, _index_holder,
                                                                   _fill_by_size)
#: the steps that only add, so the version before them still reads the database
#: (foundation.sqlite_schema); `_fill_by_size` lets compartment be NULL, which older
#: versions cannot read
ADDITIVE_MIGRATIONS = frozenset({1})


def _row(parcel: "Parcel") -> dict[str, Any]:
    row = parcel.as_json()
    row["items"] = json.dumps(row["items"], ensure_ascii=False)
    return row


def _parcel(row: dict[str, Any]) -> "Parcel":
    from kiosk.pickup import Parcel
    data = {column: row[column] for column in COLUMNS}  # a later version may add columns
    data["items"] = json.loads(data["items"] or "[]")
    for key in ("verification", "open_purpose", "opened_by", "open_verification", "size"):
        data[key] = data[key] or ""
    return Parcel.from_json(data)


class ParcelStore:
    """Thread-safe: one connection, one lock; every change is one transaction."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        mode = connection.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise sqlite3.DatabaseError(f"{self.path}: journal_mode is {mode}, WAL unavailable")
        connection.execute("PRAGMA synchronous=FULL")
        connection.execute("PRAGMA busy_timeout=10000")
        self.db = sqlite_utils.Database(connection)
        self._migrate()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite_utils.Database]:
        with self._lock:
            self.db.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.conn.execute("ROLLBACK")
                raise
            self.db.conn.execute("COMMIT")

    def _migrate(self) -> None:
        """Bring the schema to the newest version (foundation.sqlite_schema: a newer database
        that only grew by additive steps is used as it is, after a rolled-back update)."""
        legacy = self.path.with_name("parcels.json")

        def import_legacy(db: sqlite_utils.Database, step: int) -> None:
            if step == 0 and legacy.exists():
                from kiosk.pickup import Parcel
                parcels = [Parcel.from_json(p) for p in json.loads(legacy.read_text("utf-8"))]
                db["parcels"].insert_all((_row(p) for p in parcels), replace=True)

        migrate(self._transaction, lambda db: db.conn, MIGRATIONS, ADDITIVE_MIGRATIONS,
                str(self.path), after_step=import_legacy)
        if legacy.exists():
            legacy.rename(legacy.with_name("parcels.json.imported"))

    def all(self) -> dict[str, "Parcel"]:
        with self._lock:
            rows = list(self.db["parcels"].rows)
        return {row["parcel_id"]: _parcel(row) for row in rows}

    def save(self, parcels: Iterable["Parcel"]) -> None:
        """Keep exactly `parcels` (the server's assignments merged with what happened here)."""
        rows = [_row(p) for p in parcels]
        with self._transaction() as db:
            db.conn.execute("DELETE FROM parcels")
            db["parcels"].insert_all(rows)

    def put(self, parcel: "Parcel") -> None:
        with self._transaction() as db:
            db["parcels"].upsert(_row(parcel), pk="parcel_id")

    def close(self) -> None:
        with self._lock:
            self.db.conn.close()
