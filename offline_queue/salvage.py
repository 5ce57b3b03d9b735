"""Salvage of a damaged outbox database: every readable item into a fresh database.

A damaged page (a bad sector, a torn write on a failing disk) must not make the whole
queue unreadable. The damaged file is moved aside, never deleted; each row is read by
rowid, so rows on intact pages are recovered even when a scan would stop at the bad
page; an item is kept only when its envelope still hashes to its digest (a damaged cell
can read back as plausible but wrong bytes). Its attachment list comes from the envelope;
a sealed blob is kept when its bytes still hash to its address (one at a time: together
they can be larger than memory).
The receipts cursor is dropped, so the next sync reads every receipt again and the kiosk
never numbers below what the district holds.
"""
from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterator

from pydantic import ValidationError

from offline_queue.blobstore import insert_blobs, sha256_hex
from wire.v1 import SubmissionEnvelope, submission_digest

#: rowids probed past the last readable one when the table's end cannot be read
_PROBE_PAST_END = 10_000


@dataclass(frozen=True)
class SalvageReport:
    damaged_file: str
    items_recovered: int
    rows_unreadable: int
    at: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def is_corruption(error: BaseException) -> bool:
    """SQLITE_CORRUPT: damaged pages in a database. Not a locked database, an I/O error, or
    a file that is no database at all (SQLITE_NOTADB: nothing to salvage, and the wrong
    file may have been named; it is refused and left for an operator)."""
    return isinstance(error, sqlite3.DatabaseError) and \
        (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF == 11


def move_aside(path: Path, stamp: str) -> Path:
    """Rename the database and its WAL and shared-memory files together; returns the new
    database path (the WAL keeps its name relative to it, so its content stays readable)."""
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    for suffix in ("-wal", "-shm", ""):
        source = Path(f"{path}{suffix}")
        if source.exists():
            os.replace(source, f"{aside}{suffix}")
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    return aside


def _rows_by_rowid(db: sqlite3.Connection, table: str) -> Iterator[sqlite3.Row | None]:
    """Each row of `table`, rowid by rowid; None for a rowid that raised."""
    try:
        end = db.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0] or 0
    except sqlite3.DatabaseError:
        end = None
    rowid, last_found = 0, 0
    while True:
        rowid += 1
        if (end is not None and rowid > end) or \
                (end is None and rowid - last_found > _PROBE_PAST_END):
            return
        try:
            row = db.execute(f"SELECT * FROM {table} WHERE rowid = ?", (rowid,)).fetchone()
        except sqlite3.DatabaseError:
            yield None
            continue
        if row is not None:
            yield row
            last_found = rowid


def _readable_rows(db: sqlite3.Connection, table: str) -> tuple[list[sqlite3.Row], int]:
    """(rows read, rowids that raised) of `table`."""
    rows = list(_rows_by_rowid(db, table))
    return [row for row in rows if row is not None], rows.count(None)


def _copy_intact_blobs(source: sqlite3.Connection, fresh: sqlite3.Connection) -> int:
    """Copy the blobs whose bytes match their address; returns the rows not copied. A
    database from before the blobs table (its blobs are files) has none to copy."""
    if source.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'blobs'"
                      ).fetchone() is None:
        return 0
    damaged = 0
    for row in _rows_by_rowid(source, "blobs"):
        try:
            if row is None or sha256_hex(row["data"]) != row["sha256"]:
                raise ValueError("damaged")
            insert_blobs(fresh, {row["sha256"]: row["data"]})
        except (TypeError, ValueError, IndexError):  # a damaged cell, maybe of another type
            damaged += 1
    return damaged


def _intact_item(row: sqlite3.Row) -> tuple[dict[str, Any], list[str]] | None:
    try:
        item = dict(row)
        envelope = SubmissionEnvelope.model_validate_json(item["envelope"])
        if submission_digest(envelope) != item["digest"] or \
                (envelope.submission_id, envelope.kiosk_id, envelope.kiosk_seq) != \
                (item["item_id"], item["kiosk_id"], item["kiosk_seq"]):
            return None
        if item["receipt"]:
            json.loads(item["receipt"])
    except (ValidationError, ValueError, TypeError, KeyError, IndexError):
        return None
    return item, list(envelope.blobs)


def copy_readable(damaged: Path, fresh: sqlite3.Connection, stamp: str) -> SalvageReport:
    """Copy what can be read of `damaged` into `fresh` (migrated, inside a transaction)."""
    source = sqlite3.connect(damaged)
    source.row_factory = sqlite3.Row
    try:
        item_rows, unreadable = _readable_rows(source, "items")
        sequence_rows, lost = _readable_rows(source, "kiosk_sequence")
        state_rows, lost_state = _readable_rows(source, "sync_state")
        lost_blobs = _copy_intact_blobs(source, fresh)
    finally:
        source.close()
    unreadable += lost + lost_state + lost_blobs
    last_seq: dict[str, int] = {}
    for row in sequence_rows:
        try:
            last_seq[str(row["kiosk_id"])] = max(last_seq.get(str(row["kiosk_id"]), 0),
                                                 int(row["last_seq"]))
        except (TypeError, ValueError):
            unreadable += 1
    recovered = 0
    # a column a newer release added (the database was left by a rolled-back update) is
    # not in this release's table: the item is kept without it
    known = {column[1] for column in fresh.execute("PRAGMA table_info(items)")}
    for row in item_rows:
        intact = _intact_item(row)
        if intact is None:
            unreadable += 1
            continue
        item, blobs = intact
        item = {column: value for column, value in item.items() if column in known}
        columns = ", ".join(item)
        try:
            fresh.execute(f"INSERT INTO items ({columns}) VALUES "
                          f"({', '.join('?' * len(item))})", tuple(item.values()))
        except sqlite3.IntegrityError:      # a damaged cell that duplicates another
            unreadable += 1
            continue
        fresh.executemany("INSERT OR IGNORE INTO item_blobs (item_id, sha256) VALUES (?, ?)",
                          [(item["item_id"], sha) for sha in blobs])
        last_seq[item["kiosk_id"]] = max(last_seq.get(item["kiosk_id"], 0), item["kiosk_seq"])
        recovered += 1
    fresh.executemany("INSERT INTO kiosk_sequence (kiosk_id, last_seq) VALUES (?, ?)",
                      sorted(last_seq.items()))
    for row in state_rows:
        if str(row["key"]).startswith("receipts_through"):
            continue  # read every receipt again: the numbering is re-checked against them
        try:
            json.loads(row["value"])
            fresh.execute("INSERT OR IGNORE INTO sync_state (key, value) VALUES (?, ?)",
                          (str(row["key"]), row["value"]))
        except (TypeError, ValueError):
            unreadable += 1
    return SalvageReport(str(damaged), recovered, unreadable, stamp)
