"""Content-addressed attachment store: sealed bytes by the sha256 of those bytes.

A blob is a row of the outbox database's `blobs` table, written in the same transaction
as the item that names it: one WAL fsync makes the item and its attachments durable
together, and a crash leaves both or neither (schema step 2). Blobs stored by a release
before that step are files named by their address in `<queue>/blobs/`; they are read
from there until their items are purged, and no new file is written.

A blob sealed at capture (a page scanned while the citizen is still at the kiosk) is
stored then, in a transaction of its own, and kept as *staged* until its item is added or
its journey gives it up (`release`): orphan collection, which a sync cycle runs, leaves
staged blobs alone. A staged blob is only a head start: the item's transaction inserts its
blobs anyway (those already there are skipped), so the item never depends on one. The
staged set lives in this process: after a restart its leftovers are orphans, collected.

`exists`, `size` and `read` are the one way to read a blob, whichever place holds it.
"""
from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import threading
from pathlib import Path
from typing import Callable, ContextManager, Iterable, Iterator, Mapping

from offline_queue.fileio import TEMP_PREFIX, fsync_directory


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def by_address(blobs: Iterable[bytes]) -> dict[str, bytes]:
    """Sealed blobs keyed by their addresses."""
    return {sha256_hex(data): data for data in blobs}


_ADDRESS = re.compile("[0-9a-f]{64}")


def _is_address(name: str) -> bool:
    return _ADDRESS.fullmatch(name) is not None


def _checked(sha256: str) -> str:
    if not _is_address(sha256):
        raise ValueError(f"not a sha256 hex address: {sha256!r}")
    return sha256


def insert_blobs(db: sqlite3.Connection, blobs: Mapping[str, bytes]) -> None:
    """Add blobs (address -> sealed bytes) inside the caller's transaction."""
    if blobs:
        db.executemany("INSERT OR IGNORE INTO blobs (sha256, data) VALUES (?, ?)",
                       [(_checked(address), data) for address, data in blobs.items()])


class BlobStore:
    """The outbox's blobs. `read_rows(sql, params)` queries the outbox database (its lock,
    its errors); `transaction()` is the outbox's write transaction."""

    def __init__(self, legacy_directory: Path,
                 read_rows: Callable[[str, tuple], list[sqlite3.Row]],
                 transaction: Callable[[], ContextManager[sqlite3.Connection]]) -> None:
        self.legacy_directory = Path(legacy_directory)
        self._read_rows = read_rows
        self._transaction = transaction
        self._staged: set[str] = set()
        self._staged_lock = threading.Lock()

    def _file(self, sha256: str) -> Path:
        return self.legacy_directory / _checked(sha256)

    def put(self, data: bytes) -> str:
        """Store `data` durably (its own transaction) and return its address (idempotent)."""
        address = sha256_hex(data)
        with self._transaction() as db:
            insert_blobs(db, {address: data})
        return address

    def stage(self, address: str, data: bytes) -> None:
        """Store a blob sealed at capture, before its item (its own transaction), and keep it
        from orphan collection until `release`."""
        address = _checked(address)
        with self._staged_lock:
            self._staged.add(address)
        try:
            with self._transaction() as db:
                insert_blobs(db, {address: data})
        except BaseException:
            self.release([address])
            raise

    def release(self, addresses: Iterable[str]) -> None:
        """Staged blobs now referenced by their item, or given up: from now on collected
        once no item references them."""
        with self._staged_lock:
            self._staged.difference_update(addresses)

    def exists(self, sha256: str) -> bool:
        return bool(self._read_rows("SELECT 1 FROM blobs WHERE sha256 = ?",
                                    (_checked(sha256),))) or self._file(sha256).exists()

    def size(self, sha256: str) -> int:
        rows = self._read_rows("SELECT length(data) FROM blobs WHERE sha256 = ?",
                               (_checked(sha256),))
        return rows[0][0] if rows else self._file(sha256).stat().st_size

    def read(self, sha256: str, offset: int = 0, length: int | None = None) -> bytes:
        """The blob's bytes from `offset` (`length` of them, or to the end); a blob that
        is nowhere raises FileNotFoundError."""
        if length is None:
            rows = self._read_rows("SELECT substr(data, ? + 1) FROM blobs WHERE sha256 = ?",
                                   (offset, _checked(sha256)))
        else:
            rows = self._read_rows("SELECT substr(data, ? + 1, ?) FROM blobs WHERE sha256 = ?",
                                   (offset, length, _checked(sha256)))
        if rows:
            return rows[0][0]
        with self._file(sha256).open("rb") as handle:
            handle.seek(offset)
            return handle.read() if length is None else handle.read(length)

    def addresses(self) -> Iterator[str]:
        """Every stored blob's address (rows, then files of an earlier release)."""
        yield from (row[0] for row in self._read_rows("SELECT sha256 FROM blobs", ()))
        if self.legacy_directory.is_dir():
            for entry in os.scandir(self.legacy_directory):
                if _is_address(entry.name):
                    yield entry.name

    def collect(self, db: sqlite3.Connection) -> int:
        """Delete blobs no item references, unless staged (rows, files of an earlier release,
        and temp files an earlier release's crash left); return how many went. `db` is inside
        the caller's transaction, so no item can come to reference a blob being deleted."""
        with self._staged_lock:
            staged = tuple(self._staged)
        keep_staged = f" AND sha256 NOT IN ({', '.join('?' * len(staged))})" if staged else ""
        removed = db.execute("DELETE FROM blobs WHERE sha256 NOT IN "
                             f"(SELECT sha256 FROM item_blobs){keep_staged}", staged).rowcount
        if not self.legacy_directory.is_dir():
            return removed
        referenced = {row[0] for row in db.execute("SELECT DISTINCT sha256 FROM item_blobs")}
        files_removed = 0
        for entry in os.scandir(self.legacy_directory):
            if entry.name.startswith(TEMP_PREFIX) or (
                    _is_address(entry.name) and entry.name not in referenced):
                os.unlink(entry.path)
                files_removed += 1
        if files_removed:
            fsync_directory(self.legacy_directory)
        return removed + files_removed
