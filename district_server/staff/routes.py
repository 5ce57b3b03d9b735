from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query, Response

from district_server.context import ServerContext, get_context
from district_server.errors import problem_responses
from district_server.staff import schemas, service
from district_server.staff.service import StaffMember

router = APIRouter(tags=["staff"])
CaseNumber = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")]


def staff_member(authorization: Annotated[str | None, Header()] = None,
                 ctx: ServerContext = Depends(get_context)) -> StaffMember:
    with ctx.db.transaction() as session:
        return service.authenticate(session, authorization)


Staff = Annotated[StaffMember, Depends(staff_member)]


@router.get("/v1/staff/cases", response_model=schemas.StaffCases,
            responses=problem_responses(401))
def cases(member: Staff, state: Annotated[str | None, Query(max_length=30)] = None,
          limit: Annotated[int, Query(ge=1, le=500)] = 100,
          ctx: ServerContext = Depends(get_context)) -> schemas.StaffCases:
    """Cases by promised date (overdue first to see), optionally of one state."""
    with ctx.db.transaction() as session:
        return service.list_cases(session, ctx, state, limit)


@router.get("/v1/staff/cases/{case_number}", response_model=schemas.StaffCaseDetail,
            responses=problem_responses(401, 404))
def case_detail(case_number: CaseNumber, member: Staff,
                ctx: ServerContext = Depends(get_context)) -> schemas.StaffCaseDetail:
    with ctx.db.transaction() as session:
        return service.case_detail(session, ctx, member, case_number)


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
    """Every kiosk with its reported state and open alarms (supervisors)."""
    member.require("supervisor")
    with ctx.db.transaction() as session:
        return service.fleet(session)


@router.get("/v1/staff/bad-reviews", response_model=schemas.BadReviews,
            responses=problem_responses(401))
def bad_reviews(member: Staff, ctx: ServerContext = Depends(get_context)) -> schemas.BadReviews:
    """Open 差评 (ratings 1-2) by deadline: verify, rectify, answer."""
    with ctx.db.transaction() as session:
        return service.open_bad_reviews(session, ctx)


@router.post("/v1/staff/bad-reviews/{review_id}/close", status_code=204,
             response_class=Response, responses=problem_responses(401, 404, 422))
def close_bad_review(review_id: Annotated[int, Path(ge=1, le=2**62)],
                     closing: schemas.BadReviewClose, member: Staff,
                     ctx: ServerContext = Depends(get_context)) -> Response:
    with ctx.db.transaction() as session:
        service.close_bad_review(session, ctx, member, review_id, closing)
    return Response(status_code=204)
