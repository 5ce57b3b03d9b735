"""Cancel and time out at every state of every journey; nothing personal may remain."""
from __future__ import annotations

import copy
from dataclasses import replace

import pytest

from kiosk.journeys import ApplyJourney, GuideJourney, IdentifyJourney, MaintenanceJourney, \
    PickupJourney, QueryJourney, RateJourney, SupplyJourney, TicketJourney
from kiosk.journeys.base import EndReason
from kiosk.journeys.ports import FaceOutcome
from tests.kiosk.journeys.fakes import KEPT, OWING, RECEIPT_QR, RESIDENT, SIGNATURE, FakeCitizen, \
    FakeDesk, FakeDiagnostics, FakeMaintenance, HeldWork, make_services, scanned


def _identify(path):
    """Steps through an embedded identification, `path(j)` giving the IdentifyJourney."""
    return [
        lambda j, s: path(j).choose_resident_id(),
        lambda j, s: s.documents.last.set_result(RESIDENT),
        lambda j, s: path(j).accept_face_check(),
        lambda j, s: s.face.last.set_result(FaceOutcome(False, True, "no_match")),
        lambda j, s: path(j).retry_face(),
        lambda j, s: s.face.last.set_result(FaceOutcome(True, True)),
    ]


APPLY = [
    lambda j, s: j.search("医疗"),
    lambda j, s: j.choose_item("T-YLJG-004"),
    lambda j, s: j.apply_now(),
    *_identify(lambda j: j.identify),
    lambda j, s: j.set_value("uscc", "91350100M000100Y43"),
    lambda j, s: j.set_value("opening_date", "2027-01-05"),
    lambda j, s: j.next_page(),
    lambda j, s: j.start_scan("floor_plan"),
    lambda j, s: s.scanner.last.set_result(scanned()),
    lambda j, s: j.start_scan("licence"),
    lambda j, s: s.scanner.last.set_result(scanned()),
    lambda j, s: j.keep_on_file("licence", True),
    lambda j, s: j.defer("licence"),
    lambda j, s: j.materials_done(),
    lambda j, s: j.sign(SIGNATURE),
    lambda j, s: j.choose_channel("window"),
    lambda j, s: j.agree(),
    *[lambda j, s: s.background.run()] * 3,    # the captures sealed: two pages, the signature
    lambda j, s: setattr(s.events, "broken", True),
    lambda j, s: j.submit(),
    lambda j, s: s.background.run(),
    lambda j, s: setattr(s.events, "broken", False),
    lambda j, s: j.submit(),
    lambda j, s: s.background.run(),
]
APPLY_BROWSE = [lambda j, s: j.open_category("housing"), lambda j, s: j.choose_item("T-JZZ-001")]
IDENTIFY_PASSPORT = [
    lambda j, s: j.choose_passport(),
    lambda j, s: j.scan_mrz(),
    lambda j, s: s.codes.last.set_result("E12345678:900101:300101"),
    lambda j, s: s.documents.last.set_exception(RuntimeError("chip")),
    lambda j, s: j.call_staff(),
]
IDENTIFY_NO_PHOTO = [
    lambda j, s: j.choose_resident_id(),
    lambda j, s: s.documents.last.set_result(RESIDENT.__class__("resident_id", "1", "李四")),
    lambda j, s: j.accept_face_check(),
    lambda j, s: s.citizen.release(),
]
QUERY = [*_identify(lambda j: j.identify), lambda j, s: s.citizen.release()]
#: the documents kept on file too, one deleted (零材料)
QUERY_KEPT = [*QUERY, lambda j, s: s.citizen.release(),
              lambda j, s: j.withdraw_certificate(KEPT.certificate_id),
              lambda j, s: j.confirm_withdraw(), lambda j, s: s.citizen.release()]
