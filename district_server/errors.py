"""Every error leaves as a `wire.v1.Problem` with a stable code."""
from __future__ import annotations

import logging
from typing import Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from wire import v1


log = logging.getLogger(__name__)


class ProblemError(Exception):
    def __init__(self, status: int, error: str, detail: str = "", *,
                 missing: list[str] | None = None, headers: dict[str, str] | None = None):
        super().__init__(f"{status} {error}: {detail}")
        self.status, self.error, self.detail = status, error, detail
        self.missing, self.headers = missing, headers

    def body(self) -> dict:
        """The v1.Problem body."""
        return v1.Problem(error=self.error, detail=self.detail, missing=self.missing
                          ).model_dump(mode="json", exclude_none=True)

    def response(self) -> JSONResponse:
        return JSONResponse(self.body(), status_code=self.status, headers=self.headers)


def problem_responses(*statuses: int) -> dict[int, dict]:
    """OpenAPI `responses=` entry documenting Problem bodies for these statuses."""
    return {status: {"model": v1.Problem} for status in statuses}


def _summarise(error: RequestValidationError) -> str:
    parts = []
    for item in error.errors()[:5]:
        where = ".".join(str(p) for p in item.get("loc", ()))
        parts.append(f"{where}: {item.get('msg', '')}")
    return "; ".join(parts)


#: A page in place of a Problem for a request a person made in a browser (None: the Problem).
PageFor = Callable[[Request, ProblemError], "Response | None"]


def install(app: FastAPI, *, page_for: PageFor | None = None) -> None:
    def answer(request: Request, error: ProblemError) -> Response:
        page = page_for(request, error) if page_for else None
        return page if page is not None else error.response()

    @app.exception_handler(ProblemError)
    async def _problem(request: Request, error: ProblemError) -> Response:
        return answer(request, error)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> Response:
        return answer(request, ProblemError(422, "invalid", _summarise(error)))

    @app.exception_handler(DataError)
    async def _unstorable(_request: Request, error: DataError) -> JSONResponse:
        # the database refused a value the request carried (a NUL byte in a text, a number
        # beyond its column): the client's input, not a server fault; the value is not logged
        log.info("request value refused by the database: %s", type(error.orig).__name__)
        return ProblemError(422, "unstorable_value", "a value in the request cannot be "
                                                     "stored (a NUL character or a number out "
                                                     "of range)").response()

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, error: Exception) -> JSONResponse:
        log.error("unhandled error", exc_info=error)
        return ProblemError(500, "internal", "unexpected server error; retry later").response()

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        if error.status_code == 400:      # FastAPI could not parse the body: same as invalid
            return ProblemError(422, "invalid", str(error.detail)).response()
        return ProblemError(error.status_code, f"http_{error.status_code}",
                            str(error.detail)).response()
