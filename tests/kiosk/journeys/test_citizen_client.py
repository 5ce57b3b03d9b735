"""offline_queue/citizen.py against the real district server on loopback (enrolled kiosk,
signed requests, signed citizen assertions), and the journeys on top of it."""
from __future__ import annotations

from datetime import timedelta

import pytest

from foundation.clock import SystemClock
from kiosk.journeys import QueryJourney, TicketJourney
from kiosk.journeys.ports import Identified, NotFound, Refused, ServerUnavailable
from kiosk.journeys.adapters.citizen import CitizenPort
from tests.kiosk.journeys.fakes import RESIDENT, identify_with_card, make_services

WAIT = 30  # seconds a future may take on a loaded CI machine


@pytest.fixture
def district(tmp_path):
    from tests.offline_queue.live_district import LiveDistrict
    with LiveDistrict(tmp_path / "district") as server:
        yield server


def enrolled_client(district, directory, kiosk_id: str, clock, clock_offset_s: float = 0.0):
    """A CitizenClient of a freshly enrolled kiosk (its transport's measured clock offset
    set as the health probe would)."""
    from offline_queue.citizen import CitizenClient
    from offline_queue.enrolment import enroll
    from offline_queue.transport import SignedTransport
    identity = enroll(district.url, district.enrollment_token(kiosk_id), kiosk_id, directory,
                      clock=clock)
    transport = SignedTransport(district.url, identity.kiosk_id, identity.signing_key,
                                clock=clock)
    transport.clock_offset_s = clock_offset_s
    return CitizenClient(transport, identity.signing_key, clock=clock)


@pytest.fixture
def client(district, tmp_path):
    made = enrolled_client(district, tmp_path / "queue", "kiosk-g-1", SystemClock())
    yield CitizenPort(made)
    made.close()


def who() -> Identified:
    return Identified(RESIDENT, "document+face", SystemClock().now())


def test_citizen_services_answer_for_an_identified_citizen(client):
    cases = client.cases(who()).result(WAIT)
    assert isinstance(cases, list)
    certificates = client.certificates(who(), ["resident_id"]).result(WAIT)
    assert all(c.elicence_type == "resident_id" for c in certificates)
    categories = client.ticket_categories().result(WAIT)
    assert categories and all(c.waiting >= 0 for c in categories)
    ticket = client.take_ticket(categories[0].code).result(WAIT)
    assert ticket.ticket_no and ticket.category == categories[0].code
    assert client.call_staff("help", "identify").result(WAIT) >= 0


class FastClock(SystemClock):
    """The kiosk's wall clock running 40 s ahead of the server's."""

    def now(self):
        return super().now() + timedelta(seconds=40)


def test_a_kiosk_with_a_fast_clock_still_reads_for_the_citizen(district, tmp_path):
    clock = FastClock()
    made = enrolled_client(district, tmp_path / "fast", "kiosk-fast", clock, -40.0)
    try:
        identified = Identified(RESIDENT, "document+face", clock.now())
        assert isinstance(CitizenPort(made).cases(identified).result(WAIT), list)
    finally:
        made.close()


def test_unknown_booking_code_is_not_found(client):
    with pytest.raises(NotFound):
        client.check_in("NOSUCHCODE").result(WAIT)


def test_a_booking_for_another_day_is_refused_with_the_reason_the_citizen_is_told(
        client, district, catalogue):
    district.book("LATER2026", SystemClock().now() + timedelta(days=2))
    with pytest.raises(Refused) as refused:
        client.check_in("LATER2026").result(WAIT)
    assert refused.value.reason == "not_today"
    services = make_services(catalogue, SystemClock(), citizen=client, online=lambda: True)
    ticket = TicketJourney(services)
    ticket.choose_check_in()
    ticket.enter_booking("later2026")
    wait_for_state(ticket, "enter_booking")
    assert ticket.problem == "booking_not_today"   # not "the network is down"


def test_a_demo_district_whose_catalogue_has_no_commitment_service_books_the_demo_citizen(
        tmp_path):
    from district_server.citizens.service import DEMO_BOOKING_CODE
    from tests.offline_queue.live_district import LiveDistrict
    with LiveDistrict(tmp_path / "district", demo_citizens=True) as district:  # started
        made = enrolled_client(district, tmp_path / "queue", "kiosk-demo", SystemClock())
        try:
            answer = CitizenPort(made).check_in(DEMO_BOOKING_CODE).result(WAIT)
        finally:
            made.close()
    assert answer.appointment.status == "checked_in" and answer.ticket.ticket_no


def test_server_gone_is_server_unavailable(client, district):
    district.stop()
    with pytest.raises(ServerUnavailable):
        client.ticket_categories().result(WAIT)
    with pytest.raises(ServerUnavailable):
        client.cases(who()).result(WAIT)


def wait_for_state(journey, state: str) -> None:
    """Block the test (not a UI) until the journey reaches `state`: answers come back on
    the client's thread."""
    import threading
    arrived = threading.Event()
    journey.subscribe(lambda j: arrived.set() if j.state.value == state else None)
    assert journey.state.value == state or arrived.wait(WAIT), journey.state.value


def test_query_and_ticket_journeys_on_the_live_server(client, catalogue):
    services = make_services(catalogue, SystemClock(), citizen=client, online=lambda: True)
    query = QueryJourney(services)
    identify_with_card(query.identify)
    wait_for_state(query, "cases")
    assert query.problem == ""
    ticket = TicketJourney(services)
    ticket.choose_ticket()
    wait_for_state(ticket, "categories")
    ticket.take(ticket.categories[0].code)
    wait_for_state(ticket, "ticket")
    assert ticket.ticket.ticket_no and services.printer.printed[-1][0] == "ticket"
