"""The durable outbox: SQLite (WAL, synchronous=FULL) holding items and their sealed blobs.

One transaction records an item, its sealed blobs (blobstore: rows of their own table;
those stored when they were captured are there already), its blob references and its
per-kiosk `kiosk_seq`: one WAL fsync makes all of it durable together. Items move pending
-> delivered (only with a verified server receipt) or pending -> quarantined (with the
reason); delivered items are purged after the retention period, their blobs collected.

Every storage failure (full disk, corrupt or newer database, unwritable directory)
becomes `StorageUnavailable`; a failed transaction leaves nothing half-stored and never
touches what was committed before.
"""
from __future__ import annotations

import fcntl
import json
import logging
import shutil
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import partial
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence

from foundation.sqlite_schema import migrate
from offline_queue.blobstore import BlobStore, by_address, insert_blobs
from offline_queue.checkpoint import WalCheckpointer
from offline_queue.crashpoints import crash_point
from offline_queue.errors import StorageUnavailable
from offline_queue.salvage import copy_readable, is_corruption, move_aside
from wire.v1 import case_number

log = logging.getLogger(__name__)
PENDING, DELIVERED, QUARANTINED = "pending", "delivered", "quarantined"

#: Schema migrations; index i takes the database from user_version i to i + 1. One that
#: only adds (a table, an index, a column that may be NULL) is listed in ADDITIVE_MIGRATIONS:
#: the version before it can still use the database (a rolled-back update).
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE kiosk_sequence (
        kiosk_id TEXT PRIMARY KEY,
        last_seq INTEGER NOT NULL
    );
    CREATE TABLE items (
        item_id TEXT PRIMARY KEY,
        kiosk_id TEXT NOT NULL,
        kiosk_seq INTEGER NOT NULL,
        kind TEXT NOT NULL,
        case_number TEXT NOT NULL,
        created_at TEXT NOT NULL,
        envelope TEXT NOT NULL,
        digest TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending'
            CHECK (state IN ('pending', 'delivered', 'quarantined')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        receipt TEXT,
        server_seq INTEGER,
        delivered_at TEXT,
        UNIQUE (kiosk_id, kiosk_seq),
        CHECK (state != 'delivered' OR receipt IS NOT NULL)
    );
    CREATE INDEX items_by_state ON items (state, kiosk_seq);
    CREATE TABLE item_blobs (
        item_id TEXT NOT NULL REFERENCES items (item_id) ON DELETE CASCADE,
        sha256 TEXT NOT NULL,
        PRIMARY KEY (item_id, sha256)
    );
    CREATE INDEX item_blobs_by_sha ON item_blobs (sha256);
    CREATE TABLE sync_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # blobs in the item's transaction instead of files fsynced before it: a release before
    # this step would look for the new items' blobs as files and set the items aside, so
    # it is not additive (that release refuses the database, naming the fix)
    """
    CREATE TABLE blobs (
        sha256 TEXT PRIMARY KEY,
        data BLOB NOT NULL
    );
    """,
)
#: a new database's page size: a 200 KB blob spans 13 pages and WAL frames instead of 50
PAGE_SIZE = 16384
#: the automatic checkpoint, inside the commit that crosses it, only backs up the
#: checkpointer thread (offline_queue.checkpoint): SQLite's default count, 16 MB at this
#: page size
WAL_AUTOCHECKPOINT_PAGES = 1000
ADDITIVE_MIGRATIONS: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Item:
    item_id: str
    kiosk_id: str
    kiosk_seq: int
    kind: str
    case_number: str
    created_at: str
    envelope: str
    digest: str
    state: str
    attempts: int
    last_error: str | None
    receipt: str | None
    server_seq: int | None
    delivered_at: str | None
    blobs: tuple[str, ...] = ()


_ITEM_COLUMNS = tuple(name for name in Item.__dataclass_fields__ if name != "blobs")


@dataclass(frozen=True)
class DeliveredReceipt:
    """A verified receipt to record: the district's signed JSON as received."""
    item_id: str
    receipt_json: str
    server_seq: int
    delivered_at: str


