"""Secrets for pickup and maintenance: slow salted hashes, holder HMACs, try limits.

Pickup codes and technician PINs are short, so they are stored only as scrypt hashes
("scrypt$n$r$p$salt$hash", hex) and every wrong try counts towards a lockout that
survives a restart (a JSON file in the data dir). A parcel's holder is an HMAC-SHA256
of the ID number under a district key, never a plain hash: 18-digit ID numbers are
easy to enumerate.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from foundation.clock import Clock

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 14, 8, 1


class SecretFormatError(ValueError):
    """A stored hash that is not in the scrypt$n$r$p$salt$hash form."""


def hash_secret(secret: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P,
                salt: bytes | None = None) -> str:
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=32)
    return f"scrypt${n}${r}${p}${salt.hex()}${digest.hex()}"


def verify_secret(secret: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            raise ValueError
        params = int(n), int(r), int(p)
        salt_bytes, expected = bytes.fromhex(salt), bytes.fromhex(digest)
    except ValueError:
        raise SecretFormatError("stored secret is not scrypt$n$r$p$salt$hash") from None
    if not (2 <= params[0] <= 2 ** 20 and params[0] & (params[0] - 1) == 0 and
            1 <= params[1] <= 32 and 1 <= params[2] <= 16):
        raise SecretFormatError("scrypt parameters out of range")
    actual = hashlib.scrypt(secret.encode("utf-8"), salt=salt_bytes, n=params[0], r=params[1],
                            p=params[2], dklen=len(expected))
    return hmac.compare_digest(actual, expected)


@dataclass(frozen=True)
class TryState:
    failures: int
    locked_until: datetime | None

    def locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until


class AttemptLimiter:
    """Counts wrong tries per key; `max_tries` wrong ones lock the key for `lockout_s`, or,
    with `max_lockout_s`, for twice as long as the lockout before (up to that) until a
    right one.

    The state is a small JSON file written atomically, so a restart does not reset it."""

    def __init__(self, path: Path, *, max_tries: int, lockout_s: float, clock: Clock,
                 max_lockout_s: float | None = None) -> None:
        self.path, self.max_tries, self.lockout_s, self.clock = path, max_tries, lockout_s, clock
        self.max_lockout_s = max_lockout_s
        self._lock = threading.Lock()

    def _load(self) -> dict[str, dict]:
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            # unreadable state must not unlock anything: treat every key as locked now
            return {"*": {"failures": self.max_tries,
                          "locked_until": (self.clock.now() + timedelta(
                              seconds=self.lockout_s)).isoformat()}}
        return data if isinstance(data, dict) else {}

    def _save(self, data: dict[str, dict]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, sort_keys=True), "utf-8")
        os.replace(temporary, self.path)

    def state(self, key: str) -> TryState:
        with self._lock:
            data = self._load()
        entry = data.get(key) or data.get("*") or {}
        until = entry.get("locked_until")
        return TryState(int(entry.get("failures", 0)),
                        datetime.fromisoformat(until) if until else None)

    def failed(self, key: str) -> TryState:
        with self._lock:
            data = self._load()
            data.pop("*", None)
            entry = data.get(key, {"failures": 0, "locked_until": None})
            entry["failures"] = int(entry.get("failures", 0)) + 1
            if entry["failures"] >= self.max_tries:
                lockout_s = self.lockout_s
                if self.max_lockout_s is not None:
                    lockouts = int(entry.get("lockouts", 0))
                    lockout_s = min(self.lockout_s * 2 ** min(lockouts, 32), self.max_lockout_s)
                    entry["lockouts"] = lockouts + 1
                entry["locked_until"] = (self.clock.now() +
                                         timedelta(seconds=lockout_s)).isoformat()
                entry["failures"] = 0
            data[key] = entry
            self._save(data)
        until = entry.get("locked_until")
        return TryState(entry["failures"], datetime.fromisoformat(until) if until else None)

    def succeeded(self, key: str) -> None:
        with self._lock:
            data = self._load()
            if data.pop(key, None) is not None or data.pop("*", None) is not None:
                self._save(data)
