"""Citizen-scoped services. Each call first checks the kiosk's signed CitizenAssertion (own
kiosk, valid signature, allowed method, at most `assertion_max_age_s` old, nonce unused) and
writes an audit entry naming the holder (as HMAC) before any data is read."""
from __future__ import annotations

import base64
import json
import secrets
from typing import Any
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from district_server.audit import service as audit
from district_server.cases.followup import case_by_secret
from district_server.cases.models import Case
from district_server.cases.service import local_date
from district_server.catalogue import service as catalogue_service
from district_server.citizens.models import Appointment, DemoSeed, QueueTicket, StaffCall
from district_server.context import ServerContext
from district_server.crypto import verify_ed25519
from district_server.errors import ProblemError
from district_server.kiosks import alerts
from district_server.kiosks.service import KioskPrincipal, remember_nonce
from wire import v1

IDENTIFIED = ("document+face",)
DOCUMENT_READ = ("document+face", "document")
FUTURE_TOLERANCE_S = 30


def check_assertion(session: Session, ctx: ServerContext, principal: KioskPrincipal,
                    signed: v1.SignedCitizenAssertion, raw_signed: Any, *,
                    allowed: tuple[str, ...], action: str, at: datetime | None = None) -> str:
    """Returns the holder HMAC the assertion vouches for, after auditing the access.
    `raw_signed` is the signed assertion's JSON as received (what the signature covers);
    `at` the moment the identification must be fresh for (default: now, the request)."""
    assertion = signed.assertion
    if assertion.kiosk_id != principal.kiosk_id:
        raise ProblemError(403, "other_kiosk", "the assertion was made by another kiosk")
    if not verify_ed25519(principal.signing_public_key,
                          base64.b64decode(signed.signature_b64),
                          v1.signed_message(raw_signed, "assertion")):
        raise ProblemError(403, "bad_assertion_signature", "assertion signature does not verify")
    if assertion.method not in allowed:
        raise ProblemError(403, "identification_insufficient",
                           f"{action} needs identification by {' or '.join(allowed)}")
    now = ctx.now()
    age = ((at or now) - assertion.identified_at).total_seconds()
    if age > ctx.settings.assertion_max_age_s or age < -FUTURE_TOLERANCE_S:
        raise ProblemError(403, "identification_stale",
                           f"identify the citizen again (at most "
                           f"{ctx.settings.assertion_max_age_s} s before the request)")
    try:
        remember_nonce(session, principal.kiosk_id, "a-" + assertion.nonce, now=now,
                       window_s=ctx.settings.signature_window_s)
    except ProblemError:
        raise ProblemError(403, "assertion_replayed", "each assertion is used once") from None
    holder = assertion.id_hmac or ctx.keys.holder(assertion.id_number)
    audit.append(session, at=now, actor=f"kiosk:{principal.kiosk_id}", action=f"citizen.{action}",
                 subject_hmac=holder, detail={"method": assertion.method})
    if ctx.settings.demo_citizens:
        seed_demo_citizen(session, ctx, holder, principal.hall_code, now)
    return holder


def _service_name(session: Session, ctx: ServerContext, version: str, code: str) -> v1.Text:
    catalogue = ctx.catalogues.get(session, version)
    item = catalogue.item(code) if catalogue else None
    return item.name if item else v1.Text(zh=code, en=code)


def cases_of(session: Session, ctx: ServerContext, holder: str) -> v1.CasesResponse:
    rows = session.scalars(select(Case).where(Case.holder_hmac == holder)
                           .order_by(Case.submitted_at.desc()).limit(100))
    return v1.CasesResponse(cases=[_summary(session, ctx, c) for c in rows])


def case_by_receipt(session: Session, ctx: ServerContext, principal: KioskPrincipal,
                    case_number: str, secret: str) -> v1.CaseSummary | None:
    """The case whose receipt QR was read at the kiosk (None: no such case or not its
    secret); audited like every citizen read."""
    case = case_by_secret(session, case_number, secret)
    if case is None:
        return None
    audit.append(session, at=ctx.now(), actor=f"kiosk:{principal.kiosk_id}",
                 action="citizen.case_by_receipt", subject_hmac=case.holder_hmac,
                 detail={"case": case_number})
    return _summary(session, ctx, case)


def _summary(session: Session, ctx: ServerContext, c: Case) -> v1.CaseSummary:
    return v1.CaseSummary(
        case_number=c.case_number, service_code=c.service_code,
        service_name=_service_name(session, ctx, c.catalogue_version, c.service_code),
        state=v1.CaseState(c.state), submitted_at=c.submitted_at, promised_date=c.promised_date,
        kiosk_id=c.kiosk_id, hall_code=c.hall_code,
        outstanding_materials=json.loads(c.outstanding_json),
        material_due_date=c.material_due_date, pickup=c.pickup_method)


def _catalogue_for(session: Session, ctx: ServerContext, principal: KioskPrincipal):
    return published_catalogue(session, ctx, principal.cohort)


