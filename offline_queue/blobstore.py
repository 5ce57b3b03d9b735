"""Content-addressed attachment store: one file per sha256 of its (encrypted) bytes.

A blob is durable before any database row points at it: written to a temp file,
fsynced, renamed to its hash, and the directory fsynced. A crash can leave a temp file
or an unreferenced blob behind, never a reference to a blob that is not there; both
are collected later (`collect`).
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Iterable, Iterator

from offline_queue.fileio import TEMP_PREFIX, fsync_directory, replace_files


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _is_address(name: str) -> bool:
    return len(name) == 64 and all(c in "0123456789abcdef" for c in name)


class BlobStore:
    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        if not self.directory.is_dir():
            self.directory.mkdir(parents=True)
            fsync_directory(self.directory.parent)  # the new directory's own entry is durable

    def path(self, sha256: str) -> Path:
        if not _is_address(sha256):
            raise ValueError(f"not a sha256 hex address: {sha256!r}")
        return self.directory / sha256

    def put(self, data: bytes) -> str:
        """Store `data` durably and return its address (idempotent)."""
        return self.put_many([data])[0]

    def put_many(self, blobs: Iterable[bytes]) -> list[str]:
        """Store several blobs durably: their files fsynced together, then one directory
        fsync for all of them."""
        addresses, new = [], {}
        for data in blobs:
            address = sha256_hex(data)
            addresses.append(address)
            if not self.path(address).exists():
                new[self.path(address)] = data
        replace_files(new)
        if addresses:
            fsync_directory(self.directory)
        return addresses

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).exists()

    def size(self, sha256: str) -> int:
        return self.path(sha256).stat().st_size

    def read(self, sha256: str, offset: int = 0, length: int | None = None) -> bytes:
        with self.path(sha256).open("rb") as handle:
            handle.seek(offset)
            return handle.read() if length is None else handle.read(length)

    def addresses(self) -> Iterator[str]:
        for entry in os.scandir(self.directory):
            if _is_address(entry.name):
                yield entry.name

    def collect(self, referenced: set[str]) -> int:
        """Delete temp files and blobs not in `referenced`; return how many went.

        The caller must hold the lock that orders blob writes before their commit, so a
        blob written for a transaction that has not committed yet is never taken."""
        removed = 0
        for entry in os.scandir(self.directory):
            if entry.name.startswith(TEMP_PREFIX) or (
                    _is_address(entry.name) and entry.name not in referenced):
                os.unlink(entry.path)
                removed += 1
        if removed:
            fsync_directory(self.directory)
        return removed
