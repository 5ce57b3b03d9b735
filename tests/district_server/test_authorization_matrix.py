"""The authorization matrix against uvicorn on loopback: every staff role x every staff route
x a subject of the member's own hall and of another hall, and every kiosk route x the
kiosk's own data and another kiosk's, each with the status it must get.

Each role works on subjects of its own (cases, calls, reviews, staff, kiosks), so the rows
are independent of the order they run in."""
from __future__ import annotations

import shutil
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import func, select

from district_server.cases.models import BadReview
from district_server.cases.service import assign_parcel
from wire import v1
from tests.district_server.conftest import add_staff, enrolled_kiosk, staff_headers
from tests.district_server.kiosk_double import KioskDouble, application

OWN_HALL, OTHER_HALL = "FT-CENTRE", "NS-EAST"
ROLES = ("clerk", "supervisor", "technician", "administrator")

#: route -> role -> (status for a subject of the member's hall, for one of another hall).
#: Routes without a subject (lists, the hall's own queue) have one status.
STAFF_MATRIX: dict[str, dict[str, tuple[int, int] | int]] = {
    "list cases":        {"clerk": 200, "supervisor": 200, "technician": 403, "administrator": 200},
    "case detail":       {"clerk": (200, 404), "supervisor": (200, 404),
                          "technician": (403, 403), "administrator": (200, 200)},
    "change state":      {"clerk": (200, 404), "supervisor": (200, 404),
                          "technician": (403, 403), "administrator": (200, 200)},
    # asked after "change state" completed the case: allowed through to the state check
    "request supplement": {"clerk": (409, 404), "supervisor": (409, 404),
                           "technician": (403, 403), "administrator": (409, 409)},
    "reissue followup":  {"clerk": (200, 404), "supervisor": (200, 404),
                          "technician": (403, 403), "administrator": (200, 200)},
    "place parcel":      {"clerk": (201, 404), "supervisor": (201, 404),
                          "technician": (403, 403), "administrator": (201, 201)},
    "recall parcel":     {"clerk": (204, 404), "supervisor": (204, 404),
                          "technician": (403, 403), "administrator": (204, 204)},
    "call next":         {"clerk": 200, "supervisor": 200, "technician": 403, "administrator": 200},
    "list staff calls":  {"clerk": 200, "supervisor": 200, "technician": 403, "administrator": 200},
    "close staff call":  {"clerk": (204, 404), "supervisor": (204, 404),
                          "technician": (403, 403), "administrator": (204, 204)},
    "fleet":             {"clerk": 403, "supervisor": 403, "technician": 200, "administrator": 200},
    "list bad reviews":  {"clerk": 403, "supervisor": 200, "technician": 403, "administrator": 200},
    "close bad review":  {"clerk": (403, 403), "supervisor": (204, 404),
                          "technician": (403, 403), "administrator": (204, 204)},
    "list staff":        {"clerk": 403, "supervisor": 200, "technician": 403, "administrator": 200},
    "revoke staff":      {"clerk": (403, 403), "supervisor": (204, 404),
                          "technician": (403, 403), "administrator": (204, 204)},
    "send command":      {"clerk": (403, 403), "supervisor": (201, 404),
                          "technician": (403, 403), "administrator": (201, 201)},
    "list commands":     {"clerk": (403, 403), "supervisor": (200, 404),
                          "technician": (403, 403), "administrator": (200, 200)},
    "revoke kiosk":      {"clerk": (403, 403), "supervisor": (403, 403),
                          "technician": (204, 404), "administrator": (204, 204)},
}


@dataclass
class Subjects:
    """What one role acts on, in one hall."""
    case: str
    parcel: str
    call: str
    review: int
    victim_staff: str
    victim_kiosk: str
    parcel_kiosk: str


def _case(kiosk: KioskDouble) -> str:
    photo = kiosk.upload_blob(kiosk.encrypt_blob(b"photo " + kiosk.kiosk_id.encode()))
    response = kiosk.put(kiosk.envelope("submission", application(photo_blob=photo),
                                        blobs=[photo]))
    assert response.status_code == 201, response.text
    return response.json()["receipt"]["case_number"]


