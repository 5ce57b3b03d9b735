"""Alerts: a kiosk's problems that reach the people on duty, each raised when its condition
is seen (or once it has lasted its hold time), acknowledged by staff, cleared when the
condition is gone. One row per kiosk and kind (`KioskAlarm`); an alert belongs to its kiosk's
hall. Conditions come from the reported state (`evaluate_reported`), from the time since the
last contact (`sweep`), and from the domains that own them (a `kiosk_seq` gap in
submissions, a staff call in citizens)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from district_server.audit import service as audit
from district_server.errors import ProblemError
from district_server.kiosks.models import Kiosk, KioskAlarm
from district_server.roles import Permission
from district_server.settings import AlertThresholds
from district_server.staff import schemas
from district_server.staff.accounts import StaffMember

#: Device availabilities that mean the device cannot serve (wire.v1.DeviceHealth).
DOWN = frozenset({"offline", "noDevice", "hardwareError"})
#: Reported state kinds of device whose failure is its own alert.
CAMERA_KINDS = frozenset({"camera", "face"})
READER_KINDS = frozenset({"id_reader", "code_reader", "docscan"})


@dataclass(frozen=True)
class Condition:
    detail: str
    #: how long it must last before it is raised
    hold_s: float = 0.0


Rule = Callable[[dict[str, Any], AlertThresholds], Condition | None]


def _devices(reported: dict[str, Any], kinds: frozenset[str]) -> dict[str, dict[str, Any]]:
    return {name: device for name, device in (reported.get("devices") or {}).items()
            if device.get("kind") in kinds}


def _units(reported: dict[str, Any], state: str, prefix: str) -> list[str]:
    return sorted(f"{name} {unit}" for name, device in (reported.get("devices") or {}).items()
                  for unit, value in (device.get("units") or {}).items()
                  if unit.startswith(prefix) and value == state)


def _listing(what: str, found: list[str]) -> Condition | None:
    return Condition(f"{what}: {', '.join(found)}") if found else None


def paper_low(reported: dict[str, Any], _t: AlertThresholds) -> Condition | None:
    return _listing("paper near end", _units(reported, "low", "paper"))


def paper_out(reported: dict[str, Any], _t: AlertThresholds) -> Condition | None:
    return _listing("paper out", _units(reported, "out", "paper"))


def _down(reported: dict[str, Any], kinds: frozenset[str], what: str,
          excused: Callable[[dict[str, Any]], bool] = lambda _device: False
          ) -> Condition | None:
    found = [f"{name} {device['availability']}"
             + (f" ({device['detail']})" if device.get("detail") else "")
             for name, device in sorted(_devices(reported, kinds).items())
             if device.get("availability") in DOWN and not excused(device)]
    return _listing(what, found)


def printer_offline(reported: dict[str, Any], _t: AlertThresholds) -> Condition | None:
    # out of paper is its own alert, with its own remedy
    return _down(reported, frozenset({"printer"}), "printer cannot print",
                 lambda device: (device.get("units") or {}).get("paper") == "out")


def camera_down(reported: dict[str, Any], _t: AlertThresholds) -> Condition | None:
    return _down(reported, CAMERA_KINDS, "camera down")


def reader_down(reported: dict[str, Any], _t: AlertThresholds) -> Condition | None:
    return _down(reported, READER_KINDS, "reader down")


def door_left_open(reported: dict[str, Any], t: AlertThresholds) -> Condition | None:
    found = _units(reported, "open", "compartment-")
    return Condition(f"door open: {', '.join(found)}", t.door_left_open_s) if found else None


def door_jammed(reported: dict[str, Any], _t: AlertThresholds) -> Condition | None:
    return _listing("door jammed", _units(reported, "jammed", "compartment-"))


def oldest_unsent(reported: dict[str, Any], t: AlertThresholds) -> Condition | None:
    age = reported.get("oldest_unsent_age_s")
    if age is None or age <= t.oldest_unsent_h * 3600:
        return None
    return Condition(f"the oldest unsent submission has waited {age / 3600:.1f} h")


def clock_skew(reported: dict[str, Any], t: AlertThresholds) -> Condition | None:
    offset_ms = reported.get("clock_offset_ms")
    if offset_ms is None or abs(offset_ms) <= t.clock_skew_s * 1000:
        return None
    return Condition(f"the kiosk clock is {abs(offset_ms) / 1000:.0f} s "
                     f"{'behind' if offset_ms > 0 else 'ahead of'} the server")


def disk_low(reported: dict[str, Any], t: AlertThresholds) -> Condition | None:
    free = reported.get("disk_free_bytes")
    if free is None or free >= t.disk_low_bytes:
        return None
    return Condition(f"{free // 1_000_000} MB free on the kiosk disk")


#: The alerts decided by the reported state, by kind.
REPORTED_RULES: dict[str, Rule] = {
    "paper_low": paper_low, "paper_out": paper_out, "printer_offline": printer_offline,
    "camera_down": camera_down, "reader_down": reader_down,
    "door_left_open": door_left_open, "door_jammed": door_jammed,
    "oldest_unsent": oldest_unsent, "clock_skew": clock_skew, "disk_low": disk_low,
}
KIOSK_SILENT = "kiosk_silent"
STAFF_CALL = "staff_call"
AUDIT_CHAIN_BROKEN = "audit_chain_broken"


def raise_alert(session: Session, kiosk_id: str, kind: str, detail: str, *, now: datetime,
                hold_s: float = 0.0) -> None:
    """Open the alert (or update its detail while it stays open)."""
    _raise(session, session.get(KioskAlarm, (kiosk_id, kind)), kiosk_id, kind, detail,
           now=now, hold_s=hold_s)


def _raise(session: Session, alarm: KioskAlarm | None, kiosk_id: str, kind: str, detail: str,
           *, now: datetime, hold_s: float) -> None:
    raised_at = now + timedelta(seconds=hold_s) if hold_s else None
    if alarm is None:
        try:
            with session.begin_nested():
                session.add(KioskAlarm(kiosk_id=kiosk_id, kind=kind, detail=detail,
                                       opened_at=now, raised_at=raised_at))
        except IntegrityError:
            pass        # opened concurrently by another request: it is open either way
        return
    if alarm.resolved_at is not None:
        alarm.opened_at, alarm.raised_at, alarm.resolved_at = now, raised_at, None
        alarm.acknowledged_at = alarm.acknowledged_by = None
    alarm.detail = detail[:2000]


def clear_alert(session: Session, kiosk_id: str, kind: str, *, now: datetime) -> None:
    _clear(session.get(KioskAlarm, (kiosk_id, kind)), now=now)


def _clear(alarm: KioskAlarm | None, *, now: datetime) -> None:
    if alarm is not None and alarm.resolved_at is None:
        alarm.resolved_at = now


def evaluate_reported(session: Session, kiosk_id: str, reported: dict[str, Any], *,
                      thresholds: AlertThresholds, now: datetime) -> None:
    """Raise and clear the alerts the reported state decides: one query for the kiosk's
    alerts, and a write only where one opens, clears or changes its detail. Run when the
    reported state changes (district_server.kiosks.service.merge_reported): every rule is a
    function of that state and the thresholds, and a hold time is judged when the alerts are
    read (`raised_at`), so an unchanged state decides nothing new. A threshold changed in the
    server's settings applies to a kiosk from its next change."""
    held = {alarm.kind: alarm for alarm in session.scalars(
        select(KioskAlarm).where(KioskAlarm.kiosk_id == kiosk_id))}
    for kind, rule in REPORTED_RULES.items():
        condition = rule(reported, thresholds)
        if condition is None:
            _clear(held.get(kind), now=now)
        else:
            _raise(session, held.get(kind), kiosk_id, kind, condition.detail, now=now,
                   hold_s=condition.hold_s)


