"""A batch's new submissions written in a few statements rather than one by one.

Per-item isolation stays. Each item is checked alone first, reading only (its blobs present,
the rows its kind opens built and validated): a ProblemError is its own outcome. The items
new by the unique constraints, as read in this transaction, are then written together: the
submissions in one INSERT (returning their server_seq), each other table in one, the
receipts in one UPDATE, all inside one savepoint. Whatever that write trips on (the same
submission sent concurrently, a case number taken) rolls the savepoint back and hands its
items to the caller to record one by one, each in its own savepoint as a PUT would, so one
bad item still fails only itself. Duplicates and the kinds that change existing rows
(commitment, pickup, deposit, rating, audit) go that way too."""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import insert, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from district_server.blobs import service as blobs
from district_server.cases import service as cases
from district_server.context import ServerContext
from district_server.db import Base
from district_server.errors import ProblemError
from district_server.kiosks.service import KioskPrincipal
from district_server.submissions import service
from district_server.submissions.models import Submission
from wire import v1

log = logging.getLogger(__name__)


class Checked(NamedTuple):
    """A batch item past `service.check`, at `index` in the request."""
    index: int
    envelope: v1.SubmissionEnvelope
    digest: str
    payload: v1.Request


class Planned(NamedTuple):
    item: Checked
    rows: list[tuple[type[Base], dict[str, Any]]]


#: an item's outcome: (status, v1.SignedReceipt body), or the problem that refused it
Settled = dict[int, tuple[int, dict[str, Any]] | ProblemError]


def record_new(session: Session, ctx: ServerContext, principal: KioskPrincipal,
               items: list[Checked], now: datetime) -> tuple[Settled, list[Checked]]:
    """(the outcomes of the items settled here by index, the items left to
    `service.record` one by one, in request order)."""
    settled: Settled = {}
    if not items:
        return settled, []
    try:
        with session.begin_nested():
            planned, one_by_one = _plan(session, ctx, principal, items, now, settled)
    except Exception:  # noqa: BLE001 - each item then meets its fault alone, one by one
        log.warning("checking a batch together failed; recording its items one by one",
                    exc_info=True)
        return {}, items
    if not planned:
        return settled, one_by_one
    try:
        with session.begin_nested():
            settled.update(_write(session, ctx, planned, now))
    except Exception:  # noqa: BLE001 - as above
        log.warning("writing a batch together failed; recording its items one by one",
                    exc_info=True)
        one_by_one = sorted(one_by_one + [p.item for p in planned], key=lambda i: i.index)
    return settled, one_by_one


def _plan(session: Session, ctx: ServerContext, principal: KioskPrincipal,
          items: list[Checked], now: datetime, settled: Settled
          ) -> tuple[list[Planned], list[Checked]]:
    kiosk_id = principal.kiosk_id
    taken = session.execute(select(Submission.submission_id, Submission.kiosk_seq).where(or_(
        Submission.submission_id.in_([i.envelope.submission_id for i in items]),
        (Submission.kiosk_id == kiosk_id)
        & Submission.kiosk_seq.in_([i.envelope.kiosk_seq for i in items])))).all()
    taken_ids, taken_seqs = {row[0] for row in taken}, {row[1] for row in taken}
    absent = set(blobs.missing(session, sorted({h for i in items for h in i.envelope.blobs}),
                               kiosk_id))
    planned: list[Planned] = []
    one_by_one: list[Checked] = []
    for item in items:
        envelope = item.envelope
        if envelope.submission_id in taken_ids or envelope.kiosk_seq in taken_seqs:
            one_by_one.append(item)     # answered from the stored row, or the later of two
            continue
        missing = [h for h in envelope.blobs if h in absent]
        if missing:
            settled[item.index] = service.missing_blobs(missing)
            continue
        try:
            rows = cases.new_rows(session, ctx, envelope=envelope, payload=item.payload,
                                  hall_code=principal.hall_code, now=now)
        except ProblemError as error:
            settled[item.index] = error
            continue
        except SQLAlchemyError:
            raise       # the transaction may be aborted: every item goes one by one
        except Exception:  # noqa: BLE001 - the item meets its fault again one by one, in a
            # savepoint: its 500 alone
            one_by_one.append(item)
            continue
        if rows is None:
            one_by_one.append(item)
            continue
        taken_ids.add(envelope.submission_id)
        taken_seqs.add(envelope.kiosk_seq)
        planned.append(Planned(item, rows))
    return planned, one_by_one


def _write(session: Session, ctx: ServerContext, planned: list[Planned],
           now: datetime) -> Settled:
    # matched by id: rows returned in parameter order would cost a statement a row on SQLite
    returned = session.execute(
        insert(Submission).returning(Submission.submission_id, Submission.server_seq),
        [dict(submission_id=p.item.envelope.submission_id, kiosk_id=p.item.envelope.kiosk_id,
              kiosk_seq=p.item.envelope.kiosk_seq, kind=p.item.envelope.kind,
              digest=p.item.digest, envelope=p.item.envelope.model_dump_json(),
              received_at=now) for p in planned])
    server_seqs = {row.submission_id: row.server_seq for row in returned}
    # one INSERT a table, in the order the rows come (a commitment after its case)
    by_table: dict[type[Base], list[dict[str, Any]]] = {}
    for p in planned:
        for model, values in p.rows:
            by_table.setdefault(model, []).append(values)
    for model, rows in by_table.items():
        # NULLs sent as such: the ORM would otherwise split the rows by which ones they have
        session.execute(insert(model).execution_options(render_nulls=True), rows)
    settled: Settled = {}
    receipts = []
    for p in planned:
        server_seq = server_seqs[p.item.envelope.submission_id]
        text, signature, signed = service.new_receipt(
            ctx.keys, p.item.envelope, p.item.digest, cases.opened_case(p.rows), now,
            server_seq)
        receipts.append({"server_seq": server_seq, "receipt": text,
                         "signature_b64": signature})
        settled[p.item.index] = (201, signed)
    session.execute(update(Submission), receipts)
    return settled
