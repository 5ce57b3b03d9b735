"""Oversize and malformed bodies get a clear 413/422/401, never a 500, and change nothing."""
from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings, strategies as st

from wire import v1


def test_oversize_submission_is_413_before_parsing(kiosk, client):
    body = b'{"x":"' + b"a" * (v1.MAX_SUBMISSION_BYTES + 1) + b'"}'
    target = "/v1/submissions/01938f6e-7c3a-7def-8abc-0123456789ab"
    response = kiosk.request("PUT", target, body)
    assert response.status_code == 413
    # Also when the client does not declare the length (chunked upload).
    def chunks():
        for _ in range(20):
            yield b"a" * 100_000
    response = client.put(target, content=chunks(),
                          headers=kiosk.signed_headers("PUT", target, b""))
    assert response.status_code == 413


def test_oversize_small_endpoint_body_is_413(kiosk):
    response = kiosk.request("PATCH", f"/v1/kiosks/{kiosk.kiosk_id}/state",
                             b'{"last_errors": ["' + b"x" * 300_000 + b'"]}')
    assert response.status_code == 413


def test_malformed_json_is_422(kiosk):
    target = "/v1/submissions/01938f6e-7c3a-7def-8abc-0123456789ab"
    for body in (b"{not json", b"[]", b'{"submission_id": 5}', "北京".encode()):
        response = kiosk.request("PUT", target, body)
        assert response.status_code == 422, body
        assert response.json()["error"] == "invalid"


@settings(max_examples=50, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(st.binary(max_size=300),
                      st.dictionaries(st.text(max_size=10),
                                      st.one_of(st.none(), st.integers(), st.text(max_size=20)),
                                      max_size=6).map(lambda d: __import__("json").dumps(d).encode())))
def test_signed_garbage_never_causes_a_server_error(kiosk, body):
    for target, method in (("/v1/submissions/01938f6e-7c3a-7def-8abc-0123456789ab", "PUT"),
                           ("/v1/citizen/cases", "POST"),
                           (f"/v1/kiosks/{kiosk.kiosk_id}/state", "PATCH")):
        response = kiosk.request(method, target, body)
        assert response.status_code in (200, 401, 403, 413, 422), (target, response.text)


def test_a_nul_character_in_a_case_number_is_refused_not_a_server_error(ctx, kiosk):
    from tests.district_server.conftest import add_staff
    from tests.district_server.test_openapi import staff_session
    token = staff_session(ctx, add_staff(ctx, "administrator"))
    body = json.dumps({"case_number": "A\u0000B", "kiosk_id": kiosk.kiosk_id, "compartment": 1,
                       "items": ["licence"]}).encode()
    response = kiosk.request("POST", "/v1/staff/parcels", body,
                             headers={"Authorization": f"Bearer {token}",
                                      "Content-Type": "application/json"})
    assert response.status_code in (404, 422), response.text
