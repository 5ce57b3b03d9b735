from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query
from fastapi.responses import JSONResponse

from district_server.backups import service as backups
from district_server.context import ServerContext, get_context
from district_server.errors import ProblemError, problem_responses
from district_server.kiosks.auth import Principal, ReceivedBody
from district_server.kiosks.service import require_own
from district_server.submissions import batch, service
from wire import v1

router = APIRouter(tags=["submissions"])
SubmissionIdPath = Annotated[str, Path(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-"
                                               r"[89ab][0-9a-f]{3}-[0-9a-f]{12}$")]
KioskIdPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9-]{2,39}$")]


@router.put("/v1/submissions/{submission_id}", response_model=v1.SignedReceipt,
            status_code=201,
            responses={200: {"model": v1.SignedReceipt, "description": "replay: same receipt"},
                       **problem_responses(401, 403, 409, 413, 422, 424)})
def put_submission(submission_id: SubmissionIdPath, envelope: v1.SubmissionEnvelope,
                   principal: Principal,
                   ctx: ServerContext = Depends(get_context)) -> JSONResponse:
    # sent as stored, not through the response model: a signed receipt's bytes never change
    status, receipt = service.intake(ctx, principal, submission_id, envelope)
    return JSONResponse(receipt, status_code=status)


@router.post(v1.PATH_SUBMISSION_BATCH, response_model=v1.BatchOutcomes,
             responses=problem_responses(401, 404, 413, 422))
def post_submission_batch(submissions: v1.SubmissionBatch, principal: Principal,
                          ctx: ServerContext = Depends(get_context)) -> JSONResponse:
    """Protocol v1.1 (v1.FEATURE_SUBMISSION_BATCH on the health answer): 200 with one
    outcome per submission, each what its PUT would have answered."""
    if not ctx.settings.submission_batches:
        raise ProblemError(404, "not_offered", "this server takes submissions one by one (v1)")
    return JSONResponse(batch.intake_batch(ctx, principal, submissions))


@router.post(v1.PATH_SUBMISSION_BATCH_BINARY, response_model=v1.BatchOutcomes,
             responses=problem_responses(400, 401, 404, 413, 415, 422),
             openapi_extra={"requestBody": {"required": True, "content": {
                 v1.MEDIA_TYPE_BINARY_BATCH: {"schema": {"type": "string",
                                                         "format": "binary"}}}}})
def post_binary_submission_batch(principal: Principal, body: ReceivedBody,
                                 content_type: Annotated[str, Header()] = "",
                                 ctx: ServerContext = Depends(get_context)) -> JSONResponse:
    """Protocol v1.1 without base64 (v1.FEATURE_SUBMISSION_BATCH_BINARY on the health
    answer): a v1.MEDIA_TYPE_BINARY_BATCH body, answered as POST PATH_SUBMISSION_BATCH."""
    if not (ctx.settings.submission_batches and ctx.settings.binary_submission_batches):
        raise ProblemError(404, "not_offered", "this server takes batches as JSON only")
    if content_type.split(";")[0].strip().lower() != v1.MEDIA_TYPE_BINARY_BATCH:
        raise ProblemError(415, "unsupported_media_type",
                           f"send Content-Type: {v1.MEDIA_TYPE_BINARY_BATCH}")
    return JSONResponse(batch.intake_binary_batch(ctx, principal, body))


@router.get("/v1/kiosks/{kiosk_id}/receipts", response_model=v1.ReceiptsPage,
            responses=problem_responses(401, 403))
def get_receipts(kiosk_id: KioskIdPath, principal: Principal,
                 after_seq: Annotated[int, Query(ge=0, le=2**53)] = 0,
                 limit: Annotated[int, Query(ge=1, le=v1.RECEIPTS_PAGE_LIMIT)] =
                 v1.RECEIPTS_PAGE_LIMIT,
                 features: Annotated[str, Header(alias=v1.HEADER_FEATURES)] = "",
                 ctx: ServerContext = Depends(get_context)) -> JSONResponse:
    require_own(principal, kiosk_id)
    with ctx.db.transaction() as session:
        page = service.receipts_page(session, kiosk_id, after_seq, limit, ctx.keys)
        if v1.FEATURE_BACKUP_WATERMARK in v1.features(features):
            page["backup"] = backups.signed_watermark(session, ctx.keys)
    service.check_gaps(ctx, kiosk_id)
    return JSONResponse(page)