def judge_audit_chain(session: Session, kiosk_id: str, findings: dict[str, list[str]], *,
                      thresholds: AlertThresholds, now: datetime) -> None:
    """Raise the kiosk's audit chain alert while its chain has findings (an entry changed or
    missing). Entries travel through the queue and may arrive out of order after a retry:
    the alert is held for as long as a silent kiosk is, and a gap filled meanwhile never
    raises it."""
    found = findings.get(kiosk_id)
    if not found:
        clear_alert(session, kiosk_id, AUDIT_CHAIN_BROKEN, now=now)
        return
    raise_alert(session, kiosk_id, AUDIT_CHAIN_BROKEN, "; ".join(found), now=now,
                hold_s=thresholds.heartbeat_s * thresholds.silent_after_heartbeats)


def sweep(session: Session, *, thresholds: AlertThresholds, now: datetime) -> None:
    """The alerts time decides: a kiosk silent for `silent_after_heartbeats` heartbeats is
    raised; one heard from again is cleared. Two queries whatever the fleet's size."""
    silent_since = now - timedelta(seconds=thresholds.heartbeat_s
                                   * thresholds.silent_after_heartbeats)
    last = func.coalesce(Kiosk.last_contact_at, Kiosk.enrolled_at)
    for kiosk_id, heard in session.execute(select(Kiosk.kiosk_id, last).where(
            Kiosk.revoked_at.is_(None), last < silent_since)):
        stamp = heard.isoformat(timespec="seconds") if isinstance(heard, datetime) else heard
        raise_alert(session, kiosk_id, KIOSK_SILENT, f"no contact since {stamp}", now=now)
    for alarm in session.scalars(select(KioskAlarm).join(
            Kiosk, Kiosk.kiosk_id == KioskAlarm.kiosk_id).where(
            KioskAlarm.kind == KIOSK_SILENT, KioskAlarm.resolved_at.is_(None),
            or_(Kiosk.revoked_at.is_not(None), last >= silent_since))):
        alarm.resolved_at = now


