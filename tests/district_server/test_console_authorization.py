"""Every page and form of the hall console, taken from the app's registered routes, for each
staff role and for a visitor without a session: a role without the page's permission is
refused (403) before anything is looked up or changed, a role with it gets through to the
page's own answer, and a visitor is sent to sign in (pages) or refused (forms). A console
route added later without a row here fails the coverage check."""
from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute

from district_server.app import create_app
from district_server.roles import ALL_HALLS, PERMISSIONS, STAFF_ROLES, Permission, Role
from tests.district_server.conftest import add_staff
from tests.district_server.kiosk_double import application
from tests.district_server.test_access import _console_session

ORIGIN = {"Origin": "http://testserver"}
SIGNED_IN = "signed in"            # any member, whatever the role
DISTRICT = "district"              # the district's administrators only

#: (method, path) -> the permission the route needs.
CONSOLE_ROUTES: dict[tuple[str, str], Permission | str] = {
    ("GET", "/console"): SIGNED_IN,
    ("GET", "/console/account"): SIGNED_IN,
    ("POST", "/console/account/kiosk-pin"): SIGNED_IN,
    ("POST", "/console/account/staff-card"): SIGNED_IN,
    ("GET", "/console/alerts"): Permission.alerts,
    ("GET", "/console/alerts.json"): Permission.alerts,
    ("POST", "/console/alerts/{kiosk_id}/{kind}/acknowledge"): Permission.alerts,
    ("GET", "/console/bookings"): Permission.queue,
    ("POST", "/console/bookings"): Permission.queue,
    ("POST", "/console/bookings/import"): Permission.queue,
    ("POST", "/console/calls/{call_id}/close"): Permission.queue,
    ("GET", "/console/cases"): Permission.cases,
    ("GET", "/console/cases/{case_number}"): Permission.cases,
    ("GET", "/console/cases/{case_number}/scans/{sha256}"): Permission.cases,
    ("POST", "/console/cases/{case_number}/certificates"): Permission.cases,
    ("POST", "/console/cases/{case_number}/certificates/withdraw"): Permission.cases,
    ("POST", "/console/cases/{case_number}/parcel"): Permission.cases,
    ("POST", "/console/cases/{case_number}/state"): Permission.cases,
    ("POST", "/console/cases/{case_number}/supplement"): Permission.cases,
    ("GET", "/console/commands"): Permission.commands,
    ("GET", "/console/figures"): Permission.reviews,
    ("GET", "/console/figures.csv"): Permission.reviews,
    ("GET", "/console/fleet"): Permission.fleet,
    ("GET", "/console/intake"): Permission.cases,
    ("POST", "/console/intake"): Permission.cases,
    ("GET", "/console/kiosks/{kiosk_id}"): Permission.fleet,
    ("GET", "/console/kiosks/{kiosk_id}/commands"): Permission.commands,
    ("POST", "/console/kiosks/{kiosk_id}/commands"): Permission.commands,
    ("GET", "/console/kiosks/{kiosk_id}/logs/{command_id}"): Permission.commands,
    ("POST", "/console/kiosks/{kiosk_id}/revoke"): Permission.fleet,
    ("GET", "/console/lockers"): Permission.cases,
    ("POST", "/console/parcels/{parcel_id}/recall"): Permission.cases,
    ("POST", "/console/queue/{category}/call-next"): Permission.queue,
    ("GET", "/console/reviews"): Permission.reviews,
    ("POST", "/console/reviews/{review_id}/close"): Permission.reviews,
    ("GET", "/console/rollouts"): Permission.fleet,
    ("POST", "/console/rollouts/config"): DISTRICT,
    ("GET", "/console/rota"): SIGNED_IN,
    ("POST", "/console/rota"): Permission.rota,
    ("POST", "/console/rota/{shift_id}/remove"): Permission.rota,
    ("GET", "/console/staff"): Permission.staff,
    ("POST", "/console/staff/{staff_id}/revoke"): Permission.staff,
}
#: Signing in and out are what a visitor and every member may do.
OPEN_ROUTES = {("GET", "/console/login"), ("POST", "/console/login"),
               ("POST", "/console/logout")}
QUERIES = {"/console/figures": "from=2026-09-01&to=2026-09-30",
           "/console/figures.csv": "from=2026-09-01&to=2026-09-30"}


def _api_routes(routes) -> list[APIRoute]:
    """The app's routes, through the routers it includes (none of them has a prefix)."""
    found = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            found += _api_routes(route.original_router.routes)
    return found


