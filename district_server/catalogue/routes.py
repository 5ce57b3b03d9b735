from __future__ import annotations

from fastapi import APIRouter, Depends, Response

from district_server.catalogue.models import CatalogueVersion
from district_server.context import ServerContext, get_context
from district_server.errors import ProblemError, problem_responses
from district_server.kiosks.auth import Principal

router = APIRouter(tags=["catalogue"])


@router.get("/v1/catalogue/{version}", response_class=Response,
            responses={200: {"content": {"application/json": {}},
                             "description": "canonical JSON of wire.v1.Catalogue"},
                       **problem_responses(401, 404)})
def get_catalogue(version: str, principal: Principal,
                  ctx: ServerContext = Depends(get_context)) -> Response:
    """The catalogue bytes whose sha256 is DesiredState.catalogue_sha256."""
    with ctx.db.transaction() as session:
        row = session.get(CatalogueVersion, version)
        if row is None:
            raise ProblemError(404, "no_such_catalogue", f"catalogue version {version}")
        return Response(row.body.encode("utf-8"), media_type="application/json",
                        headers={"ETag": f'"{row.sha256}"'})
