"""Hall staff API: signed-in staff with roles, the case workflow to a locker parcel the
kiosk sees in its desired state, queue calling with priorities, staff calls, the fleet."""
from __future__ import annotations

import hashlib

import pytest

from tests.district_server.conftest import add_staff, enrolled_kiosk, staff_headers
from tests.district_server.kiosk_double import application
from wire import v1




def test_staff_endpoints_need_a_token_and_the_fleet_a_supervisor(client, ctx, kiosk):
    assert client.get("/v1/staff/cases").status_code == 401
    assert client.get("/v1/staff/cases",
                      headers={"Authorization": "Bearer nope"}).status_code == 401
    assert client.get("/v1/staff/fleet", headers=staff_headers(ctx, client)).status_code == 403
    kiosk.request("PATCH", f"/v1/kiosks/{kiosk.kiosk_id}/state", {"queue_depth": 2})
    fleet = client.get("/v1/staff/fleet", headers=staff_headers(ctx, client, "technician")).json()
    [entry] = fleet["kiosks"]
    assert entry["kiosk_id"] == kiosk.kiosk_id and entry["reported"]["queue_depth"] == 2


def desired_assignments(kiosk):
    response = kiosk.request("GET", f"/v1/kiosks/{kiosk.kiosk_id}/desired-state",
                             headers={v1.HEADER_FEATURES: v1.FEATURE_LOCKER_FILL})
    return v1.SignedDesiredState.model_validate_json(response.content).state.locker_assignments


def test_case_workflow_to_a_locker_parcel(client, ctx, kiosk):
    clerk = staff_headers(ctx, client)
    photo = kiosk.upload_blob(kiosk.encrypt_blob(b"photo"))
    number = kiosk.put(kiosk.envelope("submission", application(photo_blob=photo),
                                      blobs=[photo])).json()["receipt"]["case_number"]
    listed = client.get("/v1/staff/cases", params={"state": "accepted"}, headers=clerk).json()
    assert [c["case_number"] for c in listed["cases"]] == [number]
    detail = client.get(f"/v1/staff/cases/{number}", headers=clerk).json()
    assert detail["application"]["applicant"]["name"] == "张三"
    parcel = {"case_number": number, "kiosk_id": kiosk.kiosk_id, "size": "L",
              "items": ["居住证"]}
    early = client.post("/v1/staff/parcels", json=parcel, headers=clerk)
    assert early.status_code == 409 and early.json()["error"] == "case_not_completed"
    assert client.post(f"/v1/staff/cases/{number}/state", json={"state": "received"},
                       headers=clerk).status_code == 422
    for state in ("in_review", "completed"):
        moved = client.post(f"/v1/staff/cases/{number}/state", json={"state": state},
                            headers=clerk)
        assert moved.status_code == 200 and moved.json()["state"] == state
    assert client.post(f"/v1/staff/cases/{number}/state", json={"state": "in_review"},
                       headers=clerk).status_code == 409
    assigned = client.post("/v1/staff/parcels", json=parcel, headers=clerk)
    assert assigned.status_code == 201, assigned.text
    code = assigned.json()["pickup_code"]
    [assignment] = desired_assignments(kiosk)
    _, n, r, p, salt, digest = assignment.code_hash.split("$")
    assert hashlib.scrypt(code.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r),
                          p=int(p), dklen=32).hex() == digest
    assert assignment.size == "L" and assignment.compartment is None
    again = client.post("/v1/staff/parcels", json=parcel, headers=clerk)
    assert again.status_code == 409 and again.json()["error"] == "case_not_completed"
    shown = f"/v1/staff/parcels/{assignment.parcel_id}"
    assert client.get(shown, headers=clerk).json()["state"] == "assigned"
    stored = kiosk.envelope("deposit", {"parcel_id": assignment.parcel_id, "compartment": 4,
                                        "outcome": "stored", "staff_id": "staff-017",
                                        "at": "2026-11-26T11:00:00Z"})
    assert kiosk.put(stored).status_code == 201
    view = client.get(shown, headers=clerk).json()
    assert (view["state"], view["compartment"]) == ("stored", 4) and view["stored_at"]
    picked = kiosk.envelope("pickup", {"parcel_id": assignment.parcel_id, "case_number": number,
                                       "compartment": 4, "verification": "document+face",
                                       "picked_at": "2026-11-26T12:00:00Z"})
    assert kiosk.put(picked).status_code == 201
    assert desired_assignments(kiosk) == []
    assert client.get(shown, headers=clerk).json()["state"] == "collected"
    cases = client.get("/v1/staff/cases", params={"state": "picked_up"}, headers=clerk).json()
    assert [c["case_number"] for c in cases["cases"]] == [number]


