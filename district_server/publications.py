"""Which version of something a cohort of kiosks should run: a publication table per subject
(catalogue, configuration, bundle), each row `cohort`, the version column and
`published_at`; a cohort without its own row follows the default cohort's."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session


def publish_to_cohort(session: Session, publication: type, cohort: str, column: str,
                      version: Any, *, now: datetime) -> None:
    """Point `cohort`'s row of `publication` at `version` (its time moves only on a change)."""
    row = session.get(publication, cohort)
    if row is None:
        session.add(publication(cohort=cohort, published_at=now, **{column: version}))
    elif getattr(row, column) != version:
        setattr(row, column, version)
        row.published_at = now


def in_cohort(session: Session, publication: type, cohort: str, default_cohort: str) -> Any:
    """`cohort`'s row of `publication`, else the default cohort's (None: neither)."""
    return session.get(publication, cohort) or session.get(publication, default_cohort)
