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


def verify_kiosk_chains(session: Session, kiosk_id: str | None = None
                        ) -> dict[str, list[str]]:
    """Check each kiosk's own audit chain (wire.v1.audit_entry_hash) as stored in the log
    (or only `kiosk_id`'s): kiosk id -> findings (an entry changed, one missing, two in one
    place); a kiosk whose chain holds is not listed. Entries without a chain (older kiosks)
    are not judged."""
    chains: dict[str, dict[int, list[v1.AuditPayload]]] = {}
    actor = (AuditEntry.actor == f"kiosk:{kiosk_id}" if kiosk_id is not None
             else AuditEntry.actor.like("kiosk:%"))
    for entry in session.scalars(select(AuditEntry).where(actor).order_by(AuditEntry.seq)):
        fields = json.loads(entry.detail)
        if v1.AUDIT_CHAIN_SEQ not in fields:
            continue
        payload = v1.AuditPayload.model_validate(
            {**fields, "action": entry.action.removeprefix("kiosk.")})
        chains.setdefault(entry.actor.removeprefix("kiosk:"), {}).setdefault(
            int(fields[v1.AUDIT_CHAIN_SEQ]), []).append(payload)
    findings: dict[str, list[str]] = {}
    for chain_kiosk, chain in chains.items():
        found: list[str] = []
        prev_hash, prev_seq = v1.AUDIT_GENESIS, 0
        for seq in sorted(chain):
            if len(chain[seq]) > 1:
                found.append(f"entry {seq}: {len(chain[seq])} different entries in one place")
            payload = chain[seq][0]
            fields = payload.fields()
            if fields.get(v1.AUDIT_CHAIN_HASH) != v1.audit_entry_hash(payload):
                found.append(f"entry {seq} ({payload.action}): changed")
            if seq != prev_seq + 1:
                found.append(f"entries {prev_seq + 1}..{seq - 1}: missing")
            elif fields.get(v1.AUDIT_CHAIN_PREV) != prev_hash:
                found.append(f"entry {seq}: does not follow entry {prev_seq}")
            prev_hash, prev_seq = str(fields.get(v1.AUDIT_CHAIN_HASH)), seq
        if found:
            findings[chain_kiosk] = found
    return findings
