"""JSON-lines logs with rotation, and a guard that keeps personal data out of them.

The rule is that code never logs personal data; the guard is a second line of
defence: it drops fields whose names mean personal data and masks anything shaped
like a resident ID number or an MRZ line in messages and values.
"""
from __future__ import annotations

import json
import logging
import logging.handlers
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


def current_log_file() -> Path | None:
    """The file the kiosk logs to now (None before `configure_logging`)."""
    for handler in logging.getLogger().handlers:
        if getattr(handler, "_kiosk", False) and isinstance(handler, logging.FileHandler):
            return Path(handler.baseFilename)
    return None


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
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=max_bytes, backupCount=backups,
                                                   encoding="utf-8")
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