def _subjects(ctx, http, kiosk: KioskDouble, hall: str, role: str) -> Subjects:
    case, parcel_case = _case(kiosk), _case(kiosk)
    call = kiosk.request("POST", "/v1/citizen/staff-call", {"reason": "other"}).json()["call_id"]
    rating = {"level": 1, "indicator_set_version": "gd-2020", "comment": "slow",
              "rated_at": "2026-11-26T10:00:00Z"}
    assert kiosk.put(kiosk.envelope("rating", rating)).status_code == 201
    with ctx.db.transaction() as session:
        review = session.scalar(select(func.max(BadReview.id)))
        parcel = assign_parcel(session, parcel_id=f"P-{role}-{hall}", kiosk_id=kiosk.kiosk_id,
                               locker="lockers", size="M",
                               case_number=parcel_case, code="123456", items=["证"],
                               now=ctx.now())
    victim_staff = add_staff(ctx, "clerk", hall, f"victim-{role}-{hall}".lower())
    victim_kiosk = enrolled_kiosk(ctx, http, f"victim-{role}-{hall}".lower(), hall_code=hall)
    return Subjects(case, parcel.parcel_id, call, review, victim_staff, victim_kiosk.kiosk_id,
                    kiosk.kiosk_id)


def _staff_requests(http, headers, subject: Subjects):
    """route -> the request a member makes on this subject."""
    return {
        "case detail": lambda: http.get(f"/v1/staff/cases/{subject.case}", headers=headers),
        "change state": lambda: http.post(f"/v1/staff/cases/{subject.case}/state",
                                          json={"state": "completed"}, headers=headers),
        "request supplement": lambda: http.post(
            f"/v1/staff/cases/{subject.case}/supplement-request", headers=headers,
            json={"materials": ["photo_receipt"], "due_date": "2026-12-10"}),
        "reissue followup": lambda: http.post(f"/v1/staff/cases/{subject.case}/followup-secret",
                                              headers=headers),
        "place parcel": lambda: http.post("/v1/staff/parcels", headers=headers, json={
            "case_number": subject.case, "kiosk_id": subject.parcel_kiosk,
            "size": "M", "items": ["居住证"]}),
        "recall parcel": lambda: http.post(f"/v1/staff/parcels/{subject.parcel}/recall",
                                           headers=headers),
        "close staff call": lambda: http.post(f"/v1/staff/staff-calls/{subject.call}/close",
                                              headers=headers),
        "close bad review": lambda: http.post(
            f"/v1/staff/bad-reviews/{subject.review}/close", headers=headers,
            json={"outcome": "explained", "note": "answered"}),
        "revoke staff": lambda: http.post(f"/v1/staff/accounts/{subject.victim_staff}/revoke",
                                          headers=headers),
        "send command": lambda: http.post(f"/v1/staff/kiosks/{subject.victim_kiosk}/commands",
                                          json={"kind": "print_test_page"}, headers=headers),
        "list commands": lambda: http.get(f"/v1/staff/kiosks/{subject.victim_kiosk}/commands",
                                          headers=headers),
        "revoke kiosk": lambda: http.post(f"/v1/staff/kiosks/{subject.victim_kiosk}/revoke",
                                          headers=headers),
    }


def _hall_requests(http, headers):
    return {
        "list cases": lambda: http.get("/v1/staff/cases", headers=headers),
        "call next": lambda: http.post("/v1/staff/queue/civil/call-next", json={"window": "3"},
                                       headers=headers),
        "list staff calls": lambda: http.get("/v1/staff/staff-calls", headers=headers),
        "fleet": lambda: http.get("/v1/staff/fleet", headers=headers),
        "list bad reviews": lambda: http.get("/v1/staff/bad-reviews", headers=headers),
        "list staff": lambda: http.get("/v1/staff/accounts", headers=headers),
    }


def test_every_staff_role_on_every_route_in_its_own_and_another_hall(ctx, live_server):
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        own_kiosk = enrolled_kiosk(ctx, http, "kiosk-own-hall", hall_code=OWN_HALL)
        other_kiosk = enrolled_kiosk(ctx, http, "kiosk-other-hall", hall_code=OTHER_HALL)
        got, expected = {}, {}
        for role in ROLES:
            own = _subjects(ctx, http, own_kiosk, OWN_HALL, role)
            other = _subjects(ctx, http, other_kiosk, OTHER_HALL, role)
            ticket = own_kiosk.request("POST", "/v1/citizen/tickets", {"category": "civil"})
            assert ticket.status_code == 200, ticket.text
            headers = staff_headers(ctx, http, role, OWN_HALL)
            for route, request in _hall_requests(http, headers).items():
                got[route, role] = request().status_code
                expected[route, role] = STAFF_MATRIX[route][role]
            for where, subject in (("own", own), ("other", other)):
                for route, request in _staff_requests(http, headers, subject).items():
                    got[route, role, where] = request().status_code
                    expected[route, role, where] = STAFF_MATRIX[route][role][where == "other"]
            # every route refuses a request without a session
            for route, request in {**_hall_requests(http, {}),
                                   **_staff_requests(http, {}, own)}.items():
                got[route, "anonymous"] = request().status_code
                expected[route, "anonymous"] = 401
    wrong = {key: (got[key], expected[key]) for key in expected if got[key] != expected[key]}
    assert not wrong, "(got, expected): " + repr(wrong)
    assert set(STAFF_MATRIX) == {key[0] for key in expected}        # every route was tried


