from datetime import datetime, timezone

import pytest

from kiosk.journeys import GuideJourney, PickupJourney, QueryJourney, RateJourney, TicketJourney
from kiosk.journeys.ports import Parcel, TicketToPrint
from tests.kiosk.journeys.fakes import KEPT, RESIDENT, FakeCitizen, FakeDesk, identify_with_card, make_services


@pytest.fixture
def services(catalogue, test_clock):
    return make_services(catalogue, test_clock)


def test_query_online_lists_server_cases(services):
    journey = QueryJourney(services)
    identify_with_card(journey.identify)
    assert journey.state.value == "cases"
    assert [c.case_number for c in journey.cases] == ["FT-2026-0001", "FT-2026-0002"]
    journey.finish()
    assert journey.personal_data_present() == []


def test_query_lists_the_documents_kept_on_file_and_deletes_one_when_confirmed(catalogue,
                                                                             test_clock):
    services = make_services(catalogue, test_clock, citizen=FakeCitizen())
    services.citizen.certificates_on_file.append(KEPT)
    journey = QueryJourney(services)
    identify_with_card(journey.identify)
    assert journey.state.value == "cases"
    assert journey.kept == [KEPT]       # the e-licence library's are not the citizen's to drop
    journey.withdraw_certificate(KEPT.certificate_id)
    assert journey.state.value == "confirm_withdraw"
    journey.keep_certificate()
    assert journey.state.value == "cases" and journey.kept == [KEPT]
    journey.withdraw_certificate(KEPT.certificate_id)
    journey.confirm_withdraw()
    assert (journey.state.value, journey.problem, journey.kept) == (
        "cases", "certificate_withdrawn", [])
    assert KEPT not in services.citizen.certificates_on_file
    journey.finish()
    assert journey.personal_data_present() == []


def test_query_offline_shows_local_pending_honestly(catalogue, test_clock):
    services = make_services(catalogue, test_clock, citizen=FakeCitizen(online=False))
    services.pending.record(type("W", (), {"id_number": RESIDENT.id_number})(), "kiosk-7",
                            catalogue.item("T-JZZ-001"))
    journey = QueryJourney(services)
    identify_with_card(journey.identify)
    assert journey.state.value == "local_cases" and journey.problem == "offline"
    assert [c.case_number for c in journey.cases] == ["kiosk-7"]


def test_pickup_with_code_opens_the_compartments_and_waits_for_every_door(catalogue,
                                                                          test_clock):
    parcels = [Parcel("P1", "居住证", "Permit", "A03"), Parcel("P2", "犬只登记", "Dog", "B01")]
    services = make_services(catalogue, test_clock, pickup=FakeDesk(parcels))
    journey = PickupJourney(services)
    journey.choose_code()
    journey.enter_code("", "123456")
    assert journey.problem == "case_number_missing"
    journey.enter_code("kiosk-1", "12")
    assert journey.problem == "code_format"
    journey.enter_code("kiosk-1", "000000")
    assert journey.state.value == "enter_code" and journey.problem == "code_wrong"
    journey.enter_code("kiosk-1", "123456")
    assert journey.state.value == "door_open"
    assert [p.compartment for p in journey.open_parcels] == ["A03", "B01"]
    assert journey.wall.rows[0] == ["A01", "A02", "A03"]
    services.pickup.close("P2")
    assert journey.state.value == "door_open" and len(journey.open_parcels) == 1
    services.pickup.close("P1")
    assert journey.state.value == "done"
    journey.finish()
    assert journey.personal_data_present() == []


def test_pickup_code_tries_are_limited(services):
    journey = PickupJourney(services)
    journey.choose_code()
    for _ in range(3):
        journey.enter_code("kiosk-1", "000000")
    assert journey.state.value == "nothing" and journey.problem == "too_many_tries"


def test_pickup_after_identification(services):
    journey = PickupJourney(services)
    journey.choose_identify()
    identify_with_card(journey.identify)
    assert journey.state.value == "door_open"


def test_pickup_nothing_waiting(catalogue, test_clock):
    services = make_services(catalogue, test_clock, pickup=FakeDesk([]))
    journey = PickupJourney(services)
    journey.choose_identify()
    identify_with_card(journey.identify)
    assert journey.state.value == "nothing" and journey.problem == "nothing_waiting"
    journey.try_again()   # not a dead end: check the code, or the card, once more
    assert journey.state.value == "choose_method" and journey.personal_data_present() == []
    journey.choose_code()
    assert journey.state.value == "enter_code"


