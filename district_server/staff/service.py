"""The case, locker, queue, review and fleet work of hall staff, each scoped by the
member's role and hall (district_server.roles): a case of another hall is not found."""
from __future__ import annotations

import json
import secrets
from datetime import datetime

from sqlalchemy import case as sql_case, func, select, update
from sqlalchemy.orm import Session

from district_server.audit import service as audit
from district_server.cases import followup, reminders
from district_server.cases.models import BadReview, Case, Parcel
from district_server.cases.forms import valid_resident_id
from district_server.cases.service import (CLOSED_STATES, DECIDING_STATES, assign_parcel,
                                           channel_of, local_date, pickup_ready_key,
                                           record_decision)
from district_server.catalogue import service as catalogue_service
from district_server.citizens import certificates
from district_server.citizens.models import QueueTicket, StaffCall
from district_server.context import ServerContext
from district_server.errors import ProblemError
from district_server.kiosks import alerts
from district_server.kiosks.models import Kiosk
from district_server.notices import service as notices
from district_server.staff import schemas
from district_server.roles import Permission
from district_server.staff.accounts import StaffMember
from wire import v1

#: state -> states hall staff may move a case to (ready_for_pickup comes from a parcel).
TRANSITIONS = {
    "received": {"accepted", "rejected", "withdrawn"},
    "accepted": {"in_review", "special_procedure", "completed", "rejected", "withdrawn"},
    "in_review": {"special_procedure", "completed", "rejected", "withdrawn"},
    "special_procedure": {"in_review", "completed", "rejected"},
    "awaiting_material": {"in_review", "rejected", "withdrawn"},
}
#: states in which staff may ask for more materials (补正)
SUPPLEMENT_FROM = {"accepted", "in_review", "special_procedure", "awaiting_material"}


def _view(session: Session, ctx: ServerContext, case: Case, today) -> schemas.StaffCase:
    catalogue = ctx.catalogues.get(session, case.catalogue_version)
    item = catalogue.item(case.service_code) if catalogue else None
    name = item.name if item else v1.Text(zh=case.service_code, en=case.service_code)
    finished = case.state in CLOSED_STATES
    return schemas.StaffCase(
        case_number=case.case_number, service_code=case.service_code, service_name=name,
        state=v1.CaseState(case.state), submitted_at=case.submitted_at,
        channel=channel_of(case),
        promised_date=case.promised_date, kiosk_id=case.kiosk_id, hall_code=case.hall_code,
        outstanding_materials=json.loads(case.outstanding_json),
        material_due_date=case.material_due_date, pickup=case.pickup_method,
        overdue=bool(case.promised_date and case.promised_date < today and not finished),
        materials_overdue=bool(case.material_due_date and case.material_due_date < today
                               and json.loads(case.outstanding_json)))


def list_cases(session: Session, ctx: ServerContext, member: StaffMember, state: str | None,
               limit: int) -> schemas.StaffCases:
    member.require(Permission.cases)
    query = select(Case).order_by(Case.promised_date.is_(None), Case.promised_date,
                                  Case.submitted_at).limit(limit)
    if not member.all_halls:
        query = query.where(Case.hall_code == member.hall_code)
    if state:
        query = query.where(Case.state == state)
    today = local_date(ctx.now())
    return schemas.StaffCases(cases=[_view(session, ctx, c, today)
                                     for c in session.scalars(query)])


def _case(session: Session, member: StaffMember, case_number: str) -> Case:
    member.require(Permission.cases)
    case = session.get(Case, case_number)
    if case is None or not member.may_see_hall(case.hall_code):
        raise ProblemError(404, "no_such_case", case_number)
    return case


def case_detail(session: Session, ctx: ServerContext, member: StaffMember,
                case_number: str, *,
                history_actions: tuple[str, ...] = followup.CITIZEN_HISTORY
                ) -> schemas.StaffCaseDetail:
    """The case with its decrypted application (the read is audited) and its history (of
    `history_actions`, by default the citizen's supplies and re-issued secrets)."""
    case = _case(session, member, case_number)
    audit.append(session, at=ctx.now(), actor=member.actor, action="staff.case_read",
                 subject_hmac=case.holder_hmac, detail={"case": case_number})
    return schemas.StaffCaseDetail(case=_view(session, ctx, case, local_date(ctx.now())),
                                   application=json.loads(case.application_json),
                                   history=followup.history(session, case, history_actions))