def test_lists_show_only_the_members_hall(ctx, live_server):
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        own_kiosk = enrolled_kiosk(ctx, http, "kiosk-own-hall", hall_code=OWN_HALL)
        other_kiosk = enrolled_kiosk(ctx, http, "kiosk-other-hall", hall_code=OTHER_HALL)
        own_case, other_case = _case(own_kiosk), _case(other_kiosk)
        for kiosk in (own_kiosk, other_kiosk):
            kiosk.request("POST", "/v1/citizen/staff-call", {"reason": "other"})
        supervisor = staff_headers(ctx, http, "supervisor", OWN_HALL)
        administrator = staff_headers(ctx, http, "administrator", OWN_HALL)
        technician = staff_headers(ctx, http, "technician", OWN_HALL)
        add_staff(ctx, "clerk", OTHER_HALL)

        def listed(path, headers, key, field):
            return {entry[field] for entry in http.get(path, headers=headers).json()[key]}
        assert listed("/v1/staff/cases", supervisor, "cases", "case_number") == {own_case}
        assert listed("/v1/staff/cases", administrator, "cases", "case_number") \
            == {own_case, other_case}
        assert listed("/v1/staff/staff-calls", supervisor, "calls", "kiosk_id") \
            == {own_kiosk.kiosk_id}
        assert listed("/v1/staff/fleet", technician, "kiosks", "kiosk_id") \
            == {own_kiosk.kiosk_id}
        assert listed("/v1/staff/fleet", administrator, "kiosks", "kiosk_id") \
            == {own_kiosk.kiosk_id, other_kiosk.kiosk_id}
        assert listed("/v1/staff/accounts", supervisor, "accounts", "hall_code") == {OWN_HALL}
        assert listed("/v1/staff/accounts", administrator, "accounts", "hall_code") \
            == {OWN_HALL, OTHER_HALL}


#: kiosk route -> (status on the kiosk's own data, on another kiosk's).
KIOSK_MATRIX = {
    "desired state": (200, 403),
    "report state": (200, 403),
    "receipts": (200, 403),
    "blob present": (200, 404),
    "upload offset": (200, 403),
    "submission with the blob": (201, 424),
    "commitment on the case": (201, 403),
    "rating of the case": (201, 403),
    "staff route": (401, 401),
}


def _kiosk_requests(kiosk: KioskDouble, owner: KioskDouble, case: str, blob: str,
                    upload_id: str):
    """route -> the request `kiosk` makes on data of `owner`."""
    supplied = {"case_number": case, "action": "supplied", "supplied": []}
    rating = {"case_number": case, "level": 1, "indicator_set_version": "gd-2020",
              "rated_at": "2026-11-26T10:00:00Z"}
    return {
        "desired state": lambda: kiosk.request("GET",
                                               f"/v1/kiosks/{owner.kiosk_id}/desired-state"),
        "report state": lambda: kiosk.request("PATCH", f"/v1/kiosks/{owner.kiosk_id}/state",
                                              {"queue_depth": 1}),
        "receipts": lambda: kiosk.request("GET", f"/v1/kiosks/{owner.kiosk_id}/receipts"),
        "blob present": lambda: kiosk.request("HEAD", f"/v1/blobs/{blob}"),
        "upload offset": lambda: kiosk.request("HEAD", f"/v1/blobs/uploads/{upload_id}"),
        "submission with the blob": lambda: kiosk.put(kiosk.envelope(
            "submission", application(photo_blob=blob), blobs=[blob])),
        "commitment on the case": lambda: kiosk.put(kiosk.envelope("commitment", supplied)),
        "rating of the case": lambda: kiosk.put(kiosk.envelope("rating", rating)),
        "staff route": lambda: kiosk.request("GET", "/v1/staff/cases"),
    }