PICKUP_CODE = [
    lambda j, s: j.choose_code(),
    lambda j, s: j.enter_code("kiosk-1", "12"),
    lambda j, s: j.enter_code("kiosk-1", "123456"),
    lambda j, s: s.pickup.last.set_result(s.pickup.parcels),
    lambda j, s: s.pickup.close("P1"),
]
PICKUP_IDENTIFY = [lambda j, s: j.choose_identify(), *_identify(lambda j: j.identify),
                   lambda j, s: s.pickup.last.set_result([])]
TICKET = [lambda j, s: j.choose_ticket(), lambda j, s: s.citizen.release(),
          lambda j, s: j.take("general"), lambda j, s: s.citizen.release()]
CHECK_IN = [lambda j, s: j.choose_check_in(), lambda j, s: j.enter_booking("NOPE99"),
            lambda j, s: j.enter_booking("LATER1"),   # refused: the longest problem there
            lambda j, s: j.scan_booking(), lambda j, s: s.codes.last.set_result("BK2026"),
            lambda j, s: s.citizen.release()]
RATE = [lambda j, s: j.choose_level(2), lambda j, s: j.toggle_indicator("efficiency"),
        lambda j, s: j.set_comment("窗口太少，我的电话13812345678"), lambda j, s: j.send(),
        lambda j, s: s.background.run()]
GUIDE = [lambda j, s: j.ask("收费吗"), lambda j, s: j.open_hit(0), lambda j, s: j.back(),
         lambda j, s: j.ask("居住证"), lambda j, s: j.open_hit(0)]
MAINTENANCE = [lambda j, s: j.sign_in("T001", "wrong"), lambda j, s: s.background.run(),
               lambda j, s: j.sign_in("T001", "s3cret-pass"), lambda j, s: s.background.run()]
#: the staff card: read, a failed face check (refused), then read again and passed
MAINTENANCE_CARD = [
    lambda j, s: j.use_card(), lambda j, s: s.documents.last.set_result(RESIDENT),
    lambda j, s: s.face.last.set_result(FaceOutcome(False, True, "no_match")),
    lambda j, s: s.background.run(),
    lambda j, s: j.use_card(), lambda j, s: s.documents.last.set_result(RESIDENT),
    lambda j, s: s.face.last.set_result(FaceOutcome(True, True)),
    lambda j, s: s.background.run()]
MAINTENANCE_HALL = [lambda j, s: j.sign_in("H001", "s3cret-pass"),
                    lambda j, s: s.background.run()]
#: the diagnostics pages ([diagnostics]), each opened from the menu after signing in
PAGES_DEVICES = MAINTENANCE[2:] + [
    lambda j, s: j.open_page("devices"), lambda j, s: j.page.open_device("receipt_printer"),
    lambda j, s: j.page.run_test("test_page"),
    lambda j, s: s.diagnostics.last.set_result({"bytes": 1200}),
    lambda j, s: j.page.back(), lambda j, s: j.page.start_fix(),
    lambda j, s: s.diagnostics.fix()]
PAGES_CONSUMABLES = MAINTENANCE_HALL + [
    lambda j, s: j.open_page("consumables"), lambda j, s: j.page.open_device("receipt_printer"),
    lambda j, s: j.page.start_fix(), lambda j, s: s.diagnostics.fix()]
PAGES_QUEUE = MAINTENANCE[2:] + [
    lambda j, s: j.open_page("queue"),
    lambda j, s: j.page.export("/media/staff/USB/kiosk-queue-export"),
    lambda j, s: s.background.run(), lambda j, s: j.page.back(),
    lambda j, s: j.page.sync_now(), lambda j, s: s.background.run()]
PAGES_CONFIGURATION = MAINTENANCE[2:] + [
    lambda j, s: j.open_page("configuration"), lambda j, s: j.page.apply_site_file(),
    lambda j, s: j.page.back(), lambda j, s: j.page.apply_site_file()]
PAGES_LOGS = MAINTENANCE[2:] + [
    lambda j, s: j.open_page("logs"), lambda j, s: j.page.export("/media/staff/USB/kiosk-logs")]
