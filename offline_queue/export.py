"""Exporting undelivered items to a directory (removable media, for days without network), and
reading such an export back.

Items leave exactly as they would be sent: the sealed envelope and the sealed blobs, never
opened here. The manifest names each item and the sha256 of its envelope file; a blob's name
is the sha256 of its bytes. `read_export` checks both, so a copy damaged on the way (a
pulled stick, a bad sector) is found before anyone relies on it.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from foundation.clock import Clock
from offline_queue.fileio import fsync_directory, sha256_of_file, write_durably
from offline_queue.store import DELIVERED, Outbox

FORMAT = "gov-kiosk-queue-export/1"
MANIFEST = "manifest.json"

#: progress(done, total) after each item
Progress = Callable[[int, int], None]


def export_items(outbox: Outbox, target: Path, clock: Clock, *, include_delivered: bool = False,
                 progress: Progress | None = None) -> int:
    """Copy the undelivered (or all) items, still sealed, to `target`; returns how many."""
    items = [item for item in outbox.iter_items()
             if include_delivered or item.state != DELIVERED]
    (target / "blobs").mkdir(parents=True, exist_ok=True)
    exported = []
    for done, item in enumerate(items, 1):
        envelope = item.envelope.encode()
        write_durably(target / f"{item.item_id}.json", envelope, mode=0o644)
        for sha in item.blobs:
            if not (target / "blobs" / sha).exists():
                (target / "blobs" / sha).write_bytes(outbox.blobs.read(sha))
        exported.append({"item_id": item.item_id, "kiosk_seq": item.kiosk_seq,
                         "case_number": item.case_number, "kind": item.kind,
                         "state": item.state, "digest": item.digest, "blobs": list(item.blobs),
                         "file_sha256": hashlib.sha256(envelope).hexdigest()})
        if progress is not None:
            progress(done, len(items))
    for blob in (target / "blobs").iterdir():
        with blob.open("rb+") as handle:
            os.fsync(handle.fileno())
    fsync_directory(target / "blobs")
    manifest = {"format": FORMAT, "exported_at": clock.now().isoformat(), "items": exported}
    write_durably(target / MANIFEST, json.dumps(manifest, ensure_ascii=False,
                                                indent=2).encode(), mode=0o644)
    return len(exported)


@dataclass(frozen=True)
class ExportCheck:
    items: int
    blobs: int
    exported_at: str
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, object]:
        return {"items": self.items, "blobs": self.blobs, "exported_at": self.exported_at,
                "ok": self.ok, "problems": self.problems}


def read_export(directory: Path) -> ExportCheck:
    """Read an export back: every item file and blob present and unchanged."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError) as error:
        return ExportCheck(0, 0, "", [f"{directory / MANIFEST}: not readable ({error})"])
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return ExportCheck(0, 0, "", [f"{directory / MANIFEST}: not a {FORMAT} manifest"])
    problems: list[str] = []
    blobs: set[str] = set()
    items = manifest.get("items") or []
    for item in items:
        path = directory / f"{item.get('item_id')}.json"
        if not path.is_file():
            problems.append(f"{path.name}: missing")
        elif "file_sha256" in item and sha256_of_file(path) != item["file_sha256"]:
            problems.append(f"{path.name}: changed since the export")
        blobs.update(item.get("blobs") or [])
    for sha in sorted(blobs):
        blob = directory / "blobs" / sha
        if not blob.is_file():
            problems.append(f"blobs/{sha}: missing")
        elif sha256_of_file(blob) != sha:
            problems.append(f"blobs/{sha}: changed since the export")
    return ExportCheck(len(items), len(blobs), str(manifest.get("exported_at", "")), problems)
