"""Alerts: every rule raised by what a kiosk reports (or by its silence, or a staff call) and
cleared when the condition is gone; held until it lasts (a door left open); acknowledged by
staff of the kiosk's hall; seen by the hall (its own kiosks) and the district (all)."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from district_server.kiosks import alerts
from district_server.kiosks.models import Kiosk
from tests.district_server.conftest import enrolled_kiosk, staff_headers


def printer(availability="online", paper="full", detail=""):
    return {"receipt_printer": {"availability": availability, "severity": "ok",
                                "detail": detail, "kind": "printer", "units": {"paper": paper}}}


def device(name, kind, availability):
    return {name: {"availability": availability, "severity": "ok", "kind": kind}}


def lockers(**compartments):
    return {"lockers": {"availability": "online", "severity": "ok", "kind": "locker",
                        "units": {f"compartment-{n[1:]}": state
                                  for n, state in compartments.items()}}}


#: kind -> (a report raising it, a report clearing it)
RULES = {
    "paper_low": ({"devices": printer(paper="low")}, {"devices": printer(paper="full")}),
    "paper_out": ({"devices": printer("hardwareError", paper="out")},
                  {"devices": printer(paper="full")}),
    "printer_offline": ({"devices": printer("offline")}, {"devices": printer()}),
    "camera_down": ({"devices": device("face_camera", "camera", "noDevice")},
                    {"devices": device("face_camera", "camera", "online")}),
    "reader_down": ({"devices": device("id_card_reader", "id_reader", "hardwareError")},
                    {"devices": device("id_card_reader", "id_reader", "online")}),
    "door_jammed": ({"devices": lockers(c3="jammed")}, {"devices": lockers(c3="closed")}),
    "oldest_unsent": ({"oldest_unsent_age_s": 5 * 3600.0}, {"oldest_unsent_age_s": 0.0}),
    "clock_skew": ({"clock_offset_ms": -45_000}, {"clock_offset_ms": 1_000}),
    "disk_low": ({"disk_free_bytes": 100_000_000}, {"disk_free_bytes": 20_000_000_000}),
}


def report(kiosk, delta: dict) -> None:
    answer = kiosk.request("PATCH", f"/v1/kiosks/{kiosk.kiosk_id}/state", delta)
    assert answer.status_code == 200, answer.text


def open_kinds(client, headers) -> dict[str, dict]:
    answer = client.get("/v1/staff/alerts", headers=headers)
    assert answer.status_code == 200, answer.text
    return {(a["kiosk_id"], a["kind"]): a for a in answer.json()["alerts"]}


@pytest.mark.parametrize("kind", sorted(RULES))
def test_each_reported_rule_is_raised_and_cleared(kind, kiosk, client, ctx):
    raising, clearing = RULES[kind]
    headers = staff_headers(ctx, client, "technician")
    report(kiosk, raising)
    raised = open_kinds(client, headers)
    assert list(raised) == [(kiosk.kiosk_id, kind)]
    assert raised[(kiosk.kiosk_id, kind)]["hall_code"] == "FT-CENTRE"
    report(kiosk, clearing)
    assert open_kinds(client, headers) == {}


def test_a_printer_out_of_paper_is_one_alert_not_also_offline(kiosk, client, ctx):
    report(kiosk, {"devices": printer("hardwareError", paper="out", detail="paper out")})
    assert [kind for _, kind in open_kinds(client, staff_headers(ctx, client))] == ["paper_out"]


def test_a_door_is_left_open_only_once_it_stays_open(kiosk, client, ctx):
    headers = staff_headers(ctx, client, "technician")
    start = ctx.now()
    report(kiosk, {"devices": lockers(c5="open")})
    assert open_kinds(client, headers) == {}              # a citizen is taking a parcel
    ctx.now = lambda: start + timedelta(seconds=ctx.settings.alerts.door_left_open_s + 1)
    assert list(open_kinds(client, headers)) == [(kiosk.kiosk_id, "door_left_open")]
    report(kiosk, {"devices": lockers(c5="closed")})
    assert open_kinds(client, headers) == {}


def test_a_door_closed_in_time_never_raises(kiosk, client, ctx):
    headers = staff_headers(ctx, client, "technician")
    start = ctx.now()
    report(kiosk, {"devices": lockers(c5="open")})
    report(kiosk, {"devices": lockers(c5="closed")})
    ctx.now = lambda: start + timedelta(seconds=ctx.settings.alerts.door_left_open_s + 1)
    assert open_kinds(client, headers) == {}


def test_a_report_that_changes_nothing_writes_nothing_and_the_door_still_raises_on_time(
        kiosk, client, ctx):
    headers = staff_headers(ctx, client, "technician")
    start = ctx.now()
    ctx.now = lambda: start
    report(kiosk, {"devices": lockers(c5="open"), "queue_depth": 1})
    ctx.now = lambda: start + timedelta(seconds=30)
    report(kiosk, {"devices": lockers(c5="open"), "queue_depth": 1})     # the same again
    with ctx.db.transaction() as session:
        held = session.get(Kiosk, kiosk.kiosk_id)
        assert held.reported_at == start and held.last_contact_at == ctx.now()
    hold = ctx.settings.alerts.door_left_open_s
    ctx.now = lambda: start + timedelta(seconds=hold + 1)
    raised = open_kinds(client, headers)[(kiosk.kiosk_id, "door_left_open")]
    # held from when the door was first seen open, not from the report repeating it
    assert datetime.fromisoformat(raised["raised_at"]) == start + timedelta(seconds=hold)


def test_a_kiosk_silent_for_three_heartbeats_is_raised_and_cleared_when_heard(kiosk, client,
                                                                                 ctx):
    headers = staff_headers(ctx, client, "technician")
    report(kiosk, {"queue_depth": 0})
    start = ctx.now()
    silence = ctx.settings.alerts.heartbeat_s * ctx.settings.alerts.silent_after_heartbeats

    def sweep_at(seconds: float) -> None:
        ctx.now = lambda: start + timedelta(seconds=seconds)
        with ctx.db.transaction() as session:
            alerts.sweep(session, thresholds=ctx.settings.alerts, now=ctx.now())
    sweep_at(silence - 1)
    assert open_kinds(client, headers) == {}
    sweep_at(silence + 1)
    assert list(open_kinds(client, headers)) == [(kiosk.kiosk_id, "kiosk_silent")]
    kiosk.request("GET", f"/v1/kiosks/{kiosk.kiosk_id}/receipts")     # any signed contact
    sweep_at(silence + 2)
    assert open_kinds(client, headers) == {}


def test_a_staff_call_is_raised_until_the_call_is_closed(kiosk, client, ctx):
    headers = staff_headers(ctx, client, "clerk")
    call = kiosk.request("POST", "/v1/citizen/staff-call", {"reason": "help"}).json()
    raised = open_kinds(client, headers)
    assert list(raised) == [(kiosk.kiosk_id, "staff_call")]
    assert "help" in raised[(kiosk.kiosk_id, "staff_call")]["detail"]
    closed = client.post(f"/v1/staff/staff-calls/{call['call_id']}/close", headers=headers)
    assert closed.status_code == 204, closed.text
    assert open_kinds(client, headers) == {}


def test_acknowledged_alerts_stay_until_cleared_and_reopen_unacknowledged(kiosk, client, ctx):
    headers = staff_headers(ctx, client, "clerk")
    report(kiosk, {"devices": printer(paper="low")})
    path = f"/v1/staff/alerts/{kiosk.kiosk_id}/paper_low/acknowledge"
    assert client.post(path, headers=headers).status_code == 204
    acknowledged = open_kinds(client, headers)[(kiosk.kiosk_id, "paper_low")]
    assert acknowledged["acknowledged_by"] and acknowledged["acknowledged_at"]
    report(kiosk, {"devices": printer(paper="full")})
    assert client.post(path, headers=headers).status_code == 404       # cleared: nothing to ack
    report(kiosk, {"devices": printer(paper="low")})
    assert open_kinds(client, headers)[(kiosk.kiosk_id, "paper_low")]["acknowledged_at"] is None


def test_hall_staff_see_their_hall_and_the_district_sees_all(kiosk, client, ctx):
    other = enrolled_kiosk(ctx, client, "test-kiosk-002", hall_code="FT-NORTH")
    report(kiosk, {"devices": printer(paper="low")})
    report(other, {"devices": printer(paper="low")})
    hall = open_kinds(client, staff_headers(ctx, client, "clerk"))
    district = open_kinds(client, staff_headers(ctx, client, "administrator"))
    assert list(hall) == [(kiosk.kiosk_id, "paper_low")]
    assert set(district) == {(kiosk.kiosk_id, "paper_low"), (other.kiosk_id, "paper_low")}
    north_ack = f"/v1/staff/alerts/{other.kiosk_id}/paper_low/acknowledge"
    assert client.post(north_ack, headers=staff_headers(ctx, client, "clerk", staff_id="c2")
                       ).status_code == 404


def test_a_kiosk_page_shows_its_devices_and_its_alerts_cleared_ones_too(kiosk, client, ctx):
    from tests.district_server.test_access import _console_session
    report(kiosk, {"devices": printer(paper="low")})
    report(kiosk, {"devices": printer(paper="full")})
    report(kiosk, {"devices": lockers(c3="jammed")})
    _console_session(ctx, client, "technician")
    page = client.get(f"/console/kiosks/{kiosk.kiosk_id}")
    assert page.status_code == 200, page.text
    assert "paper full" in page.text and "compartment-3 jammed" in page.text
    assert "paper_low" in page.text and "door_jammed" in page.text       # cleared and open
    assert client.get("/console/kiosks/no-such-kiosk").status_code == 404


def test_the_fleet_page_says_which_kiosks_staff_are_servicing(kiosk, client, ctx):
    from tests.district_server.test_access import _console_session
    report(kiosk, {"service_state": {"mode": "maintenance", "role": "technician",
                                     "stops": {"storage": "disk full"}}})
    _console_session(ctx, client, "technician")
    page = client.get("/console/fleet").text
    assert "维护中 Maintenance (技术人员 technician) — storage: disk full" in page