def test_every_kiosk_route_on_its_own_and_another_kiosks_data(ctx, live_server):
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        owner = enrolled_kiosk(ctx, http, "kiosk-owner")
        intruder = enrolled_kiosk(ctx, http, "kiosk-intruder")
        case = _case(owner)
        blob = owner.upload_blob(owner.encrypt_blob(b"owner's scan"))
        pending = owner.encrypt_blob(b"half uploaded")
        upload_id = owner.request("POST", f"/v1/blobs/{v1.sha256_hex(pending)}/uploads",
                                  {"length": len(pending)}).json()["upload_id"]
        got = {}
        for where, kiosk in (("other", intruder), ("own", owner)):
            for route, request in _kiosk_requests(kiosk, owner, case, blob, upload_id).items():
                got[route, where] = request().status_code
    expected = {(route, where): statuses[where == "other"]
                for route, statuses in KIOSK_MATRIX.items() for where in ("own", "other")}
    wrong = {key: (got[key], expected[key]) for key in expected if got[key] != expected[key]}
    assert not wrong, "(got, expected): " + repr(wrong)


@pytest.fixture
def db_url(tmp_path, template) -> str:
    """SQLite only: the matrix is about the code paths, not the database."""
    shutil.copy(template / "district.db", tmp_path / "district.db")
    return f"sqlite:///{tmp_path / 'district.db'}"


#: console route of the on-call rota -> role -> status (own hall's shift, another hall's).
#: A supervisor's shift for another hall is refused on the page (422), as entered wrongly.
CONSOLE_MATRIX: dict[str, dict[str, tuple[int, int] | int]] = {
    "rota page":    {"clerk": 200, "supervisor": 200, "technician": 200, "administrator": 200,
                     "anonymous": 303},
    "add shift":    {"clerk": (403, 403), "supervisor": (303, 422),
                     "technician": (403, 403), "administrator": (303, 303),
                     "anonymous": (403, 403)},
    "remove shift": {"clerk": (403, 403), "supervisor": (303, 404),
                     "technician": (403, 403), "administrator": (303, 303),
                     "anonymous": (403, 403)},
}


def test_every_staff_role_on_the_rota_pages_in_its_own_and_another_hall(ctx, client):
    from datetime import timedelta

    from district_server.notices.rota import add_on_call
    from tests.district_server.test_access import _console_session
    from tests.district_server.test_rota_pages import ORIGIN, local
    soon = ctx.now() + timedelta(hours=1)
    got, expected = {}, {}
    for role in (*ROLES, "anonymous"):
        subjects = {}
        for where, hall in (("own", OWN_HALL), ("other", OTHER_HALL)):
            person = add_staff(ctx, "clerk", hall, f"rota-{role}-{hall}".lower())
            with ctx.db.transaction() as session:
                shift = add_on_call(session, hall_code=hall, staff_id=person, channel="log",
                                    recipient="desk", starts_at=soon,
                                    ends_at=soon + timedelta(hours=2), now=ctx.now())
                subjects[where] = (hall, person, shift.id)
        client.cookies.clear()
        csrf = (_console_session(ctx, client, role, OWN_HALL) if role != "anonymous"
                else "no session")
        got["rota page", role] = client.get("/console/rota",
                                            follow_redirects=False).status_code
        expected["rota page", role] = CONSOLE_MATRIX["rota page"][role]
        for where, (hall, person, shift_id) in subjects.items():
            form = {"csrf": csrf, "hall": hall, "staff_id": person, "channel": "log",
                    "recipient": "desk", "starts": local(soon + timedelta(hours=3)),
                    "ends": local(soon + timedelta(hours=5))}
            requests = {
                "add shift": lambda: client.post("/console/rota", data=form, headers=ORIGIN,
                                                 follow_redirects=False),
                "remove shift": lambda: client.post(f"/console/rota/{shift_id}/remove",
                                                    data={"csrf": csrf}, headers=ORIGIN,
                                                    follow_redirects=False)}
            for route, request in requests.items():
                got[route, role, where] = request().status_code
                expected[route, role, where] = CONSOLE_MATRIX[route][role][where == "other"]
    wrong = {key: (got[key], expected[key]) for key in expected if got[key] != expected[key]}
    assert not wrong, "(got, expected): " + repr(wrong)
