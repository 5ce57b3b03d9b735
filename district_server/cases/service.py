"""What an accepted submission does, by kind: open a case (with its 容缺 commitment and
promised date), record a supplied material, a pickup, a rating, a kiosk audit entry or an
event. Runs inside the intake transaction; a ProblemError(422) undoes the whole submission."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from district_server.audit import service as audit
from district_server.catalogue import service as catalogue_service
from district_server.db import Base
from district_server.kiosks import alerts
from district_server.kiosks.models import Kiosk
from district_server.notices import service as notices
from wire.calendar import WorkingDayCalendar
from district_server.cases.forms import form_problems, valid_resident_id
from district_server.cases.models import BadReview, Case, Commitment, Evaluation, Parcel
from district_server.citizens import certificates as kept_certificates
from district_server.crypto import DistrictKeyring, scrypt_hash
from district_server.errors import ProblemError
from district_server.submissions.models import Event
from wire import v1

if TYPE_CHECKING:
    from district_server.context import ServerContext

#: Dates (promised, due) are counted in China Standard Time (no daylight saving).
LOCAL_TZ = timezone(timedelta(hours=8))


def local_date(moment: datetime) -> date:
    return moment.astimezone(LOCAL_TZ).date()


def _invalid(detail: str) -> ProblemError:
    return ProblemError(422, "invalid_payload", detail)


def new_case(session: Session, *, envelope: v1.SubmissionEnvelope,
             application: v1.ApplicationPayload, catalogue: v1.Catalogue | None,
             calendar: WorkingDayCalendar, keys: DistrictKeyring, hall_code: str,
             now: datetime) -> list[tuple[type[Base], dict[str, Any]]]:
    """The rows an application opens once checked (ProblemError(422) otherwise): its case,
    then its commitment when materials are deferred. Reads only."""
    if catalogue is None:
        raise _invalid(f"unknown catalogue version {application.catalogue_version}")
    item = catalogue.item(application.service_code)
    if item is None or not item.kiosk_enabled:
        raise _invalid(f"{application.service_code} is not a kiosk service in catalogue "
                       f"{catalogue.version}")
    applicant = application.applicant
    if applicant.id_type == "resident_id" and not valid_resident_id(applicant.id_number):
        raise _invalid("applicant: not a valid resident ID number")
    holder = keys.holder(applicant.id_number)
    today = local_date(now)
    problems = form_problems(item, application.form_data)
    problems += _material_problems(item, application, envelope)
    problems += _reuse_problems(session, item, application, holder, today)
    if application.pickup_method not in item.pickup_methods:
        problems.append(f"pickup_method: {application.pickup_method} not offered")
    deferred = [m for m in application.materials if m.status is v1.MaterialStatus.deferred]
    due = None
    if deferred:
        requirements = {m.id: m for m in item.materials}
        # a deferred code the catalogue does not know, or a material that may not be deferred,
        # is already a problem above
        due = min((calendar.add_working_days(today, requirements[m.code].max_supply_days)
                   for m in deferred if m.code in requirements
                   and requirements[m.code].max_supply_days is not None), default=None)
        commitment = application.commitment
        if due is not None and commitment.due_date > due:
            problems.append(f"commitment: due date after the latest allowed ({due})")
        if commitment.signature_blob not in envelope.blobs:
            problems.append("commitment: signature image not among the submission's blobs")
    if problems:
        raise _invalid("; ".join(problems[:10]))

    number = v1.case_number(envelope.kiosk_id, envelope.kiosk_seq)
    instant = item.project_type == "instant"
    case = dict(
        case_number=number, submission_id=envelope.submission_id,
        holder_hmac=holder, service_code=item.task_code,
        catalogue_version=catalogue.version,
        state=(v1.CaseState.completed if instant else v1.CaseState.accepted).value,
        submitted_at=envelope.created_at,
        promised_date=calendar.due_date(today, item.promised_limit.days,
                                        item.promised_limit.unit),
        kiosk_id=envelope.kiosk_id, hall_code=hall_code, pickup_method=application.pickup_method,
        outstanding_json=json.dumps(sorted(m.code for m in deferred)),
        material_due_date=application.commitment.due_date if deferred else None,
        decided_at=envelope.created_at if instant else None,   # decided at capture
        followup_hash=v1.sha256_hex(application.followup_secret.encode())
        if application.followup_secret else None,
        application_json=application.model_dump_json(exclude={"followup_secret"}),
        updated_at=now)
    if not deferred:
        return [(Case, case)]
    return [(Case, case), (Commitment, _commitment_values(number, application.commitment))]


def _material_problems(item: v1.ServiceItem, application: v1.ApplicationPayload,
                       envelope: v1.SubmissionEnvelope) -> list[str]:
    problems = []
    requirements = {m.id: m for m in item.materials}
    given = {m.code: m for m in application.materials}
    for code in given.keys() - requirements.keys():
        problems.append(f"material {code}: not a material of {item.task_code}")
    for requirement in item.materials:
        material = given.get(requirement.id)
        if material is None:
            if requirement.necessity == "required":
                problems.append(f"material {requirement.id}: required")
            continue
        if material.status is v1.MaterialStatus.deferred and not requirement.tolerance_allowed:
            problems.append(f"material {requirement.id}: may not be supplied later")
        if material.status is v1.MaterialStatus.reused and not requirement.elicence_type:
            problems.append(f"material {requirement.id}: no certificate on file can stand in")
        if material.status is v1.MaterialStatus.waived and requirement.necessity == "required":
            problems.append(f"material {requirement.id}: required, cannot be waived")
        if set(material.blobs) - set(envelope.blobs):
            problems.append(f"material {requirement.id}: pages not among the submission's blobs")
    return problems


def _reuse_problems(session: Session, item: v1.ServiceItem, application: v1.ApplicationPayload,
                    holder: str, today: date) -> list[str]:
    """A certificate kept from the applicant's own scans must be theirs, of the material's
    type and still valid."""
    requirements = {m.id: m for m in item.materials}
    return [f"material {m.code}: {problem}" for m in application.materials
            if m.status is v1.MaterialStatus.reused and m.code in requirements
            and (problem := kept_certificates.reuse_problem(
                session, holder, m.certificate_id, requirements[m.code].elicence_type, today))]


def _commitment_values(case_number: str,
                       commitment: v1.ToleranceCommitment) -> dict[str, Any]:
    return dict(case_number=case_number, materials_json=json.dumps(commitment.materials),
                text_version=commitment.text_version, signature_blob=commitment.signature_blob,
                signed_at=commitment.signed_at, due_date=commitment.due_date,
                supply_channel=commitment.supply_channel)


def case_to_act_on(session: Session, ctx: "ServerContext", envelope: v1.SubmissionEnvelope,
                   case_number: str, holder_assertion: v1.SignedCitizenAssertion | None,
                   followup_secret: str | None = None) -> Case:
    """A case the kiosk opened itself, one whose holder the kiosk identified (by document
    and face) shortly before making the submission, or one whose receipt QR (its follow-up
    secret) was read at the kiosk: never just any case, since case numbers are predictable."""
    case = session.get(Case, case_number)
    if case is None:
        raise _invalid(f"no case {case_number}")
    if case.kiosk_id == envelope.kiosk_id:
        return case
    if followup_secret is not None:
        # imported here: followup builds on this module (apply_commitment)
        from district_server.cases.followup import case_by_secret
        if case_by_secret(session, case_number, followup_secret) is None:
            raise ProblemError(403, "not_the_receipt", f"not the receipt QR of case "
                                                       f"{case_number} (re-issued?)")
        return case
    if holder_assertion is None:
        raise ProblemError(403, "other_kiosk_case", f"case {case_number} was not opened by "
                                                    "this kiosk; identify its holder")
    if _vouched_holder(session, ctx, envelope, holder_assertion) != case.holder_hmac:
        raise ProblemError(403, "not_the_holder", f"the citizen identified is not the holder "
                                                  f"of case {case_number}")
    return case


def _vouched_holder(session: Session, ctx: "ServerContext", envelope: v1.SubmissionEnvelope,
                    signed: v1.SignedCitizenAssertion) -> str:
    # imported here: citizens.service builds on this module (local_date)
    from district_server.citizens.service import IDENTIFIED, check_assertion
    from district_server.kiosks.service import KioskPrincipal
    kiosk = session.get(Kiosk, envelope.kiosk_id)
    principal = KioskPrincipal(kiosk.kiosk_id, kiosk.hall_code, kiosk.cohort,
                               kiosk.signing_public_key)
    # the signature covers the assertion as the kiosk sent it: the decrypted JSON
    received = json.loads(ctx.keys.decrypt_payload(envelope))["holder_assertion"]
    return check_assertion(session, ctx, principal, signed, received, allowed=IDENTIFIED,
                           action="case_by_holder", at=envelope.created_at)


def apply_commitment(session: Session, ctx: "ServerContext", case: Case,
                     payload: v1.CommitmentPayload, *, now: datetime) -> None:
    outstanding = set(json.loads(case.outstanding_json))
    if payload.action == "signed":
        if payload.commitment is None:
            raise _invalid("a signed commitment carries the commitment")
        session.add(Commitment(**_commitment_values(case.case_number, payload.commitment)))
        outstanding |= set(payload.commitment.materials)
        case.material_due_date = payload.commitment.due_date
    else:
        supplied = {m.code for m in payload.supplied}
        if not supplied <= outstanding:
            raise _invalid(f"materials not outstanding: {sorted(supplied - outstanding)}")
        outstanding -= supplied
        if not outstanding:
            case.material_due_date = None
            if case.state == v1.CaseState.awaiting_material:    # 补正 done: back to review
                case.state = v1.CaseState.in_review.value
                _resume_time_limit(session, ctx, case, local_date(now))
            for commitment in session.query(Commitment).filter_by(case_number=case.case_number,
                                                                  fill_state="pending"):
                commitment.fill_state, commitment.supplied_at = "supplied", now
    case.outstanding_json = json.dumps(sorted(outstanding))
    case.updated_at = now


def _item_and_calendar(session: Session, ctx: "ServerContext", case: Case
                       ) -> tuple[v1.ServiceItem | None, WorkingDayCalendar]:
    catalogue = ctx.catalogues.get(session, case.catalogue_version)
    return (catalogue.item(case.service_code) if catalogue else None), ctx.calendar(catalogue)


def _end_pause(case: Case, calendar: WorkingDayCalendar, today: date) -> None:
    """A 补正 pause is over: its days are kept (the figures do not count them as elapsed)."""
    if case.waiting_since is not None:
        case.paused_working_days = (case.paused_working_days or 0) + calendar.days_between(
            case.waiting_since, today, "working_days")
        case.paused_calendar_days = (case.paused_calendar_days or 0) + calendar.days_between(
            case.waiting_since, today, "calendar_days")
    case.waiting_since = None


def _resume_time_limit(session: Session, ctx: "ServerContext", case: Case, today: date) -> None:
    """The days waited for a 补正 do not count against the time limit: the promised date
    moves on by them, in the unit the service item's limit counts."""
    item, calendar = _item_and_calendar(session, ctx, case)
    if case.waiting_since is not None and case.promised_date is not None:
        unit = item.promised_limit.unit if item else "working_days"
        waited = calendar.days_between(case.waiting_since, today, unit)
        if waited:
            case.promised_date = (case.promised_date + timedelta(days=waited)
                                  if unit == "calendar_days"
                                  else calendar.add_working_days(case.promised_date, waited))
    _end_pause(case, calendar, today)


