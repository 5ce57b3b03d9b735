"""The locker loop against the real district server on loopback, with the real kiosk core
(offline queue, simulated lock boards on a pty): the district assigns a parcel to this kiosk
by size -> hall staff fill a compartment -> the citizen collects it with the code -> the door
closes -> the district shows it collected. And what must not happen on the way."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import requests

from kiosk.pickup import ParcelState

PASSWORD = "correct horse battery"
KIOSK_PIN = "605118"
ID_NUMBER = "11010519491231002X"


def add_staff(district, staff_id: str, role: str = "clerk") -> dict[str, str]:
    """A hall clerk at the district (kiosk PIN KIOSK_PIN), signed in to its staff API:
    Authorization headers."""
    from district_server.staff.accounts import create_account, set_kiosk_pin
    ctx = district.app.state.ctx
    with ctx.db.transaction() as session:
        create_account(session, staff_id=staff_id, name=staff_id, role=role,
                       hall_code=district.settings.default_hall_code, password=PASSWORD,
                       now=datetime.now(timezone.utc))
        set_kiosk_pin(session, staff_id, KIOSK_PIN, now=datetime.now(timezone.utc))
    token = requests.post(f"{district.url}/v1/staff/login", timeout=30,
                          json={"staff_id": staff_id, "password": PASSWORD}).json()["token"]
    return {"Authorization": f"Bearer {token}"}


def completed_case(district, case_number: str) -> None:
    from district_server.cases.models import Case
    ctx = district.app.state.ctx
    now = datetime.now(timezone.utc)
    with ctx.db.transaction() as session:
        session.add(Case(case_number=case_number, holder_hmac=ctx.keys.holder(ID_NUMBER),
                         service_code="residence_permit", catalogue_version="1",
                         state="completed", submitted_at=now, pickup_method="locker",
                         hall_code=district.settings.default_hall_code, updated_at=now))


def assign(district, clerk: dict, case_number: str, kiosk_id: str) -> dict:
    completed_case(district, case_number)
    response = requests.post(f"{district.url}/v1/staff/parcels", headers=clerk, timeout=30,
                             json={"case_number": case_number, "kiosk_id": kiosk_id,
                                   "size": "M", "items": ["居住证"]})
    assert response.status_code == 201, response.text
    return response.json()


def on_district(district, clerk: dict, parcel_id: str) -> dict:
    return requests.get(f"{district.url}/v1/staff/parcels/{parcel_id}", headers=clerk,
                        timeout=30).json()


def close_door(core, number: int) -> None:
    lockers = core.pickup.lockers
    lockers.simulate("close", compartment=number)
    assert lockers.read_all().result(10).ok


def sync(core, *, pull: bool = False) -> None:
    """One pass of the sync worker; `pull`: with the desired state's poll due."""
    if pull:
        queue = core.config.queue
        core.clock.advance(queue.desired_state_poll_s + queue.desired_state_jitter_s)
    assert core.queue.worker.sync_once().ok


@pytest.fixture
def core(make_core):
    core = make_core()
    sync(core)
    return core


def screens(core):
    """The journeys' services as the screens get them (results delivered at once)."""
    from kiosk.journeys.ports import run_inline, run_now
    from kiosk.journeys.services import build_services
    return build_services(core, post=run_now, background=run_inline)


def test_district_assigns_staff_fill_the_citizen_collects_the_district_sees_it(district,
                                                                                core):
    from kiosk.journeys.maintenance_pages.lockers import LockersPage, LockersState
    from kiosk.journeys.pickup import PickupJourney, PickupState
    clerk = add_staff(district, "clerk-01")
    parcel = assign(district, clerk, "HALL-0001", core.config.kiosk.id)
    assert on_district(district, clerk, parcel["parcel_id"])["state"] == "assigned"
    sync(core, pull=True)              # the assignment and the hall's staff list arrive

    # hall staff fill a compartment in maintenance mode
    assert core.maintenance.ask(session_active=False)
    assert core.maintenance.sign_in("clerk-01", KIOSK_PIN).role == "hall_staff"
    page = LockersPage(screens(core), role="hall_staff", staff_id="clerk-01")
    assert [p.case_number for p in page.to_fill()] == ["HALL-0001"]
    page.fill(parcel["parcel_id"])
    assert page.state is LockersState.DOOR_OPEN
    compartment = int(page.current.compartment)
    sync(core)                         # not stored before its door is seen closing:
    assert on_district(district, clerk, parcel["parcel_id"])["state"] == "assigned"
    close_door(core, compartment)
    assert page.state is LockersState.DONE
    page.finish()
    core.maintenance.leave()
    sync(core)
    shown = on_district(district, clerk, parcel["parcel_id"])
    assert (shown["state"], shown["compartment"]) == ("stored", compartment)

    # the citizen collects it with the code from the attract screen's pickup tile
    pickup = PickupJourney(screens(core))
    pickup.choose_code()
    pickup.enter_code("hall-0001", parcel["pickup_code"])
    assert pickup.state is PickupState.DOOR_OPEN
    assert [p.compartment for p in pickup.open_parcels] == [str(compartment)]
    close_door(core, compartment)
    assert pickup.state is PickupState.DONE
    assert core.pickup.store.all()[parcel["parcel_id"]].state is ParcelState.COLLECTED
    sync(core)
    assert on_district(district, clerk, parcel["parcel_id"])["state"] == "collected"


def test_an_expired_parcel_is_recalled_and_the_district_sees_it(district, core):
    from district_server.cases.models import Parcel
    clerk = add_staff(district, "clerk-01")
    parcel = assign(district, clerk, "HALL-0002", core.config.kiosk.id)
    expires_at = core.clock.now() + timedelta(minutes=10)  # past the pull below
    with district.app.state.ctx.db.transaction() as session:
        session.get(Parcel, parcel["parcel_id"]).expires_at = expires_at
    sync(core, pull=True)
    opened = core.pickup.deposit(parcel["parcel_id"], "clerk-01")
    close_door(core, opened.number)
    sync(core)
    assert core.pickup.to_recall() == []
    core.clock.advance((expires_at - core.clock.now()).total_seconds() + 1)
    assert [p.parcel_id for p in core.pickup.to_recall()] == [parcel["parcel_id"]]
    core.pickup.recall(parcel["parcel_id"], "clerk-01", "expired")
    recalled = core.pickup.when_closed(parcel["parcel_id"])
    close_door(core, opened.number)
    assert recalled.result(10).state is ParcelState.RECALLED
    sync(core)
    assert on_district(district, clerk, parcel["parcel_id"])["state"] == "recalled"
