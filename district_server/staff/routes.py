from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response

from district_server import ratelimit
from district_server.context import ServerContext, get_context
from district_server.errors import problem_responses
from district_server.kiosks import alerts, service as kiosks
from district_server.staff import accounts, schemas, service
from district_server.staff.accounts import StaffMember

router = APIRouter(tags=["staff"])
CaseNumber = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")]
StaffId = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")]
KioskId = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9-]{2,39}$")]


def staff_member(authorization: Annotated[str | None, Header()] = None,
                 ctx: ServerContext = Depends(get_context)) -> StaffMember:
    with ctx.db.transaction() as session:
        return accounts.authenticate(session, authorization, now=ctx.now())


Staff = Annotated[StaffMember, Depends(staff_member)]


def sign_in(ctx: ServerContext, client: str, staff_id: str,
            password: str) -> tuple[str, datetime]:
    """Rate-limited per client address, locked out per account; raises the refusal."""
    attempts, window = ctx.settings.login_attempts_per_client
    ratelimit.hit(ctx.db, f"login:{client}", limit=attempts, window_s=window, now=ctx.now())
    policy = accounts.LoginPolicy(ctx.settings.staff_session_ttl_s,
                                  ctx.settings.staff_lockout_after, ctx.settings.staff_lockout_s)
    with ctx.db.transaction() as session:
        outcome = accounts.login(session, staff_id, password, now=ctx.now(), policy=policy)
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post("/v1/staff/login", response_model=schemas.StaffSessionStarted,
             responses=problem_responses(401, 423, 429))
def login(body: schemas.StaffLogin, request: Request,
          ctx: ServerContext = Depends(get_context)) -> schemas.StaffSessionStarted:
    """Sign in with staff id and password; the session token goes in Authorization: Bearer."""
    token, expires = sign_in(ctx, client_address(request), body.staff_id, body.password)
    return schemas.StaffSessionStarted(token=token, expires_at=expires)


@router.post("/v1/staff/logout", status_code=204, response_class=Response,
             responses=problem_responses(401))
def logout(member: Staff, authorization: Annotated[str, Header()],
           ctx: ServerContext = Depends(get_context)) -> Response:
    with ctx.db.transaction() as session:
        accounts.logout(session, authorization, now=ctx.now())
    return Response(status_code=204)


@router.get("/v1/staff/accounts", response_model=schemas.StaffAccounts,
            responses=problem_responses(401, 403))
def staff_accounts(member: Staff, ctx: ServerContext = Depends(get_context)
                   ) -> schemas.StaffAccounts:
    """Staff of the member's hall (supervisors) or of every hall (administrators)."""
    with ctx.db.transaction() as session:
        return schemas.StaffAccounts(accounts=[schemas.StaffAccountView(
            staff_id=a.staff_id, name=a.name, role=a.role, hall_code=a.hall_code,
            revoked=a.revoked_at is not None) for a in accounts.accounts_visible_to(session,
                                                                                   member)])


@router.post("/v1/staff/accounts/{staff_id}/revoke", status_code=204, response_class=Response,
             responses=problem_responses(401, 403, 404))
def revoke_staff(staff_id: StaffId, member: Staff,
                 ctx: ServerContext = Depends(get_context)) -> Response:
    with ctx.db.transaction() as session:
        accounts.revoke(session, staff_id, now=ctx.now(), by=member)
    return Response(status_code=204)


@router.post("/v1/staff/kiosks/{kiosk_id}/revoke", status_code=204, response_class=Response,
             responses=problem_responses(401, 403, 404))
def revoke_kiosk(kiosk_id: KioskId, member: Staff,
                 ctx: ServerContext = Depends(get_context)) -> Response:
    """The kiosk's signed requests fail from now on; a new enrolment token re-admits it."""
    with ctx.db.transaction() as session:
        kiosks.revoke(session, kiosk_id, now=ctx.now(), by=member)
    return Response(status_code=204)


@router.get("/v1/staff/cases", response_model=schemas.StaffCases,
            responses=problem_responses(401))
def cases(member: Staff, state: Annotated[str | None, Query(max_length=30)] = None,
          limit: Annotated[int, Query(ge=1, le=500)] = 100,
          ctx: ServerContext = Depends(get_context)) -> schemas.StaffCases:
    """Cases by promised date (overdue first to see), optionally of one state."""
    with ctx.db.transaction() as session:
        return service.list_cases(session, ctx, member, state, limit)


@router.get("/v1/staff/cases/{case_number}", response_model=schemas.StaffCaseDetail,
            responses=problem_responses(401, 404))
def case_detail(case_number: CaseNumber, member: Staff,
                ctx: ServerContext = Depends(get_context)) -> schemas.StaffCaseDetail:
    with ctx.db.transaction() as session:
        return service.case_detail(session, ctx, member, case_number)


@router.post("/v1/staff/cases/{case_number}/followup-secret",
             response_model=schemas.FollowupSecretIssued, responses=problem_responses(401, 404))
def reissue_followup_secret(case_number: CaseNumber, member: Staff,
                            ctx: ServerContext = Depends(get_context)
                            ) -> schemas.FollowupSecretIssued:
    """A new secret for the case's receipt QR (a lost receipt); the old one stops working."""
    with ctx.db.transaction() as session:
        return service.reissue_followup_secret(session, ctx, member, case_number)


@router.post("/v1/staff/cases/{case_number}/supplement-request",
             response_model=schemas.StaffCase, responses=problem_responses(401, 404, 409, 422))