def catalogue_in_force(session: Session, ctx: ServerContext) -> v1.Catalogue:
    """The catalogue published to the district's default cohort: the hall's items."""
    try:
        published = catalogue_service.published_version(session, ctx.settings.default_cohort,
                                                        ctx.settings.default_cohort)
    except catalogue_service.CatalogueInvalid as error:
        raise ProblemError(503, "no_catalogue", str(error)) from None
    return ctx.catalogues.get(session, published.version)


def take_in(session: Session, ctx: ServerContext, member: StaffMember,
            intake: schemas.CaseIntake) -> str:
    """A case the member takes at the window or on the phone, for their hall, accepted the
    day it is filed under the catalogue in force; returns its number."""
    member.require(Permission.cases)
    if not valid_resident_id(intake.id_number):
        raise ProblemError(422, "invalid_id_number", "not a valid resident ID number")
    catalogue = catalogue_in_force(session, ctx)
    item = catalogue.item(intake.service_code)
    if item is None:
        raise ProblemError(422, "unknown_service", f"{intake.service_code} is not in "
                                                   f"catalogue {catalogue.version}")
    now = ctx.now()
    number = (f"{member.hall_code}-{'P' if intake.channel == 'phone' else 'W'}"
              f"{secrets.token_hex(4).upper()}")
    holder = ctx.keys.holder(intake.id_number)
    instant = item.project_type == "instant"
    session.add(Case(
        case_number=number, holder_hmac=holder, service_code=item.task_code,
        catalogue_version=catalogue.version,
        state=(v1.CaseState.completed if instant else v1.CaseState.accepted).value,
        submitted_at=now, promised_date=ctx.calendar(catalogue).due_date(
            local_date(now), item.promised_limit.days, item.promised_limit.unit),
        hall_code=member.hall_code, channel=intake.channel,
        pickup_method=item.pickup_methods[0], decided_at=now if instant else None,
        application_json=json.dumps(
            {"service_code": item.task_code, "catalogue_version": catalogue.version,
             "applicant": {"id_number": intake.id_number, "name": intake.name},
             "channel": intake.channel}, ensure_ascii=False),
        updated_at=now))
    audit.append(session, at=now, actor=member.actor, action="staff.case_intake",
                 subject_hmac=holder, detail={"case": number, "channel": intake.channel,
                                              "service": item.task_code})
    return number


def reissue_followup_secret(session: Session, ctx: ServerContext, member: StaffMember,
                            case_number: str) -> schemas.FollowupSecretIssued:
    """At a window, for a citizen identified there: a new receipt QR (the old one stops)."""
    case = _case(session, member, case_number)
    secret = followup.reissue_secret(session, case, actor=member.actor, now=ctx.now())
    return schemas.FollowupSecretIssued(case_number=case_number, followup_secret=secret,
                                        followup_path=v1.followup_path(case_number, secret))


def change_state(session: Session, ctx: ServerContext, member: StaffMember, case_number: str,
                 change: schemas.CaseStateChange) -> schemas.StaffCase:
    case = _case(session, member, case_number)
    if change.state not in TRANSITIONS.get(case.state, set()):
        raise ProblemError(409, "transition_not_allowed",
                           f"a case that is {case.state} cannot become {change.state}")
    now = ctx.now()
    audit.append(session, at=now, actor=member.actor, action="staff.case_state",
                 subject_hmac=case.holder_hmac,
                 detail={"case": case_number, "from": case.state, "to": change.state,
                         "note": change.note})
    if change.state in DECIDING_STATES:
        record_decision(session, ctx, case, now)
    case.state, case.updated_at = change.state, now
    return _view(session, ctx, case, local_date(now))


def keep_certificate(session: Session, ctx: ServerContext, member: StaffMember,
                     case_number: str, keeping: certificates.Keeping) -> None:
    """The member accepts a material the citizen agreed to keep: it goes on file (零材料)."""
    case = _case(session, member, case_number)
    certificates.keep(session, ctx, case, keeping, actor=member.actor, now=ctx.now())


