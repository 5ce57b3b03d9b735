"""JSON-lines logs with rotation, and a guard that keeps personal data out of them.

The rule is that code never logs personal data; the guard is a second line of
defence: it drops fields whose names mean personal data and masks anything shaped
like a resident ID number or an MRZ line in messages and values.
"""
from __future__ import annotations

import json
import logging
import os
import re
from pathlib import Path
from typing import Any

#: `extra=` keys that would carry personal data; their values never reach a log line
PERSONAL_KEYS = frozenset({
    "name", "name_zh", "name_en", "full_name", "surname", "given_names", "id_number",
    "document_number", "birth_date", "address", "photo", "face", "image", "frame", "encoding",
    "mrz", "mrz_key", "phone", "signature", "pickup_code", "holder",
})
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_MRZ_LINE = re.compile(r"[A-Z0-9<]{28,}")
_STANDARD = frozenset(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}


def scrub(text: str) -> str:
    return _MRZ_LINE.sub("[mrz]", _ID_NUMBER.sub("[id-number]", text))


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, dict):
        return {k: ("[personal]" if k in PERSONAL_KEYS else _clean(v)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    return scrub(str(value))


class JsonLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "msg": scrub(record.getMessage()),
        }
        for key, value in vars(record).items():
            if key in _STANDARD or key.startswith("_"):
                continue
            entry[key] = "[personal]" if key in PERSONAL_KEYS else _clean(value)
        if record.exc_info:
            entry["exc"] = scrub(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


JsonLineFormatter.converter = __import__("time").gmtime  # type: ignore[assignment]


class SizeRotatingFile(logging.FileHandler):
    """`kiosk.log`, moved to `kiosk.log.1` (and `.1` to `.2`, up to `backups`) when the next
    record would take it past `max_bytes`, as `logging.handlers.RotatingFileHandler` does.
    Not that class: `logging.handlers` imports socket and pickle, about 10 ms of CPU before
    the attract screen's first frame (bench/startup.py)."""

    def __init__(self, path: Path, *, max_bytes: int, backups: int) -> None:
        super().__init__(path, encoding="utf-8")
        self.max_bytes, self.backups = max_bytes, backups

    def emit(self, record: logging.LogRecord) -> None:
        try:
            size = self._size()
            if 0 < self.max_bytes < size + len(self.format(record).encode("utf-8")) + 1 \
                    and size > 0:
                self.rollover()
            super().emit(record)
        except Exception:
            self.handleError(record)

    def _size(self) -> int:
        if self.stream is None:
            self.stream = self._open()
        return self.stream.seek(0, os.SEEK_END)

    def rollover(self) -> None:
        """Start a fresh file now; the oldest beyond `backups` is removed."""
        if self.stream is not None:
            self.stream.close()
            self.stream = None  # type: ignore[assignment]
        if self.backups > 0:
            for number in range(self.backups - 1, 0, -1):
                older = f"{self.baseFilename}.{number}"
                if os.path.exists(older):
                    os.replace(older, f"{self.baseFilename}.{number + 1}")
            os.replace(self.baseFilename, f"{self.baseFilename}.1")
        self.stream = self._open()


def current_log_file() -> Path | None:
    """The file the kiosk logs to now (None before `configure_logging`)."""
    for handler in logging.getLogger().handlers:
        if getattr(handler, "_kiosk", False) and isinstance(handler, logging.FileHandler):
            return Path(handler.baseFilename)
    return None


def log_directory(section: Any, data_dir: Path) -> Path:
    """Where the kiosk writes its logs: `[logging] dir`, else `<data dir>/logs`."""
    return Path(section.dir) if section.dir else data_dir / "logs"


def configure_logging(log_dir: Path, *, level: str = "INFO", max_bytes: int = 5_000_000,
                      backups: int = 5, also_stderr: bool = False) -> Path:
    """Send every log record to `<log_dir>/kiosk.log` as JSON lines, rotated by size."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / "kiosk.log"
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_kiosk", False):
            root.removeHandler(handler)
            handler.close()
    handler = SizeRotatingFile(path, max_bytes=max_bytes, backups=backups)
    handler.setFormatter(JsonLineFormatter())
    handler._kiosk = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    if also_stderr:
        console = logging.StreamHandler()
        console.setFormatter(JsonLineFormatter())
        console._kiosk = True  # type: ignore[attr-defined]
        console.setLevel(logging.WARNING)
        root.addHandler(console)
    root.setLevel(level)
    return path


def rotate_logs() -> int:
    """Start a fresh log file now (nightly housekeeping: one night's records per file); the
    oldest beyond `backups` is removed. Returns how many log files were rotated."""
    rotated = 0
    for handler in logging.getLogger().handlers:
        if getattr(handler, "_kiosk", False) and isinstance(handler, SizeRotatingFile):
            handler.rollover()
            rotated += 1
    return rotated
