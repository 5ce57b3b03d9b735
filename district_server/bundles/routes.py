from __future__ import annotations

from fastapi import APIRouter, Depends, Response
from fastapi.responses import FileResponse

from district_server.bundles import service
from district_server.bundles.models import BundleVersion
from district_server.context import ServerContext, get_context
from district_server.errors import ProblemError, problem_responses
from district_server.kiosks.auth import Principal
from wire import v1

router = APIRouter(tags=["bundles"])


def _stored(ctx: ServerContext, version: str) -> BundleVersion:
    with ctx.db.transaction() as session:
        row = session.get(BundleVersion, version)
        if row is None:
            raise ProblemError(404, "no_such_bundle", f"bundle version {version}")
        session.expunge(row)
        return row


@router.get(v1.PATH_BUNDLE_MANIFEST, response_class=Response,
            responses={200: {"content": {"application/json": {}},
                             "description": "canonical JSON of wire.v1.SignedBundleManifest"},
                       **problem_responses(401, 404)})
def get_manifest(version: str, principal: Principal,
                 ctx: ServerContext = Depends(get_context)) -> Response:
    """The signed manifest of a stored bundle version (DesiredState.bundle_version), signed
    again when the receipt key was switched since it was stored (like receipts)."""
    row = _stored(ctx, version)
    stored = v1.SignedBundleManifest.model_validate_json(row.signed_manifest)
    signature = ctx.keys.signed_now(stored.manifest.model_dump(mode="json"),
                                    stored.signature_b64)
    signed = v1.SignedBundleManifest(manifest=stored.manifest, signature_b64=signature)
    return Response(v1.canonical_json(signed.model_dump(mode="json")),
                    media_type="application/json")


@router.get(v1.PATH_BUNDLE_ARCHIVE, response_class=FileResponse,
            responses={200: {"content": {"application/gzip": {}}},
                       206: {"description": "the part asked for with Range"},
                       416: {"description": "a Range beyond the archive"},
                       **problem_responses(401, 404)})
def get_archive(version: str, principal: Principal,
                ctx: ServerContext = Depends(get_context)) -> FileResponse:
    """The archive, whole or the byte range asked for (an interrupted download goes on)."""
    row = _stored(ctx, version)
    path = service.archive_path(ctx.settings.resolved_bundle_dir(), row)
    if not path.is_file():
        raise ProblemError(404, "no_such_bundle",
                           f"the archive of bundle {version} is missing from the bundle directory")
    return FileResponse(path, media_type="application/gzip")
