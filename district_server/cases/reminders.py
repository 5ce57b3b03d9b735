"""Reminders to citizens, by text to the mobile number given in the application: what they
owe (three days before a 容缺 commitment's due date and on the day, and once when staff ask
for more materials (补正)), and their result in a kiosk's locker (the pickup code once the
parcel is stored, held until then; a day before an uncollected parcel is taken back).
Each goes through the notification outbox under a key of its own, so every sweep may ask
again and each reminder is still sent once (and retried until sent)."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from district_server.cases.models import Case, Commitment, Parcel
from district_server.cases.service import LOCAL_TZ, local_date, pickup_ready_key
from district_server.notices import service as notices

if TYPE_CHECKING:
    from district_server.context import ServerContext

HOW_TO_SUPPLY = "请扫描回执上的二维码上传，或到大厅窗口、自助终端补交。"
#: days before the due date of the early reminder (then one on the day itself)
DAYS_AHEAD = 3
#: an uncollected parcel's holder is reminded this long before it is taken back
RECALL_NOTICE = timedelta(days=1)


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


def pickup_ready(session: Session, ctx: "ServerContext", case: Case, parcel: Parcel,
                 code: str, *, where: str, now: datetime) -> bool:
    """The text with the pickup code, held until staff store the parcel at the kiosk
    (`cases.service.apply_deposit` releases it; a parcel recalled first withdraws it). The
    code exists only here and in the staff's answer: the district keeps its hash."""
    mobile = _mobile(case)
    if mobile is None:
        return False
    service, _owed = _names(ctx, session, case, [])
    return notices.enqueue(
        session, notice_key=pickup_ready_key(parcel.parcel_id), channel="sms",
        recipient=mobile, hall_code=case.hall_code or ctx.settings.default_hall_code,
        subject="取件通知", held=True, now=now,
        body=(f"您申请的{service}（办件编号{case.case_number}）办理结果已放入{where}的智能柜，"
              f"取件码{code}。请凭取件码或身份证自助取件。"))


def _recall_reminders(session: Session, ctx: "ServerContext", now: datetime) -> int:
    rows = session.execute(
        select(Parcel, Case).join(Case, Case.case_number == Parcel.case_number)
        .where(Parcel.state == "stored", Parcel.expires_at > now,
               Parcel.expires_at <= now + RECALL_NOTICE))
    new = 0
    for parcel, case in rows:
        mobile = _mobile(case)
        if mobile is None:
            continue
        service, _owed = _names(ctx, session, case, [])
        last_day = parcel.expires_at.astimezone(LOCAL_TZ)
        new += notices.enqueue(
            session, notice_key=f"parcel_recall:{parcel.parcel_id}", channel="sms",
            recipient=mobile, hall_code=case.hall_code or ctx.settings.default_hall_code,
            subject="取件提醒", now=now,
            body=(f"您申请的{service}（办件编号{case.case_number}）办理结果仍在智能柜中，"
                  f"{last_day.month}月{last_day.day}日{last_day.hour:02d}:{last_day.minute:02d}"
                  "后将由工作人员收回，请尽快凭取件码或身份证取件。"))
    return new


def enqueue_due(session: Session, ctx: "ServerContext", *, now: datetime) -> int:
    """Enqueue the reminders that are due now; returns how many are new."""
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
    return new + _recall_reminders(session, ctx, now)
