from __future__ import annotations

import base64
from typing import Annotated

from fastapi import APIRouter, Depends, Path

from district_server import ratelimit
from district_server.cases.service import local_date
from district_server.citizens import certificates as certificates_on_file, service
from district_server.context import ServerContext, get_context
from district_server.errors import ProblemError, problem_responses
from district_server.kiosks.auth import Principal, ReceivedJson
from wire import v1

router = APIRouter(tags=["citizens"])
CITIZEN_ERRORS = problem_responses(401, 403, 422)


@router.post("/v1/citizen/cases", response_model=v1.CasesResponse, responses=CITIZEN_ERRORS)
def cases(body: v1.CitizenRequest, principal: Principal, received: ReceivedJson,
          ctx: ServerContext = Depends(get_context)) -> v1.CasesResponse:
    """The citizen's cases across kiosks and halls, with states and promised dates."""
    with ctx.db.transaction() as session:
        holder = service.check_assertion(session, ctx, principal, body.assertion,
                                         received["assertion"],
                                         allowed=service.IDENTIFIED, action="cases")
        return service.cases_of(session, ctx, holder)


@router.post(v1.PATH_CITIZEN_FOLLOWUP_CASE, response_model=v1.CaseSummary,
             responses=problem_responses(401, 404, 422))
def followup_case(body: v1.FollowupCaseRequest, principal: Principal,
                  ctx: ServerContext = Depends(get_context)) -> v1.CaseSummary:
    """The case a receipt's QR names, for the kiosk's 补交 (supply) journey: what it still
    owes and by when. 404 alike for no such case and a wrong or re-issued secret."""
    with ctx.db.transaction() as session:
        case = service.case_by_receipt(session, ctx, principal, body.case_number,
                                       body.followup_secret)
        if case is None:
            raise ProblemError(404, "no_such_case", "no case with this receipt code")
        return case


@router.post("/v1/citizen/certificates", response_model=v1.CertificatesResponse,
             responses=CITIZEN_ERRORS)
def certificates(body: v1.CertificatesRequest, principal: Principal, received: ReceivedJson,
                 ctx: ServerContext = Depends(get_context)) -> v1.CertificatesResponse:
    """Certificates on file that can stand in for paper materials (零材料): the e-licence
    library's and those kept from the citizen's own scans."""
    with ctx.db.transaction() as session:
        holder = service.check_assertion(session, ctx, principal, body.assertion,
                                         received["assertion"],
                                         allowed=service.IDENTIFIED, action="certificates")
        kept = certificates_on_file.on_file(session, holder, local_date(ctx.now()))
    found = ctx.photos.certificates(holder) + kept
    if body.elicence_types:
        found = [c for c in found if c.elicence_type in body.elicence_types]
    return v1.CertificatesResponse(certificates=found)


@router.post(v1.PATH_CITIZEN_CERTIFICATE_WITHDRAW, response_model=v1.CertificatesResponse,
             responses={**CITIZEN_ERRORS, **problem_responses(404)})
def withdraw_certificate(body: v1.CertificateWithdrawRequest, principal: Principal,
                         received: ReceivedJson, ctx: ServerContext = Depends(get_context)
                         ) -> v1.CertificatesResponse:
    """The citizen withdraws their consent: the kept certificate and its scans are deleted;
    answers the kept certificates that remain."""
    with ctx.db.transaction() as session:
        holder = service.check_assertion(session, ctx, principal, body.assertion,
                                         received["assertion"], allowed=service.IDENTIFIED,
                                         action="certificate_withdraw")
        scans = certificates_on_file.withdraw(session, holder, body.certificate_id,
                                              actor=f"kiosk:{principal.kiosk_id}",
                                              now=ctx.now())
        remaining = certificates_on_file.on_file(session, holder, local_date(ctx.now()))
    certificates_on_file.remove_scans(ctx, scans)
    return v1.CertificatesResponse(certificates=remaining)


@router.post("/v1/citizen/reference-photo", response_model=v1.ReferencePhotoResponse,
             responses={**CITIZEN_ERRORS, **problem_responses(404)})
def reference_photo(body: v1.CitizenRequest, principal: Principal, received: ReceivedJson,
                    ctx: ServerContext = Depends(get_context)) -> v1.ReferencePhotoResponse:
    """The registry photo to match the live face against; needs only the document read."""
    with ctx.db.transaction() as session:
        holder = service.check_assertion(session, ctx, principal, body.assertion,
                                         received["assertion"],
                                         allowed=service.DOCUMENT_READ, action="reference_photo")
    photo = ctx.photos.photo(holder)
    if photo is None:
        raise ProblemError(404, "no_reference_photo", f"provider {ctx.photos.name} has none")
    return v1.ReferencePhotoResponse(photo_b64=base64.b64encode(photo.data).decode("ascii"),
                                     media_type=photo.media_type, source=photo.source)


