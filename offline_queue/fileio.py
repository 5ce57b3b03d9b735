"""Durable small-file writes: temp file, fsync, rename, fsync the directory."""
from __future__ import annotations

import hashlib
import os
import secrets
import threading
from pathlib import Path
from typing import Mapping


def fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


#: temp files start with this; a crash can leave one behind, collectors remove them
TEMP_PREFIX = ".tmp-"


def _temp_beside(path: Path) -> Path:
    return path.with_name(f"{TEMP_PREFIX}{path.name}-{secrets.token_hex(4)}")


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _fsync_together(fds: list[int]) -> None:
    """fsync every file, the calls in flight at once (one thread each beyond the first):
    the file system can flush them in one journal commit instead of one commit each.
    Raises the first failure once all have returned."""
    failures: list[OSError] = []

    def fsync(fd: int) -> None:
        try:
            os.fsync(fd)
        except OSError as error:
            failures.append(error)

    helpers = [threading.Thread(target=fsync, args=(fd,), name="fsync") for fd in fds[1:]]
    for helper in helpers:
        helper.start()
    if fds:
        fsync(fds[0])
    for helper in helpers:
        helper.join()
    if failures:
        raise failures[0]


def _close_all(fds: list[int]) -> None:
    """Close every file; raise the first failure after trying them all."""
    failure: OSError | None = None
    for fd in fds:
        try:
            os.close(fd)
        except OSError as error:
            failure = failure or error
    if failure is not None:
        raise failure


def replace_files(files: Mapping[Path, bytes], mode: int = 0o600) -> None:
    """For each path, write its data to a temp file beside it, fsync it and rename it over
    the path; the fsyncs of all the files are issued together.

    A rename is durable only once the directory is fsynced (`fsync_directory`), once for
    all of them. On failure no temp file is left; the files renamed before it stay."""
    opened: list[tuple[int, Path, Path]] = []
    renamed = 0
    try:
        try:
            for path, data in files.items():
                temp = _temp_beside(Path(path))
                opened.append((os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode),
                               temp, Path(path)))
                _write_all(opened[-1][0], data)
            _fsync_together([fd for fd, _, _ in opened])
        finally:
            _close_all([fd for fd, _, _ in opened])
        for _, temp, path in opened:
            os.replace(temp, path)
            renamed += 1
    finally:
        for _, temp, _ in opened[renamed:]:
            temp.unlink(missing_ok=True)


def replace_file(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write `data` to a temp file beside `path`, fsync it and rename it over `path`
    (`replace_files` for one file)."""
    replace_files({Path(path): data}, mode)


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
