"""The staff list through a real sync: the district's hall staff may enter this kiosk's
maintenance; a person revoked at the district is refused after the next sync; the server
holds the service state the kiosk reports. Against the real district server on loopback."""
from __future__ import annotations

from datetime import datetime, timezone

from kiosk.service_state import Mode
from kiosk.staff_access import Refused
from tests.kiosk.reported import reported_on_server

PASSWORD = "correct horse battery"
KIOSK_PIN = "770123"


def add_staff(district, staff_id: str, role: str) -> None:
    from district_server.staff.accounts import create_account, set_kiosk_pin
    ctx = district.app.state.ctx
    with ctx.db.transaction() as session:
        create_account(session, staff_id=staff_id, name=staff_id, role=role,
                       hall_code=district.settings.default_hall_code, password=PASSWORD,
                       now=datetime.now(timezone.utc))
        set_kiosk_pin(session, staff_id, KIOSK_PIN, now=datetime.now(timezone.utc))


def test_a_revoked_person_is_refused_after_the_next_sync(district, make_core, test_clock):
    from district_server.staff.accounts import revoke
    add_staff(district, "tech-01", "technician")
    core = make_core()
    assert core.queue.worker.sync_once().ok
    maintenance = core.maintenance
    assert maintenance.ask(session_active=False)
    assert isinstance(maintenance.sign_in("tech-01", PASSWORD), Refused)   # the PIN, not it
    assert maintenance.sign_in("tech-01", KIOSK_PIN).role == "technician"
    assert core.queue.worker.sync_once().ok
    reported = reported_on_server(district, core.config.kiosk.id)
    assert reported["service_state"] == {"mode": "maintenance", "stops": {},
                                         "role": "technician"}
    maintenance.leave()

    ctx = district.app.state.ctx
    with ctx.db.transaction() as session:
        revoke(session, "tech-01", now=datetime.now(timezone.utc))
    queue = core.config.queue
    test_clock.advance(queue.desired_state_poll_s + queue.desired_state_jitter_s)  # poll due
    assert core.queue.worker.sync_once().ok
    assert maintenance.ask(session_active=False)
    assert isinstance(maintenance.sign_in("tech-01", KIOSK_PIN), Refused)
    assert core.service.mode is Mode.ENTERING
