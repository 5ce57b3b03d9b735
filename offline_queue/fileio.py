"""Durable small-file writes: temp file, fsync, rename, fsync the directory."""
from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path


def fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


#: temp files start with this; a crash can leave one behind, collectors remove them
TEMP_PREFIX = ".tmp-"


def replace_file(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write `data` to a temp file beside `path`, fsync it and rename it over `path`.

    The rename is durable only once the directory is fsynced (`fsync_directory`); a
    caller writing several files does that once for all of them."""
    path = Path(path)
    temp = path.with_name(f"{TEMP_PREFIX}{path.name}-{secrets.token_hex(4)}")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_durably(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Replace `path` with `data` so that a crash leaves either the old or the new file."""
    replace_file(path, data, mode)
    fsync_directory(Path(path).parent)


def sha256_of_file(path: Path) -> str:
    """sha256 hex of a file, read a megabyte at a time (archives, exported blobs)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