#: the states that decide a case (办结 or 不予受理): the figures count a case from then on
DECIDING_STATES = (v1.CaseState.completed.value, v1.CaseState.rejected.value)
#: states in which a case is no longer open (so never overdue), decided or not
CLOSED_STATES = (*DECIDING_STATES, v1.CaseState.ready_for_pickup.value,
                 v1.CaseState.picked_up.value, v1.CaseState.withdrawn.value)


#: how an application came in: at a kiosk, at a hall's window, or by phone (staff take it)
CHANNELS = ("kiosk", "window", "phone")


def channel_of(case: Case) -> str:
    return case.channel or ("kiosk" if case.kiosk_id else "window")


def record_decision(session: Session, ctx: "ServerContext", case: Case, now: datetime) -> None:
    """The case was decided now: a 补正 pause it was in ends with it."""
    _end_pause(case, _item_and_calendar(session, ctx, case)[1], local_date(now))
    case.decided_at = now


def _kiosk_parcel(session: Session, parcel_id: str, kiosk_id: str) -> Parcel:
    """Only the kiosk a parcel is assigned to may report it filled, opened or collected."""
    parcel = session.get(Parcel, parcel_id)
    if parcel is None or parcel.kiosk_id != kiosk_id:
        raise _invalid(f"no parcel {parcel_id} at this kiosk")
    return parcel


