"""Supply a missing material (补交) with fakes: found by the receipt's QR or by
identification, what is owed shown (the district's word online, this kiosk's promise
offline), scanned with the document camera, sent as a "supplied" commitment event."""
from __future__ import annotations

from datetime import date

import pytest

from kiosk.journeys import ApplyJourney, SupplyJourney
from kiosk.journeys.supply import SupplyState as S
from tests.kiosk.journeys.fakes import FOLLOWUP_SECRET, JPEG, OWING, RECEIPT_QR, RESIDENT, \
    SIGNATURE, FakeCitizen, HeldWork, identify_with_card, make_services, scanned
from wire.v1 import FEATURE_SUPPLY_BY_SECRET


@pytest.fixture
def services(catalogue, test_clock):
    return make_services(catalogue, test_clock, citizen=FakeCitizen(owing=[OWING]))


def scan_and_send(journey, services, key="FT-2026-0003/licence"):
    journey.start_scan(key)
    assert journey.state is S.SCAN
    services.scanner.last.set_result(scanned())
    assert journey.state is S.OWED and journey.materials[key].pages == [JPEG]
    journey.materials_done()
    assert journey.state is S.SENT, journey.problem


def test_from_the_receipt_qr_online_the_district_says_what_is_owed(services):
    journey = SupplyJourney(services)
    journey.scan_receipt()
    services.codes.last.set_result(RECEIPT_QR)
    assert journey.state is S.OWED and journey.problem == ""
    [owed] = journey.owed
    assert (owed.case_number, owed.materials, owed.due, owed.source) == \
        ("FT-2026-0003", ("licence",), date(2026, 12, 9), "district")
    assert journey.materials["FT-2026-0003/licence"].material.name.zh == "营业执照"
    scan_and_send(journey, services)
    [(kind, payload, blobs)] = services.events.items
    assert kind == "commitment"
    assert payload == {"case_number": "FT-2026-0003", "action": "supplied",
                       "supplied": [{"code": "licence", "status": "provided",
                                     "blobs": ["blob:licence-1"]}]}
    assert blobs == {"blob:licence-1": JPEG}
    assert journey.sent_cases == ["FT-2026-0003"] and not journey.stored_offline
    journey.finish()
    assert journey.personal_data_present() == []


def test_another_kiosk_s_case_is_sent_with_the_proof_the_district_takes(services):
    """The receipt's secret to a district listing the feature, else nothing new; after
    identification, the signed statement that the holder was identified here."""
    services.server_features = lambda: frozenset({FEATURE_SUPPLY_BY_SECRET})
    journey = SupplyJourney(services)
    journey.scan_receipt()
    services.codes.last.set_result(RECEIPT_QR)
    scan_and_send(journey, services)
    assert services.events.items[-1][1]["followup_secret"] == FOLLOWUP_SECRET
    journey.finish()
    journey = SupplyJourney(services)
    journey.identify_me()
    identify_with_card(journey.identify)
    scan_and_send(journey, services)
    sent = services.events.items[-1][1]
    assert "followup_secret" not in sent
    assert sent["holder_assertion"]["assertion"]["id_number"] == RESIDENT.id_number


def test_a_district_of_the_previous_release_gets_no_new_field(services):
    journey = SupplyJourney(services)
    journey.scan_receipt()
    services.codes.last.set_result(RECEIPT_QR)
    scan_and_send(journey, services)
    assert "followup_secret" not in services.events.items[-1][1]


def test_a_wrong_secret_or_another_code_finds_nothing(services):
    journey = SupplyJourney(services)
    journey.scan_receipt()
    services.codes.last.set_result("BK2026")
    assert (journey.state, journey.problem) == (S.CHOOSE, "not_a_receipt")
    journey.scan_receipt()
    services.codes.last.set_result(RECEIPT_QR.replace(FOLLOWUP_SECRET, "x" * 24))
    assert (journey.state, journey.problem) == (S.NOTHING, "no_such_case")
    assert services.events.items == []


def test_by_identification_lists_only_cases_that_owe_something(services):
    journey = SupplyJourney(services)
    journey.identify_me()
    identify_with_card(journey.identify)
    assert journey.state is S.OWED
    assert [o.case_number for o in journey.owed] == ["FT-2026-0003"]


def test_nothing_owed_says_so(catalogue, test_clock):
    services = make_services(catalogue, test_clock)
    journey = SupplyJourney(services)
    journey.identify_me()
    identify_with_card(journey.identify)
    assert (journey.state, journey.problem) == (S.NOTHING, "nothing_owed")
    journey.finish()


