"""Each kiosk device's status over time, from what the kiosk reports.

The kiosk reports a device whole whenever any part of it changed (its counters move with
every print), so a change is recorded only when the status itself differs from the one held:
availability, severity, detail, error code, action, consumables and doors. The kiosk reports
at most every sync (30 s), so a status that came and went between two reports is not seen.
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from district_server.errors import ProblemError
from district_server.kiosks.models import DeviceStatusChange, Kiosk
from district_server.roles import Permission
from district_server.staff.accounts import StaffMember

STATUS_FIELDS = ("availability", "severity", "detail", "error_code", "action", "units")
#: changes kept per device (older ones are dropped as new ones come)
KEPT_PER_DEVICE = 200
#: changes a kiosk's console page shows, newest first
SHOWN = 100


def record(session: Session, kiosk_id: str, held: dict[str, Any],
           reported: dict[str, dict[str, Any]], *, now: datetime) -> None:
    """Record the devices of `reported` (a delta's devices) whose status differs from the
    one `held` before it."""
    for device, health in sorted(reported.items()):
        before = held.get(device)
        if before is not None and all(before.get(f) == health.get(f) for f in STATUS_FIELDS):
            continue
        session.add(DeviceStatusChange(
            kiosk_id=kiosk_id, device=device, at=_since(health.get("since")) or now,
            received_at=now, availability=health.get("availability", ""),
            severity=health.get("severity", ""), detail=health.get("detail") or "",
            error_code=health.get("error_code") or "", action=health.get("action") or "",
            units_json=json.dumps(health.get("units") or {}, sort_keys=True)))
        session.flush()
        _prune(session, kiosk_id, device)


def _since(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def _prune(session: Session, kiosk_id: str, device: str) -> None:
    oldest_kept = session.scalar(
        select(DeviceStatusChange.change_id)
        .where(DeviceStatusChange.kiosk_id == kiosk_id, DeviceStatusChange.device == device)
        .order_by(DeviceStatusChange.change_id.desc()).offset(KEPT_PER_DEVICE - 1).limit(1))
    if oldest_kept is not None:
        session.execute(delete(DeviceStatusChange).where(
            DeviceStatusChange.kiosk_id == kiosk_id, DeviceStatusChange.device == device,
            DeviceStatusChange.change_id < oldest_kept))


def history(session: Session, member: StaffMember, kiosk_id: str, *,
            limit: int = SHOWN) -> list[DeviceStatusChange]:
    """The kiosk's latest device status changes, newest first (as received: a kiosk's
    clock may be off, see its clock offset)."""
    member.require(Permission.fleet)
    kiosk = session.get(Kiosk, kiosk_id)
    if kiosk is None or not member.may_see_hall(kiosk.hall_code):
        raise ProblemError(404, "no_such_kiosk", kiosk_id)
    return list(session.scalars(
        select(DeviceStatusChange).where(DeviceStatusChange.kiosk_id == kiosk_id)
        .order_by(DeviceStatusChange.change_id.desc()).limit(limit)))