def apply_pickup(session: Session, payload: v1.PickupPayload, kiosk_id: str,
                 now: datetime) -> None:
    parcel = _kiosk_parcel(session, payload.parcel_id, kiosk_id)
    if payload.outcome == "picked":
        parcel.state, parcel.picked_at, parcel.active_slot = "collected", payload.picked_at, None
        case = session.get(Case, parcel.case_number)
        case.state, case.updated_at = v1.CaseState.picked_up.value, now
    elif payload.outcome in ("door_jammed", "outcome_unknown"):
        parcel.state = "needs_check"


def pickup_ready_key(parcel_id: str) -> str:
    """The notice with a parcel's pickup code (cases/reminders.py), held until it is stored."""
    return f"pickup_ready:{parcel_id}"


def apply_deposit(session: Session, payload: v1.DepositPayload, kiosk_id: str,
                  now: datetime) -> None:
    """Staff filled a compartment at the kiosk (its door closed on the parcel) or took the
    parcel back out."""
    parcel = _kiosk_parcel(session, payload.parcel_id, kiosk_id)
    if payload.outcome == "recalled":
        if parcel.state in ("collected", "recalled"):
            return
        parcel.state, parcel.active_slot = "recalled", None
        case = session.get(Case, parcel.case_number)
        case.state, case.updated_at = v1.CaseState.completed.value, now
        notices.withdraw(session, pickup_ready_key(parcel.parcel_id))
        return
    if parcel.state != "assigned":
        raise _invalid(f"parcel {payload.parcel_id} is {parcel.state}, not assigned")
    try:
        with session.begin_nested():
            parcel.state, parcel.compartment = "stored", payload.compartment
            parcel.deposited_at = payload.at
            parcel.active_slot = f"{kiosk_id}/{parcel.locker}/{payload.compartment}"
            session.flush()
    except IntegrityError:
        raise _invalid(f"compartment {payload.compartment} of {kiosk_id} holds another "
                       "parcel") from None
    notices.release(session, pickup_ready_key(parcel.parcel_id), now)