def applied_here_with_a_deferred_licence(services) -> str:
    journey = ApplyJourney(services)
    journey.choose_item("T-YLJG-004")
    journey.apply_now()
    identify_with_card(journey.identify)
    journey.set_value("uscc", "91350100M000100Y43")
    journey.set_value("opening_date", "2027-01-05")
    journey.next_page()
    journey.start_scan("floor_plan")
    services.scanner.last.set_result(scanned())
    journey.defer("licence")
    journey.materials_done()
    journey.sign(SIGNATURE)
    journey.choose_channel("window")
    journey.agree()
    journey.submit()
    number, due = journey.case_number, journey.commitment().due_date
    journey.finish()
    return number, due


def find_case(services, start: str, number: str) -> SupplyJourney:
    """A supply journey started from the case's receipt QR or by identification."""
    journey = SupplyJourney(services)
    if start == "qr":
        journey.scan_receipt()
        services.codes.last.set_result(f"https://ft.gov.example/case/{number}?t={'s' * 32}")
    else:
        journey.identify_me()
        identify_with_card(journey.identify)
    return journey


@pytest.mark.parametrize("start", ["qr", "identify"])
def test_offline_the_promise_made_here_is_shown_as_such_and_the_material_queued(
        catalogue, test_clock, start):
    services = make_services(catalogue, test_clock, citizen=FakeCitizen(online=False))
    number, due = applied_here_with_a_deferred_licence(services)
    journey = find_case(services, start, number)
    assert (journey.state, journey.problem) == (S.OWED, "promised_here")
    [owed] = journey.owed
    assert (owed.case_number, owed.materials, owed.due, owed.source) == \
        (number, ("licence",), due, "this_kiosk")
    scan_and_send(journey, services, f"{number}/licence")
    assert journey.stored_offline
    assert services.events.items[-1][:2] == ("commitment", {
        "case_number": number, "action": "supplied",
        "supplied": [{"code": "licence", "status": "provided", "blobs": ["blob:licence-1"]}]})
    assert services.pending.owed(number) is None        # supplied: not offered again


@pytest.mark.parametrize("start", ["qr", "identify"])
def test_online_a_case_still_in_the_queue_shows_what_was_promised_here(
        catalogue, test_clock, start):
    """Applied here a moment ago, not yet at the district (which knows nothing of it)."""
    services = make_services(catalogue, test_clock)
    number, due = applied_here_with_a_deferred_licence(services)
    journey = find_case(services, start, number)
    assert (journey.state, journey.problem) == (S.OWED, "promised_not_arrived")
    assert [(o.case_number, o.source) for o in journey.owed] == [(number, "this_kiosk")]


def test_offline_a_case_not_made_here_is_not_guessed(catalogue, test_clock):
    services = make_services(catalogue, test_clock, citizen=FakeCitizen(online=False))
    journey = SupplyJourney(services)
    journey.scan_receipt()
    services.codes.last.set_result(RECEIPT_QR)
    assert (journey.state, journey.problem) == (S.NOTHING, "unknown_offline")


def test_sending_without_a_scan_is_refused_and_a_full_disk_loses_nothing(catalogue,
                                                                          test_clock):
    services = make_services(catalogue, test_clock, citizen=FakeCitizen(owing=[OWING]),
                             background=HeldWork())
    journey = SupplyJourney(services)
    journey.scan_receipt()
    services.codes.last.set_result(RECEIPT_QR)
    journey.materials_done()
    assert (journey.state, journey.problem) == (S.OWED, "scan_something")
    journey.start_scan("FT-2026-0003/licence")
    services.scanner.last.set_result(scanned())
    services.background.run()                           # the page sealed as it was scanned
    services.events.broken = True
    journey.materials_done()
    assert journey.state is S.SENDING and journey.is_committing
    services.background.run()
    assert (journey.state, journey.problem) == (S.SEND_FAILED, "storage_unavailable")
    services.events.broken = False
    journey.materials_done()
    services.background.run()
    assert journey.state is S.SENT and len(services.events.items) == 1
    assert services.events.given_plaintext == []


def test_the_camera_step_is_apply_s_and_can_be_left(services):
    journey = SupplyJourney(services)
    journey.scan_receipt()
    services.codes.last.set_result(RECEIPT_QR)
    journey.start_scan("FT-2026-0003/licence")
    journey.back()
    assert journey.state is S.OWED and services.scanner.cancels == 1
    services.scanner.last.set_result(scanned())          # too late: dropped
    assert journey.materials["FT-2026-0003/licence"].pages == []
    services.role_usable = lambda role: role != "document_camera"
    journey.start_scan("FT-2026-0003/licence")
    assert (journey.state, journey.problem) == (S.OWED, "scanner_down")
