"""Blob bytes on disk: uploads grow in `uploads/<upload_id>`, verified blobs are renamed to
`<sha256>` (fsynced file and directory, so a published blob survives a crash)."""
from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.uploads = root / "uploads"
        self.uploads.mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        return self.root / sha256

    def upload_path(self, upload_id: str) -> Path:
        return self.uploads / upload_id

    def start(self, upload_id: str) -> None:
        self.upload_path(upload_id).touch()

    def write_chunk(self, upload_id: str, offset: int, chunk: bytes) -> None:
        with open(self.upload_path(upload_id), "r+b") as handle:
            handle.truncate(offset)          # drop bytes of a chunk cut off mid-write
            handle.seek(offset)
            handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())

    def digest(self, upload_id: str) -> str:
        return _file_sha256(self.upload_path(upload_id))

    def published_intact(self, sha256: str) -> bool:
        """Whether the blob is on disk under its name and its bytes still hash to it."""
        path = self.path(sha256)
        return path.exists() and _file_sha256(path) == sha256

    def publish(self, upload_id: str, sha256: str) -> None:
        os.replace(self.upload_path(upload_id), self.path(sha256))
        self._sync_directory()

    def publish_whole(self, contents: dict[str, bytes]) -> None:
        """Blobs already verified against their names (sha256 -> bytes), each written and
        fsynced aside and renamed into place, with one directory fsync for all of them."""
        for sha256, content in contents.items():
            upload_id = secrets.token_hex(16)
            self.start(upload_id)
            self.write_chunk(upload_id, 0, content)
            os.replace(self.upload_path(upload_id), self.path(sha256))
        if contents:
            self._sync_directory()

    def _sync_directory(self) -> None:
        directory = os.open(self.root, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

    def discard(self, upload_id: str) -> None:
        self.upload_path(upload_id).unlink(missing_ok=True)

    def read(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()


def _file_sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()
