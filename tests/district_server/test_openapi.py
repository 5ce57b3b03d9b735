"""Schema-driven test: schemathesis generates requests for every operation of the published
OpenAPI document; each is signed by an enrolled kiosk (so it reaches the handlers, not just
the signature check) and the response must be no server error and conform to the document."""
from __future__ import annotations

import json
from urllib.parse import urlencode, urlsplit

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.specs.openapi.checks import (content_type_conformance,
                                               response_schema_conformance,
                                               status_code_conformance)
from schemathesis.checks import not_a_server_error

from district_server.app import create_app
from district_server.staff import accounts
from tests.district_server.conftest import STAFF_PASSWORD, add_staff

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.fixture
def schema(ctx):
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(ctx.settings, context=ctx))


def staff_session(ctx, staff_id: str) -> str:
    policy = accounts.LoginPolicy(3600, 5, 60)
    with ctx.db.transaction() as session:
        token, _expires = accounts.login(session, staff_id, STAFF_PASSWORD, now=ctx.now(),
                                         policy=policy)
    return token


def signed_call(kiosk, case, staff_token):
    """staff_token: a function giving the session token to send (a fresh one for logout)."""
    target_path = case.operation.path
    if "kiosk_id" in (case.path_parameters or {}) and not target_path.startswith("/v1/staff/"):
        case.path_parameters["kiosk_id"] = kiosk.kiosk_id
    kwargs = case.as_transport_kwargs(base_url="http://testserver")
    target = urlsplit(kwargs["url"]).path
    if kwargs.get("params"):
        target += "?" + urlencode(kwargs["params"], doseq=True)
    if "json" in kwargs:
        body = json.dumps(kwargs["json"]).encode()
    else:
        body = kwargs.get("data") or b""
        body = body.encode() if isinstance(body, str) else body
    headers = {k: str(v) for k, v in (kwargs.get("headers") or {}).items()
               if not k.lower().startswith("x-kiosk-") and k.lower() != "authorization"}
    if target.startswith("/v1/staff/"):
        headers["Authorization"] = f"Bearer {staff_token(target_path)}"
    return kiosk.request(kwargs["method"], target, body, headers=headers)


def test_every_operation_against_the_openapi_document(schema, kiosk, ctx):
    staff_id = add_staff(ctx, "administrator")
    kept = staff_session(ctx, staff_id)

    def staff_token(path: str) -> str:
        return staff_session(ctx, staff_id) if path == "/v1/staff/logout" else kept
    operations = [result.ok() for result in schema.get_all_operations()]
    paths = {op.path for op in operations}
    assert {"/v1/health", "/v1/enroll", "/v1/submissions/{submission_id}",
            "/v1/blobs/{sha256}/uploads", "/v1/citizen/cases"} <= paths
    failures, reached = [], set()
    for operation in operations:
        # derandomized: the same examples every run, so CI cannot meet a new one by chance
        @settings(max_examples=12, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def exercise(case):
            try:
                response = signed_call(kiosk, case, staff_token)
                if response.status_code != 401:
                    reached.add(operation.path)
                case.validate_response(response, checks=CHECKS)
            except Exception as error:       # collect every operation's failures, then report
                failures.append(f"{operation.method.upper()} {operation.path}: "
                                f"{type(error).__name__}: {error}")
        exercise()
    assert not failures, "\n".join(failures[:5])
    # The signing worked: requests got past authentication into the handlers.
    assert len(reached) >= len(paths) - 1, sorted(paths - reached)