def withdraw_certificate(session: Session, ctx: ServerContext, member: StaffMember,
                         case_number: str, certificate_id: str) -> list[str]:
    """At the citizen's request at a window: the certificate kept from the case goes, with
    its scans (whose files the caller removes after the commit)."""
    case = _case(session, member, case_number)
    kept = certificates.kept_of_case(session, case_number)
    if certificate_id not in {row.certificate_id for row in kept.values()}:
        raise ProblemError(404, "no_such_certificate", "no certificate kept from this case")
    return certificates.withdraw(session, case.holder_hmac, certificate_id,
                                 actor=member.actor, now=ctx.now())


def request_supplement(session: Session, ctx: ServerContext, member: StaffMember,
                       case_number: str, request: schemas.SupplementRequest
                       ) -> schemas.StaffCase:
    """The case waits for the named materials (the follow-up page takes them) and the
    applicant is texted once; supplying the last one puts it back in review."""
    case = _case(session, member, case_number)
    if case.state not in SUPPLEMENT_FROM:
        raise ProblemError(409, "transition_not_allowed",
                           f"a case that is {case.state} cannot wait for materials")
    catalogue = ctx.catalogues.get(session, case.catalogue_version)
    item = catalogue.item(case.service_code) if catalogue else None
    known = {m.id for m in item.materials} if item else set()
    unknown = sorted(set(request.materials) - known)
    if unknown:
        raise ProblemError(422, "invalid_payload", f"not materials of this service: {unknown}")
    now = ctx.now()
    entry = audit.append(session, at=now, actor=member.actor, action="staff.supplement_request",
                         subject_hmac=case.holder_hmac,
                         detail={"case": case_number, "materials": request.materials,
                                 "due_date": request.due_date.isoformat(),
                                 "note": request.note})
    owed = sorted(set(json.loads(case.outstanding_json)) | set(request.materials))
    case.outstanding_json = json.dumps(owed)
    case.material_due_date = min(filter(None, (case.material_due_date, request.due_date)))
    if case.state != "awaiting_material":     # the time limit stops until it is supplied
        case.waiting_since = local_date(now)
    case.state, case.updated_at = "awaiting_material", now
    reminders.supplement_requested(session, ctx, case, request.materials, request.due_date,
                                   request_id=entry.seq, now=now)
    return _view(session, ctx, case, local_date(now))


def _kiosk_place(kiosk: Kiosk, ctx: ServerContext) -> str:
    """Where the kiosk stands, in the words of the district's halls (else its id)."""
    hall = next((h for h in ctx.settings.halls if h.code == kiosk.hall_code), None)
    return f"{hall.name.zh}自助终端{kiosk.kiosk_id}" if hall else f"自助终端{kiosk.kiosk_id}"


def place_parcel(session: Session, ctx: ServerContext, member: StaffMember,
                 request: schemas.ParcelAssign) -> schemas.ParcelAssigned:
    case = _case(session, member, request.case_number)
    if case.state != "completed":
        raise ProblemError(409, "case_not_completed", f"the case is {case.state}")
    kiosk = session.get(Kiosk, request.kiosk_id)
    if kiosk is None or kiosk.revoked_at is not None or not member.may_see_hall(kiosk.hall_code):
        raise ProblemError(404, "no_such_kiosk", request.kiosk_id)
    now = ctx.now()
    code = f"{secrets.randbelow(10 ** 6):06d}"
    parcel_id = "P" + secrets.token_hex(6).upper()
    parcel = assign_parcel(session, parcel_id=parcel_id, kiosk_id=request.kiosk_id,
                           locker=request.locker, size=request.size,
                           case_number=case.case_number, code=code, items=request.items,
                           now=now, keep_days=request.keep_days)
    audit.append(session, at=now, actor=member.actor, action="staff.parcel_assigned",
                 subject_hmac=case.holder_hmac,
                 detail={"case": case.case_number, "parcel": parcel_id,
                         "kiosk": request.kiosk_id, "size": request.size})
    reminders.pickup_ready(session, ctx, case, parcel, code, now=now,
                           where=_kiosk_place(kiosk, ctx))
    return schemas.ParcelAssigned(parcel_id=parcel_id, pickup_code=code,
                                  expires_at=parcel.expires_at)


def parcel_view(session: Session, ctx: ServerContext, member: StaffMember,
                parcel_id: str) -> schemas.ParcelView:
    parcel = session.get(Parcel, parcel_id)
    if parcel is None:
        raise ProblemError(404, "no_such_parcel", "no parcel with this id")
    _case(session, member, parcel.case_number)  # the hall's scope
    return _parcel_view(parcel, ctx.now())