def test_locker_board_down_makes_pickup_unavailable_with_reason(catalogue, test_clock):
    services = make_services(catalogue, test_clock, pickup=FakeDesk(usable=False))
    journey = PickupJourney(services)
    assert journey.state.value == "unavailable"
    assert journey.problem == "lockers_down"  # the board's own words go to the log only


def test_walk_in_ticket_prints(services):
    journey = TicketJourney(services)
    journey.choose_ticket()
    assert journey.categories[0].waiting == 4
    journey.take("general")
    assert journey.state.value == "ticket" and journey.ticket.ticket_no == "A012"
    assert services.printer.printed == [("ticket", TicketToPrint(
        ticket_no="A012", category="综合业务", waiting=4,
        issued_at=datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)))]


def test_check_in_typed_code(services):
    journey = TicketJourney(services)
    journey.choose_check_in()
    journey.enter_booking("x")
    assert journey.problem == "booking_code_invalid"
    journey.enter_booking("WRONG1")
    assert journey.state.value == "enter_booking" and journey.problem == "booking_not_found"
    journey.enter_booking("bk2026")
    assert journey.state.value == "ticket" and journey.appointment.appointment_id == "AP1"


@pytest.mark.parametrize("code, problem", [("LATER1", "booking_not_today"),
                                           ("USED01", "booking_used"),
                                           ("ELSE01", "booking_other_hall")])
def test_a_booking_the_server_refuses_is_explained_on_the_code_screen(services, code, problem):
    journey = TicketJourney(services)
    journey.choose_check_in()
    journey.enter_booking(code)
    assert journey.state.value == "enter_booking" and journey.problem == problem
    journey.enter_booking("bk2026")  # and the citizen can try another code
    assert journey.state.value == "ticket"


def test_a_refusal_for_a_reason_the_kiosk_does_not_know_is_not_called_the_network(services):
    journey = TicketJourney(services)
    journey.choose_check_in()
    journey.enter_booking("ODD001")
    assert journey.state.value == "unavailable" and journey.problem == "server_error"


def test_ticket_offline_is_unavailable_and_no_printer_shows_it(catalogue, test_clock):
    offline = make_services(catalogue, test_clock, citizen=FakeCitizen(online=False))
    journey = TicketJourney(offline)
    journey.choose_ticket()
    assert journey.state.value == "unavailable" and journey.problem == "offline"
    no_printer = make_services(catalogue, test_clock, printer=None)
    journey = TicketJourney(no_printer)
    journey.choose_ticket()
    journey.take("general")
    assert journey.print_status == "no_printer"


def test_rating_goes_through_the_sink(services):
    journey = RateJourney(services, case_number="kiosk-1", service_code="T-JZZ-001")
    journey.choose_level(4)
    journey.toggle_indicator("efficiency")
    journey.toggle_indicator("convenience")
    journey.toggle_indicator("efficiency")
    journey.set_comment("很方便")
    journey.send()
    assert journey.state.value == "thanks"
    kind, payload, _ = services.events.items[0]
    assert kind == "rating" and payload["level"] == 4
    assert payload["indicators"] == ["convenience"] and payload["comment"] == "很方便"
    from wire.v1 import RatingPayload
    RatingPayload.model_validate(payload)


def test_rating_is_skippable_and_records_nothing(services):
    journey = RateJourney(services)
    journey.choose_level(1)
    journey.skip()
    assert journey.ended and services.events.items == []


def test_rating_storage_failure_thanks_anyway(catalogue, test_clock):
    services = make_services(catalogue, test_clock)
    services.events.broken = True
    journey = RateJourney(services)
    journey.choose_level(5)
    journey.send()
    assert journey.state.value == "thanks" and journey.problem == "not_saved"


def test_guide_answers_and_hands_off_to_apply(services):
    journey = GuideJourney(services)
    journey.ask("怎么收费")
    assert journey.state.value == "answers"
    journey.open_hit(0)
    assert journey.state.value == "answer" and "免费" in journey.faq.answer.zh
    journey.back()
    journey.ask("qzdj")
    journey.open_hit(0)
    assert journey.state.value == "item" and journey.item.task_code == "T-QZDJ-002"
    assert journey.apply_handoff() == "T-QZDJ-002" and journey.ended


def test_guide_says_when_it_has_no_answer(services):
    journey = GuideJourney(services)
    journey.ask("spaceship")
    assert journey.problem == "no_answer"