def published_catalogue(session: Session, ctx: ServerContext, cohort: str) -> v1.Catalogue:
    row = catalogue_service.published_version(session, cohort, ctx.settings.default_cohort)
    return ctx.catalogues.get(session, row.version)


def _waiting(session: Session, hall: str, category: str, day) -> int:
    return session.scalar(select(func.count()).select_from(QueueTicket).where(
        QueueTicket.hall_code == hall, QueueTicket.category == category,
        QueueTicket.day == day, QueueTicket.status == "waiting")) or 0


def queue_categories(session: Session, ctx: ServerContext, *, hall_code: str,
                     cohort: str) -> v1.QueueCategoriesResponse:
    catalogue = published_catalogue(session, ctx, cohort)
    today = local_date(ctx.now())
    return v1.QueueCategoriesResponse(hall_code=hall_code, categories=[
        v1.QueueCategory(code=c.id, name=c.name, prefix=c.prefix,
                         waiting=_waiting(session, hall_code, c.id, today))
        for c in catalogue.queue_categories])


def issue_ticket(session: Session, ctx: ServerContext, principal: KioskPrincipal, *,
                 category: str, priority: str, holder: str | None) -> v1.QueueTicket:
    catalogue = _catalogue_for(session, ctx, principal)
    definition = next((c for c in catalogue.queue_categories if c.id == category), None)
    if definition is None:
        raise ProblemError(422, "unknown_queue_category", category)
    now = ctx.now()
    today = local_date(now)
    hall = principal.hall_code
    for _attempt in range(50):
        waiting = _waiting(session, hall, category, today)
        last = session.scalar(select(func.max(QueueTicket.number)).where(
            QueueTicket.hall_code == hall, QueueTicket.category == category,
            QueueTicket.day == today)) or 0
        ticket = QueueTicket(hall_code=hall, category=category, day=today, number=last + 1,
                             ticket_no=f"{definition.prefix}{last + 1:03d}", priority=priority,
                             holder_hmac=holder, kiosk_id=principal.kiosk_id, issued_at=now)
        try:
            with session.begin_nested():
                session.add(ticket)
            break
        except IntegrityError:
            continue        # another kiosk took this number: take the next
    else:
        raise ProblemError(503, "busy", "could not issue a ticket, try again")
    return v1.QueueTicket(ticket_no=ticket.ticket_no, category=category,
                          category_name=definition.name, priority=priority, issued_at=now,
                          waiting_ahead=waiting, hall_code=hall)


def _appointment_view(session: Session, ctx: ServerContext, principal: KioskPrincipal,
                      row: Appointment) -> v1.Appointment:
    catalogue = _catalogue_for(session, ctx, principal)
    item = catalogue.item(row.service_code)
    return v1.Appointment(appointment_id=row.appointment_id, service_code=row.service_code,
                          service_name=item.name if item else v1.Text(zh=row.service_code,
                                                                       en=row.service_code),
                          queue_category=row.queue_category, slot_start=row.slot_start,
                          slot_end=row.slot_end, hall_code=row.hall_code, status=row.status)


def appointments_of(session: Session, ctx: ServerContext, principal: KioskPrincipal,
                    holder: str) -> v1.AppointmentsResponse:
    since = ctx.now() - timedelta(days=1)
    rows = session.scalars(select(Appointment).where(Appointment.holder_hmac == holder,
                                                     Appointment.slot_end >= since)
                           .order_by(Appointment.slot_start))
    return v1.AppointmentsResponse(appointments=[_appointment_view(session, ctx, principal, r)
                                                 for r in rows])


def check_in(session: Session, ctx: ServerContext, principal: KioskPrincipal, holder: str,
             appointment_id: str) -> v1.CheckInResponse:
    row = session.get(Appointment, appointment_id)
    if row is None or row.holder_hmac != holder:
        raise ProblemError(404, "no_such_appointment", "not an appointment of this citizen")
    return _check_in(session, ctx, principal, row)


def check_in_by_code(session: Session, ctx: ServerContext, principal: KioskPrincipal,
                     booking_code: str) -> v1.CheckInResponse:
    row = session.scalars(select(Appointment)
                          .where(Appointment.booking_code == booking_code)).first()
    if row is None:
        raise ProblemError(404, "no_such_booking", "no appointment has this booking code")
    audit.append(session, at=ctx.now(), actor=f"kiosk:{principal.kiosk_id}",
                 action="citizen.check_in_by_code", subject_hmac=row.holder_hmac,
                 detail={"appointment": row.appointment_id})
    return _check_in(session, ctx, principal, row)


def _check_in(session: Session, ctx: ServerContext, principal: KioskPrincipal,
              row: Appointment) -> v1.CheckInResponse:
    holder = row.holder_hmac
    if row.hall_code != principal.hall_code:
        raise ProblemError(409, "other_hall", f"the appointment is at {row.hall_code}")
    now = ctx.now()
    if row.status != "booked":
        raise ProblemError(409, "not_booked", f"appointment is {row.status}")
    if local_date(row.slot_start) != local_date(now):
        raise ProblemError(409, "not_today", "check in on the day of the appointment")
    row.status, row.checked_in_at = "checked_in", now
    ticket = issue_ticket(session, ctx, principal, category=row.queue_category,
                          priority="appointment", holder=holder)
    return v1.CheckInResponse(appointment=_appointment_view(session, ctx, principal, row),
                              ticket=ticket)


