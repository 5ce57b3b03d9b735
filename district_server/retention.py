"""Retention of personal information (PIPL art. 19: no longer than the purpose needs): once
a case has been finished for `application_retention_days`, its decrypted application, the
encrypted payload kept with its submission and the scanned materials (blobs) it listed or
that were uploaded on its follow-up page are deleted. What remains is what the case's history needs without the person: its number,
service, states and dates, the holder HMAC, the receipt."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from district_server.audit import service as audit
from district_server.blobs.models import Blob, BlobOwner
from district_server.blobs.store import BlobStore
from district_server.cases import followup
from district_server.cases.models import Case
from district_server.cases.service import CLOSED_STATES
from district_server.submissions.models import Submission
from wire import v1

#: Cases in these states are finished: nobody works on their application any more (a case
#: ready for pickup still needs it at the locker or the window).
FINISHED = tuple(state for state in CLOSED_STATES if state != v1.CaseState.ready_for_pickup)
PURGED_APPLICATION = json.dumps({"purged": True})


@dataclass(frozen=True)
class Purged:
    cases: int
    blobs: int


def purge(session: Session, store: BlobStore, *, now: datetime, retention_days: int) -> Purged:
    """Purge every case finished more than `retention_days` ago (idempotent). Blob files are
    removed after the rows, so a failure leaves at worst an orphan file, never a row
    pointing at nothing."""
    cutoff = now - timedelta(days=retention_days)
    cases = list(session.scalars(select(Case).where(Case.state.in_(FINISHED),
                                                    Case.updated_at < cutoff,
                                                    Case.purged_at.is_(None))))
    hashes: set[str] = set()
    for case in cases:
        case.application_json, case.purged_at = PURGED_APPLICATION, now
        submission = session.scalars(select(Submission).where(
            Submission.submission_id == case.submission_id)).first()
        if submission is not None:
            envelope = json.loads(submission.envelope)
            hashes.update(envelope.get("blobs", []))
            envelope["payload"] = None
            submission.envelope = json.dumps(envelope)
        hashes.update(entry["blob"] for entry in followup.history(session, case)
                      if entry["action"] == followup.SUPPLIED)     # uploaded from a phone
    still_needed = {h for h in hashes if _referenced_by_a_kept_case(session, h)}
    gone = sorted(hashes - still_needed)
    if gone:
        session.execute(delete(BlobOwner).where(BlobOwner.sha256.in_(gone)))
        session.execute(delete(Blob).where(Blob.sha256.in_(gone)))
    if cases:
        audit.append(session, at=now, actor="operator", action="retention.purged",
                     detail={"cases": len(cases), "blobs": len(gone),
                             "retention_days": retention_days})
    session.flush()
    for sha256 in gone:
        store.path(sha256).unlink(missing_ok=True)
    return Purged(len(cases), len(gone))


def _referenced_by_a_kept_case(session: Session, sha256: str) -> bool:
    """A blob listed by a submission whose case keeps its application (the same scan sent
    again for another case)."""
    return session.scalar(
        select(Submission.server_seq)
        .join(Case, Case.submission_id == Submission.submission_id)
        .where(Submission.envelope.contains(sha256), Case.purged_at.is_(None)).limit(1)
    ) is not None
