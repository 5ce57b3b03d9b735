"""The staff screens' state machine: refused without saying why, the menu of the role, and
every way out returns the kiosk to service."""
from __future__ import annotations

from kiosk.journeys import MaintenanceJourney
from kiosk.journeys.maintenance import MaintenanceState as S
from tests.kiosk.journeys.fakes import FakeMaintenance, make_services


def journey(catalogue, clock):
    services = make_services(catalogue, clock, maintenance=FakeMaintenance())
    return MaintenanceJourney(services), services.maintenance


def test_refused_then_locked_then_the_technicians_menu(catalogue, test_clock):
    j, port = journey(catalogue, test_clock)
    j.sign_in("T001", "wrong")
    assert j.state is S.SIGN_IN and j.problem == "entry_refused"
    j.sign_in("nobody", "s3cret-pass")
    assert j.problem == "entry_refused"          # an unknown id reads the same
    j.sign_in("T001", "wrong")
    assert j.problem == "entry_locked"


def test_hall_staff_see_consumables_and_lockers_only(catalogue, test_clock):
    j, port = journey(catalogue, test_clock)
    j.sign_in(" H001 ", "s3cret-pass")
    assert j.state is S.MENU and j.pages() == ["consumables", "lockers"]
    j.leave()
    assert j.ended and port.left == ["left"] and j.personal_data_present() == []


def test_the_idle_timeout_leaves_maintenance(catalogue, test_clock):
    j, port = journey(catalogue, test_clock)
    j.sign_in("T001", "s3cret-pass")
    assert "queue" in j.pages()
    j.timeout()
    assert port.left == ["inactivity"]