def _parcel_view(parcel: Parcel, now: datetime) -> schemas.ParcelView:
    return schemas.ParcelView(parcel_id=parcel.parcel_id, case_number=parcel.case_number,
                              kiosk_id=parcel.kiosk_id, state=parcel.state_at(now),
                              size=parcel.size, compartment=parcel.compartment,
                              stored_at=parcel.deposited_at, collected_at=parcel.picked_at,
                              expires_at=parcel.expires_at)


def hall_parcels(session: Session, ctx: ServerContext, member: StaffMember,
                 limit: int = 500) -> list[schemas.ParcelView]:
    """The parcels of the member's hall (of its cases), newest first."""
    member.require(Permission.cases)
    query = select(Parcel).join(Case, Case.case_number == Parcel.case_number) \
        .order_by(Parcel.expires_at.desc()).limit(limit)
    if not member.all_halls:
        query = query.where(Case.hall_code == member.hall_code)
    return [_parcel_view(p, ctx.now()) for p in session.scalars(query)]


def locker_kiosks(session: Session, member: StaffMember) -> list[str]:
    """The kiosks of the member's hall a parcel may be assigned to (not revoked)."""
    member.require(Permission.cases)
    query = select(Kiosk.kiosk_id).where(Kiosk.revoked_at.is_(None)).order_by(Kiosk.kiosk_id)
    if not member.all_halls:
        query = query.where(Kiosk.hall_code == member.hall_code)
    return list(session.scalars(query))


def material_scan(session: Session, ctx: ServerContext, member: StaffMember,
                  case_number: str, sha256: str) -> bytes:
    """A scan of the case's materials (listed in its application, supplied later or of a
    certificate on file it reused),
    decrypted for a member who may see the case; every opening is audited."""
    case = _case(session, member, case_number)
    application = json.loads(case.application_json)
    listed = {blob for material in application.get("materials") or []
              for blob in material.get("blobs") or []}
    listed.update(entry["blob"] for entry in followup.history(session, case)
                  if entry.get("blob"))
    listed.update(blob for scans in certificates.scans_reused(session, application).values()
                  for blob in scans)
    if sha256 not in listed or case.purged_at is not None:
        raise ProblemError(404, "no_such_scan", "no scan of this case with this hash")
    audit.append(session, at=ctx.now(), actor=member.actor, action="staff.scan_read",
                 subject_hmac=case.holder_hmac, detail={"case": case_number, "blob": sha256})
    return ctx.keys.decrypt_blob(ctx.blobs.read(sha256))


def recall_parcel(session: Session, ctx: ServerContext, member: StaffMember,
                  parcel_id: str) -> None:
    """Take back a parcel not yet put in a locker (a stored one is recalled at the kiosk)."""
    parcel = session.get(Parcel, parcel_id)
    if parcel is None or parcel.state != "assigned":
        raise ProblemError(404, "no_such_parcel", "no parcel waiting with this id")
    case = _case(session, member, parcel.case_number)
    parcel.state, parcel.active_slot = "recalled", None
    case.state, case.updated_at = "completed", ctx.now()
    notices.withdraw(session, pickup_ready_key(parcel_id))
    audit.append(session, at=ctx.now(), actor=member.actor,
                 action="staff.parcel_recalled", subject_hmac=case.holder_hmac,
                 detail={"parcel": parcel_id})


PRIORITY_ORDER = sql_case({"elderly": 0, "disabled": 0, "appointment": 1},
                          value=QueueTicket.priority, else_=2)


def call_next(session: Session, ctx: ServerContext, member: StaffMember, category: str,
              window: str) -> schemas.TicketCalled:
    """The next waiting ticket of the category at the member's hall: priority tickets
    (elderly, disabled, then appointments) before the others, each in issue order."""
    member.require(Permission.queue)
    today = local_date(ctx.now())
    waiting = (QueueTicket.hall_code == member.hall_code, QueueTicket.category == category,
               QueueTicket.day == today, QueueTicket.status == "waiting")
    for _attempt in range(20):
        ticket = session.scalars(select(QueueTicket).where(*waiting)
                                 .order_by(PRIORITY_ORDER, QueueTicket.number).limit(1)).first()
        if ticket is None:
            raise ProblemError(404, "queue_empty", f"nobody waits for {category}")
        taken = session.execute(update(QueueTicket).where(QueueTicket.id == ticket.id,
                                                          QueueTicket.status == "waiting")
                                .values(status="called"))
        if taken.rowcount == 1:
            left = session.scalar(select(func.count()).select_from(QueueTicket).where(*waiting))
            return schemas.TicketCalled(ticket_no=ticket.ticket_no, priority=ticket.priority,
                                        window=window, waiting=left)
    raise ProblemError(503, "busy", "try again")


