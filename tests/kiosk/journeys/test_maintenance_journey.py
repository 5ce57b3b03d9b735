"""The staff screens' state machine: refused without saying why, the menu of the role, and
every way out returns the kiosk to service."""
from __future__ import annotations

import pytest

from kiosk.journeys import MaintenanceJourney
from kiosk.journeys.base import Journey, JourneyActionRefused, JourneyState
from kiosk.journeys.maintenance import MaintenanceState as S
from kiosk.journeys.maintenance_pages import PAGE_JOURNEYS
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


class _Page(Journey):
    """A page with two screens, as the real ones (maintenance_pages/) have more."""

    class State(JourneyState):
        OVERVIEW = ("overview", "page")
        DETAIL = ("detail", "page")
        ENDED = ("ended", "end")

    name = "queue"
    actions = frozenset({"detail", "finish"})

    def __init__(self, services, *, role, staff_id):
        self.opened_by = (role, staff_id)
        super().__init__(services)

    def initial_state(self):
        return self.State.OVERVIEW

    def _reset_personal(self):
        pass

    def detail(self):
        self._go(self.State.DETAIL)

    def back(self):
        self._require(self.State.DETAIL)
        self._go(self.State.OVERVIEW)


def test_a_page_opens_for_its_role_steps_back_and_returns_to_the_menu(
        catalogue, test_clock, monkeypatch):
    monkeypatch.setitem(PAGE_JOURNEYS, "queue", _Page)
    j, port = journey(catalogue, test_clock)
    j.sign_in("H001", "s3cret-pass")
    with pytest.raises(JourneyActionRefused):
        j.open_page("queue")                      # not a hall staff page
    j.leave()
    j, port = journey(catalogue, test_clock)
    j.sign_in("T001", "s3cret-pass")
    assert "queue" in j.open_pages()
    j.open_page("queue")
    assert j.state is S.PAGE and j.page.opened_by == ("technician", "T001")
    j.page.detail()
    j.back()                                      # the page's own step back
    assert j.page.state is _Page.State.OVERVIEW
    j.back()                                      # nothing left to step back: the menu
    assert j.state is S.MENU and j.page is None and port.left == []


def test_the_idle_timeout_inside_a_page_ends_the_page_and_leaves_maintenance(
        catalogue, test_clock, monkeypatch):
    monkeypatch.setitem(PAGE_JOURNEYS, "queue", _Page)
    j, port = journey(catalogue, test_clock)
    j.sign_in("T001", "s3cret-pass")
    j.open_page("queue")
    page = j.page
    j.timeout()
    assert page.ended and j.ended and port.left == ["inactivity"]
    assert j.personal_data_present() == []
