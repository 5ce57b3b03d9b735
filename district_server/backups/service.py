"""`district-server backup DIR`: a consistent copy of the database and the blobs, and the
backup watermark that lets kiosks forget what the backup holds.

SQLite is copied with its online backup API (writers go on meanwhile); PostgreSQL with
`pg_dump -Fc`. The watermark (the highest server_seq the copy is known to hold) is
recorded in the live database only after the copy is complete, and signed into every
receipts page: a kiosk keeps each delivered item until the watermark covers it, so after
a restore from the latest backup it can send again whatever the backup lacks.
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from district_server.backups.models import BackupWatermark
from district_server.context import ServerContext
from district_server.crypto import DistrictKeyring
from district_server.submissions.models import Submission
from wire import v1

#: PostgreSQL commits server_seq values out of order; a row received this long before the
#: dump started is certainly committed in its snapshot (an intake takes milliseconds).
PG_COMMIT_MARGIN = timedelta(minutes=5)


class BackupFailed(Exception):
    """The copy could not be made; no watermark was recorded."""


def take_backup(ctx: ServerContext, target: Path) -> dict[str, Any]:
    """Copy database and blobs into `target` (a new or empty directory), then record the
    watermark; returns the manifest also written to `target/manifest.json`."""
    if target.exists() and any(target.iterdir()):
        raise BackupFailed(f"{target} is not empty; back up into a new directory")
    target.mkdir(parents=True, exist_ok=True)
    started = ctx.now()
    url = make_url(ctx.settings.resolved_database_url())
    if url.get_backend_name() == "sqlite":
        through = _sqlite_backup(Path(url.database), target / "district.db")
    elif url.get_backend_name() == "postgresql":
        through = _highest_seq_received_before(ctx, started - PG_COMMIT_MARGIN)
        _pg_dump(url, target / "district.pgdump")
    else:
        raise BackupFailed(f"no backup method for {url.get_backend_name()} databases")
    blobs = ctx.settings.resolved_blob_dir()
    if blobs.exists():
        shutil.copytree(blobs, target / "blobs", ignore=shutil.ignore_patterns("uploads"))
    manifest = {"format": "district-server-backup/1", "taken_at": started.isoformat(),
                "backed_up_through": through, "database": url.get_backend_name()}
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    _fsync_tree(target)
    with ctx.db.transaction() as session:
        session.add(BackupWatermark(backed_up_through=through, taken_at=started,
                                    target=str(target)))
    return manifest


def _sqlite_backup(source_path: Path, copy_path: Path) -> int:
    source = sqlite3.connect(source_path)
    copy = sqlite3.connect(copy_path)
    try:
        source.backup(copy)
        # the copy is one consistent snapshot: what it holds is exactly what it says
        return int(copy.execute("SELECT coalesce(max(server_seq), 0) FROM submissions")
                   .fetchone()[0])
    except sqlite3.Error as error:
        raise BackupFailed(f"SQLite backup failed: {error}") from error
    finally:
        copy.close()
        source.close()


def _highest_seq_received_before(ctx: ServerContext, before: datetime) -> int:
    with ctx.db.transaction() as session:
        return int(session.scalar(select(func.coalesce(func.max(Submission.server_seq), 0))
                                  .where(Submission.received_at < before)))


def _pg_dump(url, dump_path: Path) -> None:
    env = dict(os.environ, PGPASSWORD=url.password or "")
    command = ["pg_dump", "-Fc", "-f", str(dump_path), "-h", url.host or "localhost",
               "-p", str(url.port or 5432), "-U", url.username or "", url.database or ""]
    try:
        subprocess.run(command, env=env, check=True, capture_output=True, timeout=3600)
    except FileNotFoundError as error:
        raise BackupFailed("pg_dump is not installed (postgresql-client)") from error
    except subprocess.CalledProcessError as error:
        raise BackupFailed(f"pg_dump failed: {error.stderr.decode(errors='replace')[:300]}"
                           ) from error


def _fsync_tree(root: Path) -> None:
    for path in [*root.rglob("*"), root]:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def signed_watermark(session: Session, keys: DistrictKeyring) -> dict[str, Any]:
    """A v1.SignedBackupWatermark body for the latest backup (0 when none yet)."""
    latest = session.scalars(select(BackupWatermark)
                             .order_by(BackupWatermark.backed_up_through.desc())
                             .limit(1)).first()
    watermark = v1.BackupWatermark(backed_up_through=latest.backed_up_through if latest else 0,
                                   taken_at=latest.taken_at if latest else None)
    return {"watermark": watermark.model_dump(mode="json"),
            "signature_b64": keys.sign(watermark)}
