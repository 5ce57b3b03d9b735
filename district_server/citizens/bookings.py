"""Hall bookings (预约) made by staff: one at a window, or many imported from a CSV file
(`id_number,service_code,date,time`, local time) with a report of the rows refused; the
day's bookings of the hall by queue category. A booking is checked in at the kiosk with
its booking code (citizens.service.check_in_by_code)."""
from __future__ import annotations

import csv
import io
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from district_server.audit import service as audit
from district_server.cases.forms import valid_resident_id
from district_server.cases.service import LOCAL_TZ, local_date
from district_server.citizens.models import Appointment
from district_server.citizens.service import published_catalogue
from district_server.context import ServerContext
from district_server.errors import ProblemError
from district_server.roles import Permission
from district_server.staff.accounts import StaffMember

SLOT = timedelta(minutes=30)
CSV_COLUMNS = ("id_number", "service_code", "date", "time")
MAX_IMPORT_ROWS = 2000


@dataclass
class ImportReport:
    booked: list[tuple[int, str]] = field(default_factory=list)     # (line, booking code)
    rejected: list[tuple[int, str]] = field(default_factory=list)   # (line, reason)


def book(session: Session, ctx: ServerContext, member: StaffMember, *, id_number: str,
         service_code: str, day: str, at: str) -> Appointment:
    """A booking at the member's hall; 422 naming what is wrong."""
    member.require(Permission.queue)
    id_number = id_number.strip().upper()
    if not valid_resident_id(id_number):
        raise ProblemError(422, "invalid_id_number", "身份证号码无效 not a valid ID number")
    catalogue = published_catalogue(session, ctx, ctx.settings.default_cohort)
    item = catalogue.item(service_code.strip())
    if item is None:
        raise ProblemError(422, "no_such_service", f"无此事项 no service {service_code!r}")
    try:
        start = datetime.combine(date.fromisoformat(day.strip()),
                                 time.fromisoformat(at.strip()), LOCAL_TZ)
    except ValueError:
        raise ProblemError(422, "invalid_slot", "日期或时间无效 date (YYYY-MM-DD) or time "
                                                "(HH:MM) not valid") from None
    if local_date(start) < local_date(ctx.now()):
        raise ProblemError(422, "slot_in_the_past", "日期已过 the date has passed")
    row = Appointment(appointment_id="A" + secrets.token_hex(6),
                      booking_code=secrets.token_hex(6).upper(),
                      holder_hmac=ctx.keys.holder(id_number), service_code=item.task_code,
                      queue_category=item.queue_category, hall_code=member.hall_code,
                      slot_start=start, slot_end=start + SLOT)
    session.add(row)
    audit.append(session, at=ctx.now(), actor=member.actor, action="staff.booking_made",
                 subject_hmac=row.holder_hmac,
                 detail={"appointment": row.appointment_id, "service": item.task_code})
    return row


def import_csv(session: Session, ctx: ServerContext, member: StaffMember,
               content: str) -> ImportReport:
    """Book every valid row (each in its own savepoint); the others are reported with the
    reason, by line number."""
    member.require(Permission.queue)
    report = ImportReport()
    rows = list(csv.reader(io.StringIO(content.strip())))
    if rows and [c.strip().lower() for c in rows[0]] == list(CSV_COLUMNS):
        rows[0] = []                                        # the header line
    if len(rows) > MAX_IMPORT_ROWS:
        raise ProblemError(413, "too_many_rows", f"at most {MAX_IMPORT_ROWS} rows at once")
    for line, cells in enumerate(rows, 1):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(CSV_COLUMNS):
            report.rejected.append((line, f"需要 {len(CSV_COLUMNS)} 列 needs the columns "
                                          + ",".join(CSV_COLUMNS)))
            continue
        try:
            with session.begin_nested():
                row = book(session, ctx, member, **dict(zip(("id_number", "service_code",
                                                             "day", "at"), cells)))
        except ProblemError as error:
            report.rejected.append((line, error.detail))
            continue
        report.booked.append((line, row.booking_code))
    return report


def todays_bookings(session: Session, ctx: ServerContext,
                    member: StaffMember) -> dict[str, list[Appointment]]:
    """The hall's bookings of today (local), by queue category, in slot order."""
    member.require(Permission.queue)
    today = local_date(ctx.now())
    start = datetime.combine(today, time(), LOCAL_TZ)
    found: dict[str, list[Appointment]] = {}
    for row in session.scalars(select(Appointment).where(
            Appointment.hall_code == member.hall_code, Appointment.slot_start >= start,
            Appointment.slot_start < start + timedelta(days=1))
            .order_by(Appointment.slot_start)):
        found.setdefault(row.queue_category, []).append(row)
    return dict(sorted(found.items()))