#: the lockers page: a door opens for a parcel, is left open, another opens and closes; then
#: an expired parcel is taken back
PAGES_LOCKERS = MAINTENANCE_HALL + [
    lambda j, s: j.open_page("lockers"), lambda j, s: j.page.fill("P4"),
    lambda j, s: s.pickup.last.set_result(replace(FakeDesk.TO_FILL, compartment="A01")),
    lambda j, s: j.page.give_up(), lambda j, s: j.page.another_compartment(),
    lambda j, s: s.pickup.last.set_result(replace(FakeDesk.TO_FILL, compartment="A02")),
    lambda j, s: s.pickup.close("P4"), lambda j, s: j.page.next(),
    lambda j, s: j.page.recall("P9"), lambda j, s: s.pickup.last.set_result(FakeDesk.TO_RECALL),
    lambda j, s: s.pickup.close("P9")]
LOCKERS = {"maintenance": FakeMaintenance(), "background": HeldWork(),
           "pickup": FakeDesk(hold=True)}
DIAGNOSTICS = {"maintenance": FakeMaintenance(), "background": HeldWork(),
               "diagnostics": FakeDiagnostics()}
SUPPLY = [
    lambda j, s: j.scan_receipt(),
    lambda j, s: s.codes.last.set_result(RECEIPT_QR),
    lambda j, s: s.citizen.release(),
    lambda j, s: j.start_scan("FT-2026-0003/licence"),
    lambda j, s: s.scanner.last.set_result(scanned()),
    lambda j, s: s.background.run(),                # the page sealed as it was scanned
    lambda j, s: setattr(s.events, "broken", True),
    lambda j, s: j.materials_done(),
    lambda j, s: s.background.run(),
    lambda j, s: setattr(s.events, "broken", False),
    lambda j, s: j.materials_done(),
    lambda j, s: s.background.run(),
]
SUPPLY_IDENTIFY = [lambda j, s: j.identify_me(), *_identify(lambda j: j.identify)]

HOLD = {"citizen": FakeCitizen(hold=True)}
#: the identification scripts again, embedded in apply (as the screens show them)
TO_IDENTIFY = [lambda j, s: j.choose_item("T-JZZ-001"), lambda j, s: j.apply_now()]


def embedded(script):
    return TO_IDENTIFY + [lambda j, s, step=step: step(j.identify, s) for step in script]