def test_a_parcel_not_yet_stored_can_be_recalled_and_assigned_again(client, ctx, kiosk):
    clerk = staff_headers(ctx, client)
    photo = kiosk.upload_blob(kiosk.encrypt_blob(b"photo"))
    number = kiosk.put(kiosk.envelope("submission", application(photo_blob=photo),
                                      blobs=[photo])).json()["receipt"]["case_number"]
    client.post(f"/v1/staff/cases/{number}/state", json={"state": "completed"}, headers=clerk)
    parcel = {"case_number": number, "kiosk_id": kiosk.kiosk_id, "size": "S",
              "items": ["居住证"]}
    first = client.post("/v1/staff/parcels", json=parcel, headers=clerk).json()
    assert client.post(f"/v1/staff/parcels/{first['parcel_id']}/recall",
                       headers=clerk).status_code == 204
    assert client.post("/v1/staff/parcels", json=parcel, headers=clerk).status_code == 201


def test_call_next_serves_priority_tickets_first(client, ctx, kiosk):
    clerk = staff_headers(ctx, client)
    numbers = []
    for id_number, priority in (("440524188001010014", "normal"),
                                ("110105195001010039", "elderly")):
        ticket = kiosk.request("POST", "/v1/citizen/tickets", {
            "assertion": kiosk.assertion(id_number=id_number), "category": "civil",
            "priority": priority}).json()
        numbers.append(ticket["ticket_no"])
    first = client.post("/v1/staff/queue/civil/call-next", json={"window": "5"}, headers=clerk)
    assert first.json()["ticket_no"] == numbers[1] and first.json()["waiting"] == 1
    second = client.post("/v1/staff/queue/civil/call-next", json={"window": "5"}, headers=clerk)
    assert second.json()["ticket_no"] == numbers[0]
    assert client.post("/v1/staff/queue/civil/call-next", json={"window": "5"},
                       headers=clerk).status_code == 404


def test_staff_calls_are_listed_and_closed(client, ctx, kiosk):
    clerk = staff_headers(ctx, client)
    call = kiosk.request("POST", "/v1/citizen/staff-call", {"reason": "accessibility"}).json()
    calls = client.get("/v1/staff/staff-calls", headers=clerk).json()["calls"]
    assert [c["call_id"] for c in calls] == [call["call_id"]] and calls[0]["identified"] is False
    assert client.post(f"/v1/staff/staff-calls/{call['call_id']}/close",
                       headers=clerk).status_code == 204
    assert client.get("/v1/staff/staff-calls", headers=clerk).json()["calls"] == []


@pytest.mark.parametrize("role", ["janitor"])
def test_unknown_roles_are_refused(ctx, role):
    with pytest.raises(ValueError):
        add_staff(ctx, role)


def test_bad_ratings_open_a_follow_up_with_a_deadline(client, ctx, kiosk):
    clerk = staff_headers(ctx, client, "supervisor")
    for level in (4, 1):
        rating = {"level": level, "indicator_set_version": "gd-2020", "comment": "等太久",
                  "rated_at": "2026-11-26T10:00:00Z"}
        assert kiosk.put(kiosk.envelope("rating", rating)).status_code == 201
    [review] = client.get("/v1/staff/bad-reviews", headers=clerk).json()["reviews"]
    assert review["level"] == 1 and review["comment"] == "等太久" and not review["overdue"]
    closed = client.post(f"/v1/staff/bad-reviews/{review['id']}/close",
                         json={"outcome": "rectified", "note": "已增加窗口"}, headers=clerk)
    assert closed.status_code == 204
    assert client.get("/v1/staff/bad-reviews", headers=clerk).json()["reviews"] == []


def test_a_bad_review_deadline_skips_the_holidays_of_the_kiosks_catalogue(client, ctx):
    """Rated on Monday 2026-12-07 with Tuesday and Wednesday public holidays in the
    catalogue published to the kiosk's cohort: five working days end on Wednesday the 16th,
    not Monday the 14th."""
    from district_server.catalogue import service as catalogue_service
    from district_server.catalogue.models import CatalogueVersion, CataloguePublication
    from datetime import date, datetime, timezone
    published = catalogue_service.load_directory(ctx.settings.catalogue_dir)
    holidays = published.model_copy(update={
        "version": "holiday-test",
        "calendar": v1.CalendarData(holidays=[date(2026, 12, 8), date(2026, 12, 9)])})
    with ctx.db.transaction() as session:
        catalogue_service.store(session, holidays, now=ctx.now())
        catalogue_service.publish(session, "holiday-test", "holiday-cohort", now=ctx.now())
    try:
        kiosk = enrolled_kiosk(ctx, client, cohort="holiday-cohort")
        monday = datetime(2026, 12, 7, 2, 0, tzinfo=timezone.utc)
        ctx.now = lambda: monday
        kiosk.clock_skew_s = int(monday.timestamp() - datetime.now(timezone.utc).timestamp())
        rating = {"level": 1, "indicator_set_version": "gd-2020",
                  "rated_at": "2026-12-07T02:00:00Z"}
        assert kiosk.put(kiosk.envelope("rating", rating)).status_code == 201
        clerk = staff_headers(ctx, client, "supervisor")
        [review] = client.get("/v1/staff/bad-reviews", headers=clerk).json()["reviews"]
        assert review["deadline"] == "2026-12-16"
    finally:  # the published catalogues outlive a test on PostgreSQL
        with ctx.db.transaction() as session:
            session.delete(session.get(CataloguePublication, "holiday-cohort"))
            session.flush()
            session.delete(session.get(CatalogueVersion, "holiday-test"))