def _registered_console_routes(ctx) -> set[tuple[str, str]]:
    app = create_app(ctx.settings, context=ctx)
    return {(method, route.path) for route in _api_routes(app.routes)
            if route.path.startswith("/console") for method in route.methods}


def test_every_console_route_has_a_row(ctx):
    assert _registered_console_routes(ctx) == set(CONSOLE_ROUTES) | OPEN_ROUTES


def _url(path: str, subjects: dict[str, str]) -> str:
    url = re.sub(r"\{(\w+)\}", lambda match: subjects[match[1]], path)
    return f"{url}?{QUERIES[path]}" if path in QUERIES else url


def _subjects(ctx, kiosk) -> dict[str, str]:
    photo = kiosk.upload_blob(kiosk.encrypt_blob(b"photo"))
    submitted = kiosk.put(kiosk.envelope("submission", application(photo_blob=photo),
                                         blobs=[photo]))
    assert submitted.status_code == 201, submitted.text
    call = kiosk.request("POST", "/v1/citizen/staff-call", {"reason": "other"}).json()
    return {"case_number": submitted.json()["receipt"]["case_number"], "sha256": photo,
            "kiosk_id": kiosk.kiosk_id, "kind": "offline", "call_id": call["call_id"],
            "command_id": "1", "parcel_id": "P-none", "category": "civil",
            "review_id": "1", "shift_id": "1",
            "staff_id": add_staff(ctx, "clerk", "FT-CENTRE", "victim-clerk")}


def _request(client, method: str, url: str, csrf: str):
    if method == "GET":
        return client.get(url, follow_redirects=False)
    return client.post(url, data={"csrf": csrf}, headers=ORIGIN, follow_redirects=False)


def _answer(response) -> str:
    if response.status_code == 303 and response.headers["location"] == "/console/login":
        return "sign in"
    return "refused" if response.status_code in (401, 403) else "through"


@pytest.mark.parametrize("role", [role.value for role in STAFF_ROLES])
def test_a_role_gets_through_only_to_what_it_may_do(ctx, client, kiosk, role):
    subjects = _subjects(ctx, kiosk)
    csrf = _console_session(ctx, client, role)
    allowed = PERMISSIONS[Role(role)]
    got, expected = {}, {}
    # revoking comes last: the kiosk and the clerk revoked must not change the other rows
    for (method, path), permission in sorted(CONSOLE_ROUTES.items(),
                                             key=lambda row: "revoke" in row[0][1]):
        got[method, path] = _answer(_request(client, method, _url(path, subjects), csrf))
        expected[method, path] = ("through" if permission == SIGNED_IN
                                  or permission == DISTRICT and Role(role) in ALL_HALLS
                                  or permission in allowed else "refused")
    wrong = {key: (got[key], expected[key]) for key in expected if got[key] != expected[key]}
    assert not wrong, "(got, expected): " + repr(wrong)


def test_a_visitor_without_a_session_is_sent_to_sign_in_or_refused(ctx, client, kiosk):
    subjects = _subjects(ctx, kiosk)
    got = {(method, path): _answer(_request(client, method, _url(path, subjects), "forged"))
           for method, path in CONSOLE_ROUTES}
    # a page sends the visitor to sign in; a form, and the alerts page's polled JSON, refuse
    wrong = {key: answer for key, answer in got.items()
             if answer != ("sign in" if key[0] == "GET" and not key[1].endswith(".json")
                           else "refused")}
    assert not wrong, repr(wrong)


BROWSER = {**ORIGIN, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def test_a_member_refused_in_the_browser_reads_why_with_the_way_back(ctx, client, kiosk):
    """A technician who follows a clerk's link to call the next ticket, or opens the cases
    page, reads the refusal on a page (it was the Problem's JSON); a program asking the
    same still gets the Problem."""
    csrf = _console_session(ctx, client, "technician")
    call_next = "/console/queue/civil/call-next"
    for refused in (client.post(call_next, data={"csrf": csrf}, headers=BROWSER,
                                follow_redirects=False),
                    client.get("/console/cases", headers=BROWSER)):
        assert refused.status_code == 403
        assert refused.headers["content-type"].startswith("text/html")
        assert "Not permitted for your role" in refused.text and "返回 Back" in refused.text
    program = client.post(call_next, data={"csrf": csrf}, headers=ORIGIN,
                          follow_redirects=False)
    assert program.status_code == 403 and program.json()["error"] == "role_required"