def open_alerts(session: Session, member: StaffMember, *,
                now: datetime) -> list[schemas.AlertView]:
    """The raised, uncleared alerts of the member's hall (all halls for the district)."""
    member.require(Permission.alerts)
    query = (select(KioskAlarm, Kiosk.hall_code).join(Kiosk, Kiosk.kiosk_id == KioskAlarm.kiosk_id)
             .where(KioskAlarm.resolved_at.is_(None),
                    or_(KioskAlarm.raised_at.is_(None), KioskAlarm.raised_at <= now))
             .order_by(KioskAlarm.opened_at, KioskAlarm.kiosk_id, KioskAlarm.kind))
    if not member.all_halls:
        query = query.where(Kiosk.hall_code == member.hall_code)
    return [schemas.AlertView(kiosk_id=alarm.kiosk_id, hall_code=hall, kind=alarm.kind,
                              detail=alarm.detail, raised_at=alarm.raised_at or alarm.opened_at,
                              acknowledged_at=alarm.acknowledged_at,
                              acknowledged_by=alarm.acknowledged_by)
            for alarm, hall in session.execute(query)]


def history(session: Session, member: StaffMember, kiosk_id: str) -> list[KioskAlarm]:
    """Every alert kind the kiosk ever had, the latest opening of each, newest first."""
    member.require(Permission.alerts)
    kiosk = session.get(Kiosk, kiosk_id)
    if kiosk is None or not member.may_see_hall(kiosk.hall_code):
        raise ProblemError(404, "no_such_kiosk", kiosk_id)
    return list(session.scalars(select(KioskAlarm).where(KioskAlarm.kiosk_id == kiosk_id)
                                .order_by(KioskAlarm.opened_at.desc())))


def acknowledge(session: Session, member: StaffMember, kiosk_id: str, kind: str, *,
                now: datetime) -> None:
    """Someone is on it: the alert stays open (until its condition clears) but is no longer
    news."""
    member.require(Permission.alerts)
    alarm = session.get(KioskAlarm, (kiosk_id, kind))
    kiosk = session.get(Kiosk, kiosk_id)
    if alarm is None or alarm.resolved_at is not None or kiosk is None \
            or not member.may_see_hall(kiosk.hall_code):
        raise ProblemError(404, "no_such_alert", f"no open {kind} alert for {kiosk_id}")
    if alarm.acknowledged_at is None:
        alarm.acknowledged_at, alarm.acknowledged_by = now, member.actor[:80]
        audit.append(session, at=now, actor=member.actor, action="alert.acknowledged",
                     detail={"kiosk_id": kiosk_id, "kind": kind})