def staff_call(session: Session, ctx: ServerContext, principal: KioskPrincipal, *,
               reason: str, journey: str | None, holder: str | None) -> v1.StaffCallResponse:
    now = ctx.now()
    ahead = session.scalar(select(func.count()).select_from(StaffCall).where(
        StaffCall.hall_code == principal.hall_code, StaffCall.status == "open")) or 0
    call_id = secrets.token_hex(8)
    session.add(StaffCall(call_id=call_id, hall_code=principal.hall_code,
                          kiosk_id=principal.kiosk_id, reason=reason, journey=journey,
                          holder_hmac=holder, created_at=now))
    audit.append(session, at=now, actor=f"kiosk:{principal.kiosk_id}", action="citizen.staff_call",
                 subject_hmac=holder, detail={"reason": reason})
    alerts.raise_alert(session, principal.kiosk_id, alerts.STAFF_CALL,
                       f"a citizen calls for staff ({reason}{', ' + journey if journey else ''})",
                       now=now)
    return v1.StaffCallResponse(call_id=call_id, position=ahead, created_at=now)


def _demo_services(catalogue: v1.Catalogue) -> list[v1.ServiceItem]:
    """What the demo books and files: commitment services (what the demo's journeys show
    best), or any service of a catalogue that has none."""
    return [i for i in catalogue.items if i.project_type == "commitment"] or list(catalogue.items)


def _demo_slot(now: datetime) -> tuple[datetime, datetime]:
    """A demo appointment's half hour: the one under way, so that it is today's at any hour
    (one starting in half an hour was tomorrow's after 23:30, and checking in was refused)."""
    start = now.replace(second=0, microsecond=0)
    return start, start + timedelta(minutes=30)


def seed_demo_citizen(session: Session, ctx: ServerContext, holder: str, hall: str,
                      now: datetime) -> None:
    """Demo only: give a newly seen citizen an appointment today and a case from a hall, so
    the query and check-in journeys have something to show."""
    try:
        with session.begin_nested():
            session.add(DemoSeed(holder_hmac=holder, seeded_at=now))
    except IntegrityError:
        return
    try:
        row = catalogue_service.published_version(session, ctx.settings.default_cohort,
                                                  ctx.settings.default_cohort)
    except catalogue_service.CatalogueInvalid:
        return
    catalogue = ctx.catalogues.get(session, row.version)
    items = _demo_services(catalogue)
    pick = int(holder[:8], 16)
    booked, filed = items[pick % len(items)], items[(pick // 7) % len(items)]
    slot_start, slot_end = _demo_slot(now)
    session.add(Appointment(appointment_id="A" + secrets.token_hex(6), holder_hmac=holder,
                            booking_code=secrets.token_hex(6).upper(),
                            service_code=booked.task_code, queue_category=booked.queue_category,
                            hall_code=hall, slot_start=slot_start, slot_end=slot_end))
    submitted = now - timedelta(days=3)
    session.add(Case(case_number=f"{hall}-H{secrets.token_hex(4).upper()}", holder_hmac=holder,
                     service_code=filed.task_code, catalogue_version=catalogue.version,
                     state=v1.CaseState.in_review.value, submitted_at=submitted,
                     promised_date=ctx.calendar(catalogue).due_date(
                         local_date(submitted), filed.promised_limit.days,
                         filed.promised_limit.unit),
                     hall_code=hall, pickup_method=filed.pickup_methods[0], updated_at=now))


#: The demo citizen (the GB 11643 standard's example number) and the booking code the demo
#: scenarios type; ensure_demo_booking books it for today at every start.
DEMO_ID_NUMBER = "11010519491231002X"
DEMO_BOOKING_CODE = "20261126"


def ensure_demo_booking(session: Session, ctx: ServerContext) -> None:
    """Demo only: a booking for today, at the default hall, that `DEMO_BOOKING_CODE` checks in
    (nothing while no catalogue is published)."""
    try:
        catalogue = published_catalogue(session, ctx, ctx.settings.default_cohort)
    except catalogue_service.CatalogueInvalid:
        return
    item = _demo_services(catalogue)[0]
    row = session.scalars(select(Appointment)
                          .where(Appointment.booking_code == DEMO_BOOKING_CODE)).first()
    if row is None:
        row = Appointment(appointment_id="A-DEMO", booking_code=DEMO_BOOKING_CODE,
                          holder_hmac=ctx.keys.holder(DEMO_ID_NUMBER))
        session.add(row)
    row.service_code, row.queue_category = item.task_code, item.queue_category
    row.hall_code, row.status, row.checked_in_at = ctx.settings.default_hall_code, "booked", None
    row.slot_start, row.slot_end = _demo_slot(ctx.now())
