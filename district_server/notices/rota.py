"""The on-call rota of each hall: who of the hall's staff gets its kiosks' alerts when, and
how to reach them. A hall supervisor keeps their own hall's rota, the district every hall's;
other staff of the hall read it. Every shift added or removed is audited; a shift that
would not reach a real person at a sensible time is refused and nothing is kept."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from district_server.audit import service as audit
from district_server.cases.service import LOCAL_TZ
from district_server.errors import ProblemError
from district_server.notices.models import OnCall
from district_server.roles import Permission
from district_server.staff.accounts import StaffMember
from district_server.staff.models import StaffAccount

CHANNELS = ("log", "webhook", "sms")
#: the longest shift: a year typed wrongly should not keep someone on call for decades
LONGEST_SHIFT = timedelta(days=7)
PHONE = re.compile(r"\+?[0-9][0-9 -]{5,19}")


def local_time(value: datetime) -> str:
    return value.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")


class ShiftRefused(ValueError):
    """The shift as entered cannot be kept; the message says why, Chinese first."""


def _check_recipient(channel: str, recipient: str) -> None:
    if channel not in CHANNELS:
        raise ShiftRefused(f"通知方式只能是 {' / '.join(CHANNELS)}: the channel must be one of "
                           f"{', '.join(CHANNELS)}")
    if channel == "sms" and not PHONE.fullmatch(recipient):
        raise ShiftRefused("短信需要手机号码 An SMS needs a phone number, e.g. +8613800000000")
    if channel == "webhook" and not re.fullmatch(r"https?://[^\s]{1,190}", recipient):
        raise ShiftRefused("Webhook 需要以 https:// 开头的地址 A webhook needs an http(s):// "
                           "address")
    if not recipient.strip() or len(recipient) > 200:
        raise ShiftRefused("请填写联系方式 Give how to reach them (at most 200 characters)")


def add_on_call(session: Session, *, hall_code: str, staff_id: str, channel: str,
                recipient: str, starts_at: datetime, ends_at: datetime, now: datetime,
                actor: str = "operator") -> OnCall:
    """Put a member of the hall's staff on call from `starts_at` to `ends_at`; refused
    (ShiftRefused, nothing kept) for an unknown or revoked member or one of another hall,
    a shift that is over, backwards or too long, or one overlapping the member's own."""
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise ShiftRefused("时间需要时区 A time needs its UTC offset, e.g. 2026-12-05T20:00+08:00")
    if ends_at <= starts_at:
        raise ShiftRefused("结束时间须晚于开始时间 A shift ends after it starts")
    if ends_at <= now:
        raise ShiftRefused("该班次已结束 This shift is already over")
    if ends_at - starts_at > LONGEST_SHIFT:
        raise ShiftRefused(f"一个班次最长 {LONGEST_SHIFT.days} 天 A shift lasts at most "
                           f"{LONGEST_SHIFT.days} days")
    account = session.get(StaffAccount, staff_id)
    if account is None or account.revoked_at is not None or account.hall_code != hall_code:
        raise ShiftRefused(f"{hall_code} 没有工号 {staff_id} 的在职人员 No member of staff "
                           f"{staff_id} in hall {hall_code}")
    _check_recipient(channel, recipient)
    overlapping = session.scalar(select(OnCall).where(
        OnCall.hall_code == hall_code, OnCall.name == staff_id,
        OnCall.starts_at < ends_at, OnCall.ends_at > starts_at).limit(1))
    if overlapping is not None:
        raise ShiftRefused(f"与 {staff_id} 已有的班次重叠 Overlaps {staff_id}'s shift from "
                           f"{local_time(overlapping.starts_at)} to "
                           f"{local_time(overlapping.ends_at)} (北京时间 Beijing time)")
    shift = OnCall(hall_code=hall_code, name=staff_id, channel=channel, recipient=recipient,
                   starts_at=starts_at, ends_at=ends_at)
    session.add(shift)
    session.flush()
    # how to reach them stays out of the audit trail: it is the member's own phone
    audit.append(session, at=now, actor=actor, action="on_call.shift_added", detail={
        "shift": shift.id, "hall": hall_code, "staff_id": staff_id, "channel": channel,
        "starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat()})
    return shift


def halls_of(session: Session, member: StaffMember) -> list[str]:
    """The halls whose rota the member sees: their own, or every hall with staff."""
    member.require(Permission.alerts)
    if not member.all_halls:
        return [member.hall_code]
    return sorted(set(session.scalars(select(StaffAccount.hall_code)))
                  | set(session.scalars(select(OnCall.hall_code))))


def shifts_visible_to(session: Session, member: StaffMember, now: datetime) -> list[OnCall]:
    """The shifts not yet over of the halls the member sees, in order of start."""
    member.require(Permission.alerts)
    query = select(OnCall).where(OnCall.ends_at > now).order_by(
        OnCall.starts_at, OnCall.hall_code, OnCall.id)
    if not member.all_halls:
        query = query.where(OnCall.hall_code == member.hall_code)
    return list(session.scalars(query))


def add_shift(session: Session, member: StaffMember, *, hall_code: str, staff_id: str,
              channel: str, recipient: str, starts_at: datetime, ends_at: datetime,
              now: datetime) -> OnCall:
    """A shift added from the console: a supervisor's own hall only, the district any."""
    member.require(Permission.rota)
    if not member.may_see_hall(hall_code):
        raise ShiftRefused(f"只能安排本大厅 {member.hall_code} 的值班 You keep the rota of "
                           f"hall {member.hall_code} only")
    return add_on_call(session, hall_code=hall_code, staff_id=staff_id, channel=channel,
                       recipient=recipient, starts_at=starts_at, ends_at=ends_at, now=now,
                       actor=member.actor)


def remove_shift(session: Session, member: StaffMember, shift_id: int, *,
                 now: datetime) -> None:
    member.require(Permission.rota)
    shift = session.get(OnCall, shift_id)
    if shift is None or not member.may_see_hall(shift.hall_code):
        raise ProblemError(404, "no_such_shift", str(shift_id))
    audit.append(session, at=now, actor=member.actor, action="on_call.shift_removed", detail={
        "shift": shift.id, "hall": shift.hall_code, "staff_id": shift.name,
        "starts_at": shift.starts_at.isoformat(), "ends_at": shift.ends_at.isoformat()})
    session.delete(shift)
