"""Append to and verify the hash-chained audit log."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from district_server.audit.models import AuditEntry
from wire import v1

GENESIS = "0" * 64


class AuditChainBroken(Exception):
    pass


def entry_hash(prev_hash: str, seq: int, at: datetime, actor: str, action: str,
               subject_hmac: str | None, detail: str) -> str:
    body = v1.canonical_json({"seq": seq, "at": at.isoformat(), "actor": actor,
                              "action": action, "subject": subject_hmac, "detail": detail})
    return hashlib.sha256(prev_hash.encode("ascii") + body).hexdigest()


def append(session: Session, *, at: datetime, actor: str, action: str,
           subject_hmac: str | None = None, detail: dict[str, Any] | None = None) -> AuditEntry:
    """Add one entry after the current last one, inside the caller's transaction. A racing
    writer that took the same seq makes the INSERT fail; the savepoint retries on top of it."""
    text = json.dumps(detail or {}, sort_keys=True, ensure_ascii=False)
    for _attempt in range(50):
        last = session.execute(select(AuditEntry.seq, AuditEntry.entry_hash)
                               .order_by(AuditEntry.seq.desc()).limit(1)).first()
        seq, prev = (last.seq + 1, last.entry_hash) if last else (1, GENESIS)
        entry = AuditEntry(seq=seq, at=at, actor=actor, action=action, subject_hmac=subject_hmac,
                           detail=text, prev_hash=prev,
                           entry_hash=entry_hash(prev, seq, at, actor, action, subject_hmac, text))
        try:
            with session.begin_nested():
                session.add(entry)
            return entry
        except IntegrityError:
            continue
    raise RuntimeError("audit log: could not append after 50 attempts")


def verify_chain(session: Session) -> int:
    """Check every link; returns the number of entries, raises AuditChainBroken."""
    prev, count = GENESIS, 0
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.seq)):
        count += 1
        if entry.seq != count or entry.prev_hash != prev:
            raise AuditChainBroken(f"entry {entry.seq}: link broken")
        expected = entry_hash(prev, entry.seq, entry.at, entry.actor, entry.action,
                              entry.subject_hmac, entry.detail)
        if entry.entry_hash != expected:
            raise AuditChainBroken(f"entry {entry.seq}: content altered")
        prev = entry.entry_hash
    return count