@router.post("/v1/citizen/appointments", response_model=v1.AppointmentsResponse,
             responses=CITIZEN_ERRORS)
def appointments(body: v1.CitizenRequest, principal: Principal, received: ReceivedJson,
                 ctx: ServerContext = Depends(get_context)) -> v1.AppointmentsResponse:
    with ctx.db.transaction() as session:
        holder = service.check_assertion(session, ctx, principal, body.assertion,
                                         received["assertion"],
                                         allowed=service.IDENTIFIED, action="appointments")
        return service.appointments_of(session, ctx, principal, holder)


@router.post("/v1/citizen/appointments/{appointment_id}/check-in",
             response_model=v1.CheckInResponse,
             responses={**CITIZEN_ERRORS, **problem_responses(404, 409)})
def check_in(appointment_id: Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")],
             body: v1.CitizenRequest, principal: Principal, received: ReceivedJson,
             ctx: ServerContext = Depends(get_context)) -> v1.CheckInResponse:
    with ctx.db.transaction() as session:
        holder = service.check_assertion(session, ctx, principal, body.assertion,
                                         received["assertion"],
                                         allowed=service.IDENTIFIED, action="check_in")
        return service.check_in(session, ctx, principal, holder, appointment_id)


@router.post("/v1/citizen/check-in", response_model=v1.CheckInResponse,
             responses={**CITIZEN_ERRORS, **problem_responses(404, 409, 429)})
def check_in_by_code(body: v1.BookingCheckInRequest, principal: Principal, received: ReceivedJson,
                     ctx: ServerContext = Depends(get_context)) -> v1.CheckInResponse:
    """Check in with the booking code (typed or scanned); issues the appointment's ticket.
    Guessing is rate-limited per kiosk and per code (429 with Retry-After)."""
    settings, now = ctx.settings, ctx.now()
    for key, (limit, window) in (
            (f"booking:kiosk:{principal.kiosk_id}", settings.booking_code_attempts_per_kiosk),
            (f"booking:code:{v1.sha256_hex(body.booking_code.encode())[:32]}",
             settings.booking_code_attempts_per_code)):
        ratelimit.hit(ctx.db, key, limit=limit, window_s=window, now=now)
    with ctx.db.transaction() as session:
        return service.check_in_by_code(session, ctx, principal, body.booking_code)


@router.post("/v1/citizen/tickets", response_model=v1.QueueTicket,
             responses={**CITIZEN_ERRORS, **problem_responses(503)})
def ticket(body: v1.TicketRequest, principal: Principal, received: ReceivedJson,
           ctx: ServerContext = Depends(get_context)) -> v1.QueueTicket:
    """A queue ticket for a service category, with the number of people waiting ahead.
    Priority tickets need the assertion of the document read (it shows age or disability)."""
    with ctx.db.transaction() as session:
        holder = None
        if body.assertion is not None:
            holder = service.check_assertion(session, ctx, principal, body.assertion,
                                             received["assertion"],
                                             allowed=service.DOCUMENT_READ, action="ticket")
        elif body.priority != "normal":
            raise ProblemError(403, "identification_required",
                               "a priority ticket needs the citizen's document read")
        return service.issue_ticket(session, ctx, principal, category=body.category,
                                    priority=body.priority, holder=holder)


@router.post("/v1/citizen/staff-call", response_model=v1.StaffCallResponse,
             responses=CITIZEN_ERRORS)
def staff_call(body: v1.StaffCallRequest, principal: Principal, received: ReceivedJson,
               ctx: ServerContext = Depends(get_context)) -> v1.StaffCallResponse:
    with ctx.db.transaction() as session:
        holder = None
        if body.assertion is not None:
            holder = service.check_assertion(session, ctx, principal, body.assertion,
                                             received["assertion"],
                                             allowed=service.DOCUMENT_READ + ("pickup_code",),
                                             action="staff_call_identified")
        return service.staff_call(session, ctx, principal, reason=body.reason,
                                  journey=body.journey, holder=holder)


@router.get("/v1/queue/categories", response_model=v1.QueueCategoriesResponse,
            responses=problem_responses(401))
def queue_categories(principal: Principal, received: ReceivedJson,
                     ctx: ServerContext = Depends(get_context)) -> v1.QueueCategoriesResponse:
    """Service categories of the kiosk's hall with today's waiting counts (no personal data)."""
    with ctx.db.transaction() as session:
        return service.queue_categories(session, ctx, hall_code=principal.hall_code,
                                        cohort=principal.cohort)