def fleet(session: Session, member: StaffMember, *, now: datetime) -> schemas.Fleet:
    member.require(Permission.fleet)
    kiosks = select(Kiosk).order_by(Kiosk.kiosk_id)
    if not member.all_halls:
        kiosks = kiosks.where(Kiosk.hall_code == member.hall_code)
    alarms: dict[str, list[str]] = {}
    for alert in alerts.open_alerts(session, member, now=now):
        alarms.setdefault(alert.kiosk_id, []).append(f"{alert.kind}: {alert.detail}")
    return schemas.Fleet(kiosks=[schemas.KioskView(
        kiosk_id=k.kiosk_id, hall_code=k.hall_code, cohort=k.cohort, enrolled_at=k.enrolled_at,
        desired_version=k.desired_version, reported=json.loads(k.reported_json),
        reported_at=k.reported_at, last_contact_at=k.last_contact_at,
        alarms=alarms.get(k.kiosk_id, []))
        for k in session.scalars(kiosks)])


def open_calls(session: Session, member: StaffMember) -> schemas.StaffCalls:
    member.require(Permission.queue)
    rows = session.scalars(select(StaffCall).where(StaffCall.hall_code == member.hall_code,
                                                   StaffCall.status == "open")
                           .order_by(StaffCall.created_at))
    return schemas.StaffCalls(calls=[schemas.StaffCallView(
        call_id=c.call_id, kiosk_id=c.kiosk_id, reason=c.reason, journey=c.journey,
        created_at=c.created_at, identified=c.holder_hmac is not None) for c in rows])


def close_call(session: Session, ctx: ServerContext, member: StaffMember, call_id: str) -> None:
    member.require(Permission.queue)
    call = session.get(StaffCall, call_id)
    if call is None or call.status != "open" or not member.may_see_hall(call.hall_code):
        raise ProblemError(404, "no_such_call", "no open call with this id")
    call.status = "closed"
    session.flush()
    if not session.scalar(select(func.count()).select_from(StaffCall).where(
            StaffCall.kiosk_id == call.kiosk_id, StaffCall.status == "open")):
        alerts.clear_alert(session, call.kiosk_id, alerts.STAFF_CALL, now=ctx.now())
    audit.append(session, at=ctx.now(), actor=member.actor, action="staff.call_closed",
                 detail={"call": call_id})


def _reviews_of(member: StaffMember):
    """Bad reviews of the member's hall: a review belongs to the hall of the rated kiosk."""
    member.require(Permission.reviews)
    query = select(BadReview)
    if not member.all_halls:
        query = query.join(Kiosk, Kiosk.kiosk_id == BadReview.kiosk_id) \
            .where(Kiosk.hall_code == member.hall_code)
    return query


def open_bad_reviews(session: Session, ctx: ServerContext,
                     member: StaffMember) -> schemas.BadReviews:
    today = local_date(ctx.now())
    rows = session.scalars(_reviews_of(member).where(BadReview.state == "open")
                           .order_by(BadReview.deadline, BadReview.id))
    return schemas.BadReviews(reviews=[schemas.BadReviewView(
        id=r.id, kiosk_id=r.kiosk_id, case_number=r.case_number, service_code=r.service_code,
        level=r.level, comment=r.comment, opened_at=r.opened_at, deadline=r.deadline,
        overdue=r.deadline < today) for r in rows])


def close_bad_review(session: Session, ctx: ServerContext, member: StaffMember, review_id: int,
                     closing: schemas.BadReviewClose) -> None:
    review = session.scalars(_reviews_of(member).where(BadReview.id == review_id)).first()
    if review is None or review.state != "open":
        raise ProblemError(404, "no_such_review", "no open bad review with this id")
    now = ctx.now()
    review.state, review.outcome, review.note, review.closed_at = \
        "closed", closing.outcome, closing.note, now
    audit.append(session, at=now, actor=member.actor, action="staff.bad_review_closed",
                 detail={"review": review_id, "outcome": closing.outcome,
                         "late": local_date(now) > review.deadline})
