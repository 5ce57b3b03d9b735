from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Request, Response
from starlette.concurrency import run_in_threadpool

from district_server.blobs import service
from district_server.context import ServerContext, get_context
from district_server.errors import ProblemError, problem_responses
from district_server.kiosks.auth import Principal
from wire import v1

router = APIRouter(tags=["blobs"])
Sha256 = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")]
UploadId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]


@router.head("/v1/blobs/{sha256}", responses={200: {"description": "present"},
                                              404: {"description": "absent, or uploaded "
                                                                   "by another kiosk only"},
                                              **problem_responses(401)})
def head_blob(sha256: Sha256, principal: Principal,
              ctx: ServerContext = Depends(get_context)) -> Response:
    with ctx.db.transaction() as session:
        present = service.exists(session, sha256, principal.kiosk_id)
    return Response(status_code=200 if present else 404)


@router.post("/v1/blobs/{sha256}", response_model=v1.BlobUploadProgress, status_code=201,
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/octet-stream": {"schema": {"type": "string",
                                                                "format": "binary"}}}}},
             responses={200: {"model": v1.BlobUploadProgress,
                              "description": "already held for this kiosk"},
                        **problem_responses(400, 401, 413)})
async def post_whole_blob(sha256: Sha256, request: Request, principal: Principal,
                          response: Response,
                          ctx: ServerContext = Depends(get_context)) -> v1.BlobUploadProgress:
    """The whole blob in one request, up to the health probe's X-Kiosk-Whole-Blob-Max."""
    content = await request.body()

    def store() -> tuple[v1.BlobUploadProgress, bool]:
        with ctx.db.transaction() as session:
            return service.store_whole(session, ctx.blobs, kiosk_id=principal.kiosk_id,
                                       sha256=sha256, content=content, now=ctx.now())
    progress, new = await run_in_threadpool(store)
    response.status_code = 201 if new else 200
    return progress


@router.post("/v1/blobs/{sha256}/uploads", response_model=v1.BlobUploadCreated,
             status_code=201, responses={200: {"model": v1.BlobUploadCreated},
                                         **problem_responses(401, 413, 422)})
def create_upload(sha256: Sha256, body: v1.BlobUploadCreate, principal: Principal,
                  response: Response,
                  ctx: ServerContext = Depends(get_context)) -> v1.BlobUploadCreated:
    """201: a new upload; 200: an unfinished one resumed, or the blob is already present
    (complete=true, nothing to send)."""
    with ctx.db.transaction() as session:
        created, new = service.create_upload(
            session, ctx.blobs, kiosk_id=principal.kiosk_id, sha256=sha256, length=body.length,
            max_bytes=ctx.settings.max_blob_bytes, chunk_bytes=ctx.settings.chunk_bytes,
            now=ctx.now())
    response.status_code = 201 if new else 200
    return created


@router.head("/v1/blobs/uploads/{upload_id}",
             responses={200: {"description": "Upload-Offset header"},
                        **problem_responses(401, 403, 404)})
def head_upload(upload_id: UploadId, principal: Principal,
                ctx: ServerContext = Depends(get_context)) -> Response:
    with ctx.db.transaction() as session:
        offset = service.upload_offset(session, upload_id, principal.kiosk_id)
    return Response(status_code=200, headers={v1.HEADER_UPLOAD_OFFSET: str(offset)})


@router.patch("/v1/blobs/uploads/{upload_id}", response_model=v1.BlobUploadProgress,
              openapi_extra={"requestBody": {"required": True, "content": {
                  "application/octet-stream": {"schema": {"type": "string",
                                                                 "format": "binary"}}}}},
              responses=problem_responses(400, 401, 403, 404, 409, 413))
async def patch_upload(
        upload_id: UploadId, request: Request, principal: Principal,
        upload_offset: Annotated[int, Header(alias=v1.HEADER_UPLOAD_OFFSET, ge=0)],
        chunk_sha256: Annotated[str, Header(alias=v1.HEADER_CHUNK_SHA256,
                                            pattern=r"^[0-9a-fA-F]{64}$")],
        ctx: ServerContext = Depends(get_context)) -> v1.BlobUploadProgress:
    chunk = await request.body()

    def append() -> v1.BlobUploadProgress:
        with ctx.db.transaction() as session:
            return service.append_chunk(session, ctx.blobs, upload_id=upload_id,
                                        kiosk_id=principal.kiosk_id, offset=upload_offset,
                                        chunk_sha256=chunk_sha256, chunk=chunk, now=ctx.now())
    try:
        return await run_in_threadpool(append)
    except ProblemError as error:
        if error.error == "blob_hash_mismatch":
            await run_in_threadpool(_abandon, ctx, upload_id)
        raise


def _abandon(ctx: ServerContext, upload_id: str) -> None:
    with ctx.db.transaction() as session:
        service.abandon(session, ctx.blobs, upload_id)