#: the kinds recorded as they come, for statistics (Event)
EVENT_KINDS = frozenset({"ticket", "checkin", "staff_call"})


def new_rows(session: Session, ctx: "ServerContext", *, envelope: v1.SubmissionEnvelope,
             payload: v1.Request, hall_code: str, now: datetime
             ) -> list[tuple[type[Base], dict[str, Any]]] | None:
    """For a kind whose effect is new rows alone (an application, an event): those rows,
    checked (ProblemError otherwise) and in the order to insert them, for the caller to
    write (a batch writes many submissions' rows together). None for the other kinds."""
    if envelope.kind == "submission":
        catalogue = ctx.catalogues.get(session, payload.catalogue_version)
        return new_case(session, envelope=envelope, application=payload, catalogue=catalogue,
                        calendar=ctx.calendar(catalogue), keys=ctx.keys, hall_code=hall_code,
                        now=now)
    if envelope.kind in EVENT_KINDS:
        return [(Event, dict(submission_id=envelope.submission_id, kiosk_id=envelope.kiosk_id,
                             kind=envelope.kind, body=payload.model_dump_json(), at=now))]
    return None


def opened_case(rows: list[tuple[type[Base], dict[str, Any]]]) -> str | None:
    """The number of the case among `new_rows`, if they open one."""
    return next((values["case_number"] for model, values in rows if model is Case), None)


