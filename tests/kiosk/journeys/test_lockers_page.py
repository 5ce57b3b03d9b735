"""The "lockers" maintenance page over the real pickup service and the real locker stack
(driver + pty board simulator): staff fill a compartment, a door that does not open or is
left open offers another, expired parcels are recalled."""
from __future__ import annotations

import pytest

from kiosk.journeys.adapters.pickup import PickupPort
from kiosk.journeys.maintenance_pages.lockers import LockersPage, LockersState as S
from kiosk.journeys.ports import run_inline
from kiosk.pickup import ParcelState
from tests.kiosk.journeys.fakes import make_services
from tests.kiosk.test_pickup import lockers, service, to_fill  # noqa: F401 - fixtures


@pytest.fixture
def page(service, catalogue):
    service.assign([to_fill("P4"), to_fill("P5")])
    services = make_services(catalogue, service.clock,
                             pickup=PickupPort(service, run_inline))
    return LockersPage(services, role="hall_staff", staff_id="H001")


def poll(service) -> None:
    """One door poll: the page hears what it saw before this returns."""
    assert service.lockers.read_all().result(10).ok


def shut(service, number: int) -> None:
    service.lockers.simulate("close", compartment=number)
    poll(service)


def test_staff_fill_a_parcel_and_the_closing_door_stores_it(page, service):
    assert [p.parcel_id for p in page.to_fill()] == ["P4", "P5"]
    page.fill_by_code("k2-p4")                 # the case number on the document's label
    assert page.state is S.DOOR_OPEN and page.current.compartment == "1"
    assert page.wall.rows[0][0] == "1"          # the diagram the page highlights it on
    shut(service, 1)
    assert page.state is S.DONE
    assert service.store.all()["P4"].state is ParcelState.STORED
    page.next()
    assert [p.parcel_id for p in page.to_fill()] == ["P5"]


def test_a_jammed_door_says_so_and_offers_another_compartment(page, service):
    service.lockers.simulate("jam", compartment=1)
    page.fill("P4")
    assert page.state is S.DOOR_OPEN
    service.lockers.clock.advance(service.lockers.settings.jam_timeout_s)
    poll(service)                               # past the jam timeout: jammed
    assert (page.state, page.problem) == (S.PROBLEM, "compartment_did_not_open")
    page.another_compartment()
    assert page.state is S.DOOR_OPEN and page.current.compartment == "2"
    shut(service, 2)
    assert page.state is S.DONE
    assert service.store.all()["P4"].compartment == 2


def test_a_door_left_open_is_given_up_and_never_stored(page, service):
    page.fill("P4")
    page.give_up()
    assert (page.state, page.problem) == (S.PROBLEM, "compartment_left_open")
    page.another_compartment()
    assert page.current.compartment == "2"
    shut(service, 1)                            # the first door shut late: nothing recorded
    assert service.store.all()["P4"].state is ParcelState.ASSIGNED
    shut(service, 2)
    assert page.state is S.DONE and service.store.all()["P4"].compartment == 2


def test_leaving_the_page_with_a_door_open_gives_it_up(page, service):
    page.fill("P4")
    page.cancel()
    shut(service, 1)
    assert service.store.all()["P4"].state is ParcelState.ASSIGNED


def test_expired_parcels_are_recalled(page, service):
    page.fill("P4")
    shut(service, 1)
    page.next()
    assert page.to_recall() == []
    service.clock.advance(8 * 24 * 3600)
    assert [p.parcel_id for p in page.to_recall()] == ["P1", "P2", "P4"]
    page.recall("P4")
    assert page.state is S.DOOR_OPEN and page.current.compartment == "1"
    shut(service, 1)
    assert page.state is S.DONE
    assert service.store.all()["P4"].state is ParcelState.RECALLED


def test_an_unknown_parcel_is_said(page):
    page.fill_by_code("NOPE")
    assert (page.state, page.problem) == (S.LIST, "no_such_parcel")
    page.back()
    assert page.ended


def test_leaving_while_the_door_is_being_opened_gives_it_up(service, catalogue):
    from tests.kiosk.journeys.fakes import HeldWork
    service.assign([to_fill("P4")])
    held = HeldWork()
    page = LockersPage(make_services(catalogue, service.clock,
                                     pickup=PickupPort(service, held)),
                       role="hall_staff", staff_id="H001")
    page.fill("P4")
    assert page.state is S.OPENING
    page.timeout()
    held.run()                                  # the door opens after the page has ended
    shut(service, 1)
    assert service.store.all()["P4"].state is ParcelState.ASSIGNED
