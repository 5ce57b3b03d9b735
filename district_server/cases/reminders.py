"""Reminders to citizens of what they owe, by text to the mobile number given in the
application: three days before a 容缺 commitment's due date and on the day, and once when
staff ask for more materials (补正).
Each goes through the notification outbox under a key of its own, so every sweep may ask
again and each reminder is still sent once (and retried until sent)."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from district_server.cases.models import Case, Commitment
from district_server.cases.service import local_date
from district_server.notices import service as notices

if TYPE_CHECKING:
    from district_server.context import ServerContext

HOW_TO_SUPPLY = "请扫描回执上的二维码上传，或到大厅窗口、自助终端补交。"
#: days before the due date of the early reminder (then one on the day itself)
DAYS_AHEAD = 3


def _mobile(case: Case) -> str | None:
    applicant = json.loads(case.application_json or "{}").get("applicant") or {}
    return applicant.get("mobile") or None


def _names(ctx: "ServerContext", session: Session, case: Case,
           codes: list[str]) -> tuple[str, str]:
    """(the service's name, the owed materials' names), in Chinese as the SMS is."""
    catalogue = ctx.catalogues.get(session, case.catalogue_version)
    item = catalogue.item(case.service_code) if catalogue else None
    if item is None:
        return case.service_code, "、".join(codes)
    names = {m.id: m.name.zh for m in item.materials}
    return item.name.zh, "、".join(names.get(code, code) for code in codes)


def _text(service: str, case_number: str, owed: str, due: date, today: date) -> str:
    when = "今天" if due == today else f"{due.month}月{due.day}日"
    return f"您申请的{service}（办件编号{case_number}）承诺{when}前补交：{owed}。" + HOW_TO_SUPPLY


def supplement_requested(session: Session, ctx: "ServerContext", case: Case,
                         codes: list[str], due: date, *, request_id: int,
                         now: datetime) -> bool:
    """Text the applicant that staff asked for `codes` by `due` (one notice per request)."""
    mobile = _mobile(case)
    if mobile is None:
        return False
    service, owed = _names(ctx, session, case, codes)
    return notices.enqueue(
        session, notice_key=f"supplement:{case.case_number}:{request_id}", channel="sms",
        recipient=mobile, hall_code=case.hall_code or ctx.settings.default_hall_code,
        subject="补正材料通知",
        body=(f"您申请的{service}（办件编号{case.case_number}）需补交：{owed}，"
              f"请于{due.month}月{due.day}日前补交。" + HOW_TO_SUPPLY), now=now)


def enqueue_due(session: Session, ctx: "ServerContext", *, now: datetime) -> int:
    """Enqueue the reminders that are due today; returns how many are new."""
    today = local_date(now)
    rows = session.execute(
        select(Commitment, Case).join(Case, Case.case_number == Commitment.case_number)
        .where(Commitment.fill_state == "pending", Commitment.due_date >= today,
               Commitment.due_date <= today + timedelta(days=DAYS_AHEAD)))
    new = 0
    for commitment, case in rows:
        mobile = _mobile(case)
        if mobile is None or case.purged_at is not None:
            continue
        which = "due_today" if commitment.due_date == today else f"due_in_{DAYS_AHEAD}"
        service, owed = _names(ctx, session, case, json.loads(commitment.materials_json))
        new += notices.enqueue(
            session, notice_key=f"commitment:{commitment.id}:{which}", channel="sms",
            recipient=mobile, hall_code=case.hall_code or ctx.settings.default_hall_code,
            subject="补交材料提醒",
            body=_text(service, case.case_number, owed, commitment.due_date, today), now=now)
    return new