def record(session: Session, ctx: "ServerContext", *, envelope: v1.SubmissionEnvelope,
           payload: v1.Request, hall_code: str, now: datetime) -> str | None:
    """Apply one decrypted, validated payload; returns the case number it opened, if any."""
    rows = new_rows(session, ctx, envelope=envelope, payload=payload, hall_code=hall_code,
                    now=now)
    if rows is not None:
        for model, values in rows:
            session.add(model(**values))
            session.flush()     # in order: a commitment's case first (its foreign key)
        return opened_case(rows)
    kind = envelope.kind
    if kind == "commitment":
        case = case_to_act_on(session, ctx, envelope, payload.case_number,
                              payload.holder_assertion, payload.followup_secret)
        apply_commitment(session, ctx, case, payload, now=now)
    elif kind == "pickup":
        apply_pickup(session, payload, envelope.kiosk_id, now)
    elif kind == "deposit":
        apply_deposit(session, payload, envelope.kiosk_id, now)
    elif kind == "rating":
        record_rating(session, ctx, envelope, payload, now)
    else:   # audit: the last of v1.PAYLOAD_MODELS' kinds
        audit.append(session, at=now, actor=f"kiosk:{envelope.kiosk_id}",
                     action=f"kiosk.{payload.action}",
                     detail={"at": payload.at.isoformat(), **payload.fields()})
        alerts.judge_audit_chain(session, envelope.kiosk_id,
                                 audit.verify_kiosk_chains(session, envelope.kiosk_id),
                                 thresholds=ctx.settings.alerts, now=now)
    return None


#: Working days hall staff have to verify, rectify and answer a bad review.
BAD_REVIEW_DAYS = 5


def record_rating(session: Session, ctx: "ServerContext", envelope: v1.SubmissionEnvelope,
                  payload: v1.RatingPayload, now: datetime) -> None:
    if payload.case_number is not None:
        case_to_act_on(session, ctx, envelope, payload.case_number, payload.holder_assertion)
    evaluation = Evaluation(submission_id=envelope.submission_id, kiosk_id=envelope.kiosk_id,
                            case_number=payload.case_number, service_code=payload.service_code,
                            target=payload.target, level=payload.level,
                            indicator_set_version=payload.indicator_set_version,
                            indicators_json=json.dumps(payload.indicators),
                            comment=payload.comment, rated_at=payload.rated_at)
    session.add(evaluation)
    if payload.level <= 2:
        session.flush()
        session.add(BadReview(evaluation_id=evaluation.id, kiosk_id=envelope.kiosk_id,
                              case_number=payload.case_number,
                              service_code=payload.service_code, level=payload.level,
                              comment=payload.comment, opened_at=now,
                              deadline=_calendar_in_use(session, ctx, envelope.kiosk_id)
                              .add_working_days(local_date(now), BAD_REVIEW_DAYS)))


def _calendar_in_use(session: Session, ctx: "ServerContext", kiosk_id: str
                     ) -> WorkingDayCalendar:
    """The calendar of the catalogue published to the kiosk's cohort: the holidays the hall
    keeps, so a deadline never falls on one."""
    kiosk = session.get(Kiosk, kiosk_id)
    try:
        published = catalogue_service.published_version(session, kiosk.cohort,
                                                         ctx.settings.default_cohort)
    except catalogue_service.CatalogueInvalid:
        return ctx.calendar(None)
    return ctx.calendar(ctx.catalogues.get(session, published.version))


def assign_parcel(session: Session, *, parcel_id: str, kiosk_id: str, locker: str,
                  size: str, case_number: str, code: str, items: list[str],
                  now: datetime, keep_days: int = 7) -> Parcel:
    """Assign a case's result to a kiosk's lockers by compartment size (the kiosk learns it
    from its desired state; staff fill a free compartment there); the pickup code itself is
    never stored."""
    case = session.get(Case, case_number)
    if case is None:
        raise ProblemError(404, "no_such_case", case_number)
    parcel = Parcel(parcel_id=parcel_id, kiosk_id=kiosk_id, locker=locker, size=size,
                    case_number=case_number, holder_hmac=case.holder_hmac,
                    code_hash=scrypt_hash(code), items_json=json.dumps(items, ensure_ascii=False),
                    expires_at=now + timedelta(days=keep_days), state="assigned")
    session.add(parcel)
    case.state, case.updated_at = v1.CaseState.ready_for_pickup.value, now
    return parcel