SCRIPTS = {
    "apply": (ApplyJourney, APPLY, {"background": HeldWork()}), "apply-browse": (ApplyJourney, APPLY_BROWSE, {}),
    "identify-passport": (IdentifyJourney, IDENTIFY_PASSPORT, {}),
    "identify-offline": (IdentifyJourney, IDENTIFY_NO_PHOTO,
                         {"citizen": FakeCitizen(online=False, hold=True)}),
    "apply-identify-passport": (ApplyJourney, embedded(IDENTIFY_PASSPORT), {}),
    "apply-identify-offline": (ApplyJourney, embedded(IDENTIFY_NO_PHOTO),
                               {"citizen": FakeCitizen(online=False, hold=True)}),
    "query": (QueryJourney, QUERY_KEPT,
              {"citizen": FakeCitizen(hold=True, certificates_on_file=[KEPT])}),
    "query-offline": (QueryJourney, QUERY[:-1], {"citizen": FakeCitizen(online=False)}),
    "pickup-code": (PickupJourney, PICKUP_CODE, {"pickup": FakeDesk(hold=True)}),
    "pickup-identify": (PickupJourney, PICKUP_IDENTIFY, {"pickup": FakeDesk(hold=True)}),
    "pickup-jam": (PickupJourney, PICKUP_CODE[:4] + [
        lambda j, s: s.pickup.closers["P1"].set_exception(RuntimeError("jammed"))],
        {"pickup": FakeDesk(hold=True)}),
    "pickup-down": (PickupJourney, [], {"pickup": FakeDesk(usable=False)}),
    "ticket": (TicketJourney, TICKET, HOLD), "check-in": (TicketJourney, CHECK_IN, HOLD),
    "ticket-offline": (TicketJourney, TICKET[:2], {"citizen": FakeCitizen(online=False,
                                                                          hold=True)}),
    "rate": (RateJourney, RATE, {"background": HeldWork()}), "guide": (GuideJourney, GUIDE, {}),
    "supply": (SupplyJourney, SUPPLY, {"citizen": FakeCitizen(hold=True, owing=[OWING]),
                                       "background": HeldWork()}),
    "supply-nothing": (SupplyJourney, SUPPLY_IDENTIFY, {}),
    "maintenance": (MaintenanceJourney, MAINTENANCE,
                    {"maintenance": FakeMaintenance(), "background": HeldWork()}),
    "maintenance-card": (MaintenanceJourney, MAINTENANCE_CARD,
                         {"maintenance": FakeMaintenance(), "background": HeldWork()}),
    "maintenance-hall": (MaintenanceJourney, MAINTENANCE_HALL,
                         {"maintenance": FakeMaintenance(), "background": HeldWork()}),
    "maintenance-devices": (MaintenanceJourney, PAGES_DEVICES, DIAGNOSTICS),
    "maintenance-consumables": (MaintenanceJourney, PAGES_CONSUMABLES, DIAGNOSTICS),
    "maintenance-queue": (MaintenanceJourney, PAGES_QUEUE, DIAGNOSTICS),
    "maintenance-configuration": (MaintenanceJourney, PAGES_CONFIGURATION, DIAGNOSTICS),
    "maintenance-logs": (MaintenanceJourney, PAGES_LOGS, DIAGNOSTICS),
    "maintenance-lockers": (MaintenanceJourney, PAGES_LOCKERS, LOCKERS),
    "maintenance-lockers-down": (MaintenanceJourney, PAGES_LOCKERS[:3], {
        **LOCKERS, "pickup": FakeDesk(usable=False)}),
}


def _cases():
    for name, (_cls, script, _over) in SCRIPTS.items():
        for stop in range(len(script) + 1):
            for how in ("cancel", "timeout"):
                yield pytest.param(name, stop, how, id=f"{name}-{stop}-{how}")


def _walk(catalogue, clock, name, stop):
    cls, script, overrides = SCRIPTS[name]
    services = make_services(catalogue, clock, **copy.deepcopy(overrides))
    journey = cls(services)
    for step in script[:stop]:
        step(journey, services)
    return journey, services


@pytest.mark.parametrize("name, stop, how", list(_cases()))
def test_end_at_every_state_wipes_everything(catalogue, test_clock, name, stop, how):
    journey, services = _walk(catalogue, test_clock, name, stop)
    if journey.ended:
        return   # the script itself finished (rating skipped etc.)
    getattr(journey, how)()
    assert journey.ended
    assert journey.end_reason is (EndReason.CANCELLED if how == "cancel" else EndReason.TIMEOUT)
    assert journey.personal_data_present() == []
    for child in journey.children():
        assert child.ended


def test_the_scripts_reach_every_state():
    """Guard for the test above: every state of every journey is visited by some script."""
    from tests.kiosk.journeys.conftest import FIXTURE
    import yaml
    from kiosk.catalogue import catalogue_from_mapping
    from foundation.clock import TestClock
    catalogue = catalogue_from_mapping(yaml.safe_load(FIXTURE.read_text(encoding="utf-8")))
    seen: dict[type, set] = {}
    for name, (cls, script, _over) in SCRIPTS.items():
        for stop in range(len(script) + 1):
            journey, _services = _walk(catalogue, TestClock(), name, stop)
            seen.setdefault(cls, set()).add(journey.state)
            for child in journey.children():
                seen.setdefault(type(child), set()).add(child.state)
    missing = {cls.name: sorted(s.value for s in cls.State if s not in seen.get(cls, set())
                                and s.value != "ended")
               for cls in (ApplyJourney, IdentifyJourney, QueryJourney, PickupJourney,
                           TicketJourney, RateJourney, GuideJourney, SupplyJourney)}
    assert {k: v for k, v in missing.items() if v} == {}