def request_supplement(case_number: CaseNumber, request: schemas.SupplementRequest,
                       member: Staff, ctx: ServerContext = Depends(get_context)
                       ) -> schemas.StaffCase:
    """补正: the case waits for these materials; the applicant gets one text about it."""
    with ctx.db.transaction() as session:
        return service.request_supplement(session, ctx, member, case_number, request)


@router.post("/v1/staff/cases/{case_number}/state", response_model=schemas.StaffCase,
             responses=problem_responses(401, 404, 409, 422))
def change_state(case_number: CaseNumber, change: schemas.CaseStateChange, member: Staff,
                 ctx: ServerContext = Depends(get_context)) -> schemas.StaffCase:
    with ctx.db.transaction() as session:
        return service.change_state(session, ctx, member, case_number, change)


@router.post("/v1/staff/parcels", response_model=schemas.ParcelAssigned, status_code=201,
             responses=problem_responses(401, 404, 409, 422))
def assign_parcel(request: schemas.ParcelAssign, member: Staff,
                  ctx: ServerContext = Depends(get_context)) -> schemas.ParcelAssigned:
    """Reserve a kiosk locker compartment for a completed case; the pickup code is returned
    once (for the text message) and stored only as a hash."""
    with ctx.db.transaction() as session:
        return service.place_parcel(session, ctx, member, request)


@router.get("/v1/staff/parcels/{parcel_id}", response_model=schemas.ParcelView,
            responses=problem_responses(401, 404))
def parcel(parcel_id: Annotated[str, Path(max_length=64)], member: Staff,
           ctx: ServerContext = Depends(get_context)) -> schemas.ParcelView:
    with ctx.db.transaction() as session:
        return service.parcel_view(session, ctx, member, parcel_id)


@router.post("/v1/staff/parcels/{parcel_id}/recall", status_code=204, response_class=Response,
             responses=problem_responses(401, 404))
def recall_parcel(parcel_id: Annotated[str, Path(max_length=64)], member: Staff,
                  ctx: ServerContext = Depends(get_context)) -> Response:
    with ctx.db.transaction() as session:
        service.recall_parcel(session, ctx, member, parcel_id)
    return Response(status_code=204)


@router.post("/v1/staff/queue/{category}/call-next", response_model=schemas.TicketCalled,
             responses=problem_responses(401, 404, 422))
def call_next(category: Annotated[str, Path(max_length=64)], body: schemas.CallNext,
              member: Staff, ctx: ServerContext = Depends(get_context)) -> schemas.TicketCalled:
    with ctx.db.transaction() as session:
        return service.call_next(session, ctx, member, category, body.window)


@router.get("/v1/staff/staff-calls", response_model=schemas.StaffCalls,
            responses=problem_responses(401))
def staff_calls(member: Staff, ctx: ServerContext = Depends(get_context)) -> schemas.StaffCalls:
    with ctx.db.transaction() as session:
        return service.open_calls(session, member)


@router.post("/v1/staff/staff-calls/{call_id}/close", status_code=204, response_class=Response,
             responses=problem_responses(401, 404))
def close_call(call_id: Annotated[str, Path(max_length=40)], member: Staff,
               ctx: ServerContext = Depends(get_context)) -> Response:
    with ctx.db.transaction() as session:
        service.close_call(session, ctx, member, call_id)
    return Response(status_code=204)


@router.get("/v1/staff/fleet", response_model=schemas.Fleet, responses=problem_responses(401, 403))
def fleet(member: Staff, ctx: ServerContext = Depends(get_context)) -> schemas.Fleet:
    """Kiosks of the hall (every hall: administrators) with reported state and open alarms."""
    with ctx.db.transaction() as session:
        return service.fleet(session, member, now=ctx.now())


@router.get("/v1/staff/alerts", response_model=schemas.Alerts,
            responses=problem_responses(401, 403))
def open_alerts(member: Staff, ctx: ServerContext = Depends(get_context)) -> schemas.Alerts:
    """The raised, uncleared alerts of the hall's kiosks (every hall: administrators)."""
    with ctx.db.transaction() as session:
        found = alerts.open_alerts(session, member, now=ctx.now())
    return schemas.Alerts(alerts=found)


@router.post("/v1/staff/alerts/{kiosk_id}/{kind}/acknowledge", status_code=204,
             response_class=Response, responses=problem_responses(401, 403, 404))
def acknowledge_alert(kiosk_id: KioskId, kind: Annotated[str, Path(max_length=40)],
                      member: Staff, ctx: ServerContext = Depends(get_context)) -> Response:
    with ctx.db.transaction() as session:
        alerts.acknowledge(session, member, kiosk_id, kind, now=ctx.now())
    return Response(status_code=204)


@router.get("/v1/staff/bad-reviews", response_model=schemas.BadReviews,
            responses=problem_responses(401, 403))
def bad_reviews(member: Staff, ctx: ServerContext = Depends(get_context)) -> schemas.BadReviews:
    """Open 差评 (ratings 1-2) by deadline: verify, rectify, answer."""
    with ctx.db.transaction() as session:
        return service.open_bad_reviews(session, ctx, member)


@router.post("/v1/staff/bad-reviews/{review_id}/close", status_code=204,
             response_class=Response, responses=problem_responses(401, 404, 422))
def close_bad_review(review_id: Annotated[int, Path(ge=1, le=2**62)],
                     closing: schemas.BadReviewClose, member: Staff,
                     ctx: ServerContext = Depends(get_context)) -> Response:
    with ctx.db.transaction() as session:
        service.close_bad_review(session, ctx, member, review_id, closing)
    return Response(status_code=204)