_SET_ASIDE = ("UPDATE items SET state = 'quarantined', last_error = ? "
              "WHERE item_id = ? AND state = 'pending'")


@dataclass(frozen=True)
class QueueCounts:
    pending: int
    quarantined: int
    delivered: int
    oldest_pending_created_at: str | None


def _storage_error(action: str, error: BaseException) -> StorageUnavailable:
    return StorageUnavailable(f"the offline queue cannot {action}: {error}")


class Outbox:
    """Owns `<dir>/outbox.sqlite3` (and `<dir>/blobs/`, an earlier release's blob files).
    Thread-safe (one connection, a lock; checkpoints on a thread of their own)."""

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory)
        self._lock = threading.RLock()
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self.blobs = BlobStore(self.directory / "blobs", self._read, self._transaction)
            # held shared while open; a salvage needs it alone (no other process has the
            # file open while it is moved aside)
            self._open_lock = (self.directory / "outbox.open.lock").open("a")
            fcntl.flock(self._open_lock, fcntl.LOCK_SH)
            try:
                self._connect()
                self._check_integrity()
            except sqlite3.DatabaseError as error:
                if not is_corruption(error):
                    raise
                self._salvage(error)
            self._migrate()
        except (sqlite3.Error, OSError) as error:
            raise _storage_error("open its database", error) from error
        self.checkpointer = WalCheckpointer(self.path)

    # --- setup ---------------------------------------------------------------------------

    @property
    def path(self) -> Path:
        return self.directory / "outbox.sqlite3"

    def _connect(self) -> None:
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        self._configure()

    def _check_integrity(self) -> None:
        problems = [row[0] for row in self._db.execute("PRAGMA quick_check")]
        if problems != ["ok"]:
            error = sqlite3.DatabaseError(f"integrity check: {'; '.join(problems[:3])}")
            error.sqlite_errorcode = 11  # SQLITE_CORRUPT, as a read of the bad page says
            raise error

    def _salvage(self, error: sqlite3.DatabaseError) -> None:
        """Move the damaged database aside and copy every readable item into a new one."""
        self._db.close()
        try:
            fcntl.flock(self._open_lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StorageUnavailable(
                f"the queue database is damaged ({error}); another process has it open: "
                "stop the kiosk, then any queue command salvages it") from error
        try:
            stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
            aside = move_aside(self.path, stamp)
            self._connect()
            self._migrate()
            with self._transaction() as db:
                report = copy_readable(aside, db, stamp)
                db.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)",
                           ("salvage", json.dumps(report.as_dict())))
        finally:
            fcntl.flock(self._open_lock, fcntl.LOCK_SH)
        log.error("queue database damaged and salvaged", extra={"reason": str(error),
                                                                **report.as_dict()})

    def _configure(self) -> None:
        self._db.execute(f"PRAGMA page_size={PAGE_SIZE}")  # a new database's only
        mode = self._db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise sqlite3.DatabaseError(f"journal_mode is {mode}, WAL unavailable")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.execute("PRAGMA busy_timeout=10000")
        self._db.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")

    def _migrate(self) -> None:
        """Bring the schema to the newest version (foundation.sqlite_schema: a newer database
        that only grew by additive steps is used as it is, after a rolled-back update)."""
        migrate(self._transaction, lambda db: db,
                [partial(_run_statements, sql) for sql in MIGRATIONS], ADDITIVE_MIGRATIONS,
                str(self.path))

    def schema_version(self) -> int:
        with self._lock:
            return self._db.execute("PRAGMA user_version").fetchone()[0]

    def close(self) -> None:
        self.checkpointer.close()  # first: the last connection closed checkpoints the WAL
        with self._lock:
            self._db.close()
            self._open_lock.close()

    # --- transactions --------------------------------------------------------------------

    class _Tx:
        def __init__(self, outbox: "Outbox") -> None:
            self.outbox = outbox

        def __enter__(self) -> sqlite3.Connection:
            self.outbox._lock.acquire()
            try:
                self.outbox._db.execute("BEGIN IMMEDIATE")
            except BaseException:
                self.outbox._lock.release()
                raise
            return self.outbox._db

        def __exit__(self, kind, value, tb) -> None:
            try:
                if kind is None:
                    self.outbox._db.execute("COMMIT")
                elif self.outbox._db.in_transaction:
                    self.outbox._db.execute("ROLLBACK")
            finally:
                self.outbox._lock.release()

    def _transaction(self) -> "Outbox._Tx":
        return Outbox._Tx(self)

    def _read(self, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
        try:
            with self._lock:
                return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as error:
            raise _storage_error("read its database", error) from error

    # --- capture -------------------------------------------------------------------------

    def add(self, item_id: str, kiosk_id: str, kind: str, created_at: str,
            blobs: Sequence[bytes] | Mapping[str, bytes],
            build_envelope: Callable[[int], tuple[str, str]]) -> Item:
        """Commit the item, its sealed blobs and the next `kiosk_seq` in one transaction.

        `blobs`: the sealed bytes, or those by address when the caller hashed them already
        (`blobstore.by_address`). `build_envelope(kiosk_seq)` returns (envelope JSON,
        digest); it runs inside the transaction because the sequence is only known there."""
        addressed = blobs if isinstance(blobs, Mapping) else by_address(blobs)
        try:
            with self._transaction() as db:
                row = db.execute("SELECT last_seq FROM kiosk_sequence WHERE kiosk_id = ?",
                                 (kiosk_id,)).fetchone()
                seq = (row[0] if row else 0) + 1
                db.execute("INSERT INTO kiosk_sequence (kiosk_id, last_seq) VALUES (?, ?) "
                           "ON CONFLICT (kiosk_id) DO UPDATE SET last_seq = excluded.last_seq",
                           (kiosk_id, seq))
                envelope, digest = build_envelope(seq)
                item = Item(item_id, kiosk_id, seq, kind, case_number(kiosk_id, seq),
                            created_at, envelope, digest, state="pending", attempts=0,
                            last_error=None, receipt=None, server_seq=None,
                            delivered_at=None, blobs=tuple(sorted(addressed)))
                db.execute(
                    "INSERT INTO items (item_id, kiosk_id, kiosk_seq, kind, case_number, "
                    "created_at, envelope, digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (item_id, kiosk_id, seq, kind, item.case_number, created_at,
                     envelope, digest))
                insert_blobs(db, addressed)
                db.executemany("INSERT OR IGNORE INTO item_blobs (item_id, sha256) "
                               "VALUES (?, ?)", [(item_id, a) for a in addressed])
                crash_point("item_uncommitted")
            crash_point("local_committed")
        except (sqlite3.Error, OSError) as error:
            raise _storage_error("store the item", error) from error
        self.blobs.release(addressed)
        self.checkpointer.request()
        return item  # as committed (not read back: the enqueue waits for nothing more)

    def stage_blob(self, address: str, sealed: bytes) -> None:
        """Store an attachment sealed at capture ahead of its item (`BlobStore.stage`), so
        that the item's transaction has only the item to write."""
        try:
            self.blobs.stage(address, sealed)
        except (sqlite3.Error, OSError) as error:
            raise _storage_error("store an attachment", error) from error

    # --- queries -------------------------------------------------------------------------

    def get(self, item_id: str) -> Item:
        rows = self._read("SELECT * FROM items WHERE item_id = ?", (item_id,))
        if not rows:
            raise KeyError(item_id)
        return self._item(rows[0])

    def _item(self, row: sqlite3.Row) -> Item:
        blobs = tuple(r[0] for r in self._read(
            "SELECT sha256 FROM item_blobs WHERE item_id = ? ORDER BY sha256", (row["item_id"],)))
        return Item(**{key: row[key] for key in _ITEM_COLUMNS}, blobs=blobs)

    def items(self, state: str | None = None, after_seq: int = 0, limit: int = 1000,
              kiosk_id: str | None = None) -> list[Item]:
        """Items in sequence order; sequences of different kiosk ids (a re-enrolled kiosk's
        former identity) interleave, so paging by `after_seq` needs `kiosk_id`."""
        conditions, params = ["kiosk_seq > ?"], [after_seq]
        if state is not None:
            conditions.append("state = ?")
            params.append(state)
        if kiosk_id is not None:
            conditions.append("kiosk_id = ?")
            params.append(kiosk_id)
        rows = self._read(f"SELECT * FROM items WHERE {' AND '.join(conditions)} "
                          "ORDER BY kiosk_seq, kiosk_id LIMIT ?", (*params, limit))
        return [self._item(row) for row in rows]

    def iter_items(self, state: str | None = None,
                   kiosk_id: str | None = None) -> Iterator[Item]:
        """Every item (in `state`, of `kiosk_id`), kiosk id by kiosk id, in sequence order."""
        for each_id in [kiosk_id] if kiosk_id is not None else self.kiosk_ids():
            after = 0
            while True:
                page = self.items(state, after_seq=after, limit=200, kiosk_id=each_id)
                if not page:
                    break
                yield from page
                after = page[-1].kiosk_seq

    def kiosk_ids(self) -> list[str]:
        """The kiosk ids items were numbered under (more than one after a re-enrolment)."""
        return [row[0] for row in self._read("SELECT DISTINCT kiosk_id FROM items "
                                             "ORDER BY kiosk_id")]

    def pending_of_other_ids(self, kiosk_id: str) -> dict[str, int]:
        """Undelivered items numbered under another kiosk id: never re-sent under this one."""
        return {row[0]: row[1] for row in self._read(
            "SELECT kiosk_id, count(*) FROM items WHERE state = 'pending' AND kiosk_id != ? "
            "GROUP BY kiosk_id ORDER BY kiosk_id", (kiosk_id,))}

    def counts(self) -> QueueCounts:
        by_state = {row[0]: row[1] for row in self._read(
            "SELECT state, count(*) FROM items GROUP BY state")}
        oldest = self._read("SELECT min(created_at) FROM items WHERE state = 'pending'")[0][0]
        return QueueCounts(by_state.get(PENDING, 0), by_state.get(QUARANTINED, 0),
                           by_state.get(DELIVERED, 0), oldest)

    def continue_sequence_after(self, kiosk_id: str, last_seq: int) -> None:
        """Number this kiosk id's next item above `last_seq` (the district holds up to it)."""
        try:
            with self._transaction() as db:
                db.execute("INSERT INTO kiosk_sequence (kiosk_id, last_seq) VALUES (?, ?) "
                           "ON CONFLICT (kiosk_id) DO UPDATE SET last_seq = "
                           "max(last_seq, excluded.last_seq)", (kiosk_id, last_seq))
        except sqlite3.Error as error:
            raise _storage_error("update its database", error) from error

    def last_seq(self, kiosk_id: str) -> int:
        rows = self._read("SELECT last_seq FROM kiosk_sequence WHERE kiosk_id = ?", (kiosk_id,))
        return rows[0][0] if rows else 0

    # --- delivery bookkeeping ------------------------------------------------------------

    def _update(self, sql: str, params: tuple) -> int:
        try:
            with self._transaction() as db:
                return db.execute(sql, params).rowcount
        except sqlite3.Error as error:
            raise _storage_error("update its database", error) from error

    def mark_delivered(self, item_id: str, receipt_json: str, server_seq: int,
                       delivered_at: str) -> bool:
        """Record a verified receipt; True when the item was not delivered before."""
        return item_id in self.record_outcomes(
            [DeliveredReceipt(item_id, receipt_json, server_seq, delivered_at)], {})

    def record_outcomes(self, delivered: Sequence[DeliveredReceipt],
                        set_aside: Mapping[str, str]) -> set[str]:
        """A batch's outcomes in one transaction, so one fsync for all of them: verified
        receipts recorded, refused items set aside with their reasons (item id -> reason).
        Returns the ids that were not delivered before."""
        try:
            with self._transaction() as db:
                newly = {receipt.item_id for receipt in delivered if db.execute(
                    "UPDATE items SET state = 'delivered', receipt = ?, server_seq = ?, "
                    "delivered_at = ?, last_error = NULL WHERE item_id = ? "
                    "AND state != 'delivered'",
                    (receipt.receipt_json, receipt.server_seq, receipt.delivered_at,
                     receipt.item_id)).rowcount == 1}
                db.executemany(_SET_ASIDE, [(reason, item_id)
                                            for item_id, reason in set_aside.items()])
        except sqlite3.Error as error:
            raise _storage_error("update its database", error) from error
        crash_point("marked_delivered")
        return newly

    def mark_undelivered(self, item_id: str, reason: str) -> None:
        """The server lost a delivered item (restored from an older backup): send it again."""
        self._update("UPDATE items SET state = 'pending', receipt = NULL, server_seq = NULL, "
                     "delivered_at = NULL, last_error = ? WHERE item_id = ?", (reason, item_id))

    def record_attempt(self, item_id: str, error: str | None) -> None:
        self._update("UPDATE items SET attempts = attempts + 1, last_error = ? WHERE item_id = ?",
                     (error, item_id))

    def quarantine(self, item_id: str, reason: str) -> None:
        self._update(_SET_ASIDE, (reason, item_id))

    def release_quarantined(self, item_id: str | None = None) -> int:
        if item_id is None:
            return self._update("UPDATE items SET state = 'pending' WHERE state = 'quarantined'",
                                ())
        return self._update("UPDATE items SET state = 'pending' "
                            "WHERE state = 'quarantined' AND item_id = ?", (item_id,))

    def purge_delivered(self, before: datetime | None,
                        backed_up_through: int | None = None) -> int:
        """Delete delivered items (their blobs become collectable): those delivered before
        `before` (None: whenever) and, when `backed_up_through` is given, whose receipt's
        server_seq is no higher."""
        conditions, params = ["state = 'delivered'"], []
        if before is not None:
            conditions.append("delivered_at < ?")
            params.append(before.isoformat())
        if backed_up_through is not None:
            conditions.append("server_seq <= ?")
            params.append(backed_up_through)
        return self._update(f"DELETE FROM items WHERE {' AND '.join(conditions)}",
                            tuple(params))

    def collect_orphan_blobs(self) -> int:
        """Remove blobs no item references (and an earlier release's crash's temp files)."""
        try:
            with self._transaction() as db:
                return self.blobs.collect(db)
        except (sqlite3.Error, OSError) as error:
            raise _storage_error("collect orphan blobs", error) from error

    def vacuum(self, min_reclaim_bytes: int) -> int:
        """Give the pages that purges freed back to the file system: only when at least
        `min_reclaim_bytes` would come back and the disk holds the copy VACUUM writes (the
        database's size again). Returns the bytes given back (0: not worth it, or no room)."""
        with self._lock:
            try:
                page_size = self._db.execute("PRAGMA page_size").fetchone()[0]
                pages = self._db.execute("PRAGMA page_count").fetchone()[0]
                free_pages = self._db.execute("PRAGMA freelist_count").fetchone()[0]
                reclaim, size = free_pages * page_size, pages * page_size
                if reclaim < max(1, min_reclaim_bytes) or \
                        shutil.disk_usage(self.directory).free < 2 * size:
                    return 0
                self._db.execute("VACUUM")
                # in WAL mode the compacted pages sit in the log until a checkpoint
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except (sqlite3.Error, OSError) as error:
                raise _storage_error("compact its database", error) from error
        return reclaim

    # --- sync state (cursors, last success, reported state) ------------------------------

    def get_state(self, key: str, default: Any = None) -> Any:
        rows = self._read("SELECT value FROM sync_state WHERE key = ?", (key,))
        return json.loads(rows[0][0]) if rows else default

    def set_state(self, **values: Any) -> None:
        try:
            with self._transaction() as db:
                db.executemany("INSERT INTO sync_state (key, value) VALUES (?, ?) "
                               "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                               [(k, json.dumps(v)) for k, v in values.items()])
        except sqlite3.Error as error:
            raise _storage_error("update its database", error) from error

    # --- health --------------------------------------------------------------------------

    def integrity_check(self) -> str:
        return self._read("PRAGMA integrity_check")[0][0]


def _run_statements(script: str, db: sqlite3.Connection) -> None:
    for statement in (s.strip() for s in script.split(";")):
        if statement:
            db.execute(statement)


def retention_cutoff(now: datetime, retention_s: float) -> datetime:
    return now - timedelta(seconds=retention_s)
