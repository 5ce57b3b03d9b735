"""What the attract screen needs of the configuration, saved by the previous start.

`kiosk run` draws its first frame from it without importing the configuration models
(pydantic and every section model: the largest part of the start-up before the first
frame); the whole configuration is then loaded and validated after that frame, before
any device or the queue opens. The snapshot holds only the sections the shell reads (no
secrets, no device options) and is used only while every configuration file is the same
(path, size, modification time) under the same kiosk version; otherwise the start loads
the configuration first, as it always did, and saves a new snapshot.
"""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from foundation.config_files import default_files
from kiosk._version import __version__

if TYPE_CHECKING:
    from kiosk.config import LoadedConfig

log = logging.getLogger(__name__)

FILE_NAME = "attract-config.json"
#: read as attributes, like the models (config.kiosk.name); `roles` stays a mapping
SECTIONS = ("kiosk", "session", "ui", "logging", "maintenance", "screen")


def read(data_dir: Path, site_file: Path | None) -> SimpleNamespace | None:
    """The saved sections, if they still describe the configuration files; else None."""
    try:
        saved = json.loads((data_dir / FILE_NAME).read_text(encoding="utf-8"))
        current = _fingerprint([*default_files(), *([Path(site_file)] if site_file else [])])
        if saved.get("fingerprint") != current:
            return None
        values = saved["config"]
        return SimpleNamespace(roles=dict(values["roles"]),
                               **{name: SimpleNamespace(**values[name]) for name in SECTIONS})
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None   # none yet, unreadable or a file gone: the full load says what is wrong


def save(data_dir: Path, loaded: "LoadedConfig") -> None:
    """Keep what the next start's first frame needs; a failure only costs that speed."""
    config = loaded.config.model_dump(mode="json")
    payload = {"fingerprint": _fingerprint(loaded.files),
               "config": {name: config[name] for name in (*SECTIONS, "roles")}}
    path = data_dir / FILE_NAME
    partial = path.with_suffix(".partial")
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        partial.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, path)
    except OSError as error:
        log.warning("attract snapshot not saved", extra={"reason": str(error)})


def _fingerprint(files: list[Path]) -> list[Any]:
    stats = [(str(Path(f).resolve()), os.stat(f)) for f in files]
    return [__version__, *[[name, s.st_size, s.st_mtime_ns] for name, s in stats]]
