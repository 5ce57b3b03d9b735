"""Remote commands on the server: who may send them, the lifecycle (queued, delivered,
running, succeeded or failed, expired), the district's signature, idempotency, an audit
entry at each step, and a kiosk offline through the expiry of one command."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from district_server.audit.models import AuditEntry
from tests.district_server.conftest import enrolled_kiosk, staff_headers
from wire import v1

COMMANDS = "/v1/staff/kiosks/{kiosk_id}/commands"


def send(client, headers, kiosk_id, kind, args=None, **extra):
    return client.post(COMMANDS.format(kiosk_id=kiosk_id), headers=headers,
                       json={"kind": kind, "args": args or {}, **extra})


def take(kiosk) -> list[dict]:
    answer = kiosk.request("GET", v1.PATH_COMMANDS.format(kiosk_id=kiosk.kiosk_id))
    assert answer.status_code == 200, answer.text
    return answer.json()["commands"]


def answer(kiosk, command_id, state, detail=""):
    return kiosk.request("POST", v1.PATH_COMMAND_RESULT.format(kiosk_id=kiosk.kiosk_id,
                                                                command_id=command_id),
                         {"state": state, "detail": detail})


def states(client, headers, kiosk_id) -> dict[str, str]:
    listed = client.get(COMMANDS.format(kiosk_id=kiosk_id), headers=headers)
    assert listed.status_code == 200, listed.text
    return {c["command_id"]: c["state"] for c in listed.json()["commands"]}


def audited(ctx, command_id) -> list[str]:
    with ctx.db.transaction() as session:
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.seq))
        return [e.action for e in entries if command_id in e.detail]


def test_a_command_goes_through_its_lifecycle_signed_and_audited(kiosk, client, ctx):
    admin = staff_headers(ctx, client, "administrator", "DISTRICT")
    sent = send(client, admin, kiosk.kiosk_id, "open_compartment", {"number": 3,
                                                                    "reason": "stuck parcel"})
    assert sent.status_code == 201, sent.text
    command_id = sent.json()["command_id"]
    assert sent.json()["state"] == "queued"

    [delivered] = take(kiosk)
    assert delivered["command"]["kind"] == "open_compartment"
    assert delivered["command"]["args"] == {"number": 3, "reason": "stuck parcel"}
    assert kiosk.verify_district_signature(delivered["command"], delivered["signature_b64"])
    forged = {**delivered["command"], "kiosk_id": "other-kiosk-9"}
    assert not kiosk.verify_district_signature(forged, delivered["signature_b64"])
    assert states(client, admin, kiosk.kiosk_id) == {command_id: "delivered"}
    assert [c["command"]["command_id"] for c in take(kiosk)] == [command_id], \
        "handed over again until the kiosk answers"

    assert answer(kiosk, command_id, "running").status_code == 204
    assert take(kiosk) == []
    assert answer(kiosk, command_id, "succeeded", "opened").status_code == 204
    assert answer(kiosk, command_id, "succeeded", "opened").status_code == 204, "idempotent"
    assert answer(kiosk, command_id, "failed").status_code == 409
    assert states(client, admin, kiosk.kiosk_id) == {command_id: "succeeded"}
    assert audited(ctx, command_id) == ["kiosk.command_queued", "kiosk.command_delivered",
                                        "kiosk.command_running", "kiosk.command_succeeded"]


def test_the_same_idempotency_key_makes_one_command(kiosk, client, ctx):
    admin = staff_headers(ctx, client, "administrator", "DISTRICT")
    headers = {**admin, v1.HEADER_IDEMPOTENCY_KEY: "form-7"}
    first = send(client, headers, kiosk.kiosk_id, "print_test_page")
    again = send(client, headers, kiosk.kiosk_id, "print_test_page")
    assert first.json()["command_id"] == again.json()["command_id"]
    assert len(take(kiosk)) == 1


def test_a_kiosk_offline_through_the_expiry_gets_only_what_has_not_expired(kiosk, client, ctx):
    supervisor = staff_headers(ctx, client, "supervisor")
    start = ctx.now()
    short = send(client, supervisor, kiosk.kiosk_id, "restart_app", ttl_s=60).json()
    long = send(client, supervisor, kiosk.kiosk_id, "collect_logs", ttl_s=3600).json()
    ctx.now = lambda: start + timedelta(seconds=120)     # the kiosk was away two minutes

    assert [c["command"]["command_id"] for c in take(kiosk)] == [long["command_id"]]
    assert states(client, supervisor, kiosk.kiosk_id) == {short["command_id"]: "expired",
                                                          long["command_id"]: "delivered"}
    assert "kiosk.command_expired" in audited(ctx, short["command_id"])
    assert "kiosk.command_delivered" not in audited(ctx, short["command_id"])


def test_a_delivered_command_not_started_expires_too(kiosk, client, ctx):
    admin = staff_headers(ctx, client, "administrator", "DISTRICT")
    start = ctx.now()
    command_id = send(client, admin, kiosk.kiosk_id, "out_of_service",
                      ttl_s=60).json()["command_id"]
    assert len(take(kiosk)) == 1
    ctx.now = lambda: start + timedelta(seconds=61)
    assert take(kiosk) == []
    assert states(client, admin, kiosk.kiosk_id) == {command_id: "expired"}


@pytest.mark.parametrize("role, hall, allowed", [
    ("administrator", "DISTRICT", True), ("supervisor", "FT-CENTRE", True),
    ("supervisor", "FT-NORTH", False), ("technician", "FT-CENTRE", False),
    ("clerk", "FT-CENTRE", False)])
def test_only_the_administrator_and_the_halls_supervisor_may_send(role, hall, allowed, kiosk,
                                                                  client, ctx):
    headers = staff_headers(ctx, client, role, hall)
    sent = send(client, headers, kiosk.kiosk_id, "print_test_page")
    if allowed:
        assert sent.status_code == 201, sent.text
    else:
        assert sent.status_code == (404 if role == "supervisor" else 403), sent.text
        assert take(kiosk) == []


def test_bad_arguments_and_other_kiosks_are_refused(kiosk, client, ctx):
    admin = staff_headers(ctx, client, "administrator", "DISTRICT")
    assert send(client, admin, kiosk.kiosk_id, "open_compartment").status_code == 422
    assert send(client, admin, kiosk.kiosk_id, "format_disk").status_code == 422
    assert send(client, admin, kiosk.kiosk_id, "restart_app", {"now": 1}).status_code == 422
    command_id = send(client, admin, kiosk.kiosk_id, "restart_app").json()["command_id"]
    other = enrolled_kiosk(ctx, client, "test-kiosk-002")
    assert other.request("GET", v1.PATH_COMMANDS.format(kiosk_id=kiosk.kiosk_id)) \
        .status_code == 403
    assert answer(other, command_id, "succeeded").status_code == 404
