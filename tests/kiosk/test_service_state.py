"""The one service state: stops, maintenance phases, and what the core shows of them."""
from __future__ import annotations

from kiosk.config import load_config
from kiosk.service_state import STORAGE, Mode, ServiceState, StaffPerson

TECH = StaffPerson("T001", "technician")


def test_a_partial_stop_keeps_the_kiosk_in_service_a_whole_stop_does_not():
    service, seen = ServiceState(), []
    service.subscribe(lambda s: seen.append(s.mode))
    service.stop(STORAGE, "disk full")
    snapshot = service.snapshot()
    assert snapshot.mode is Mode.IN_SERVICE and snapshot.withdrawn("needs_storage") == "disk full"
    service.stop("district", "closed for the holiday")
    assert service.mode is Mode.OUT_OF_SERVICE
    assert service.snapshot().reason() == "district: closed for the holiday"
    service.resume("district")
    service.resume(STORAGE)
    assert service.snapshot().stops == {} and seen[-1] is Mode.IN_SERVICE


def test_an_entry_asked_during_a_session_waits_until_it_ends():
    service = ServiceState()
    assert not service.ask_entry(session_active=True)
    assert service.mode is Mode.ENTERING and service.snapshot().offers_journeys
    assert not service.enter(TECH)   # the citizen is not cut off
    assert service.session_ended()
    assert service.enter(TECH) and not service.snapshot().offers_journeys
    assert service.snapshot().as_dict()["role"] == "technician"


def test_leaving_passes_through_leaving_and_restores_what_the_stops_leave():
    service, seen = ServiceState(), []
    service.stop("district", "remote")
    assert service.ask_entry(session_active=False) and service.enter(TECH)
    service.subscribe(lambda s: seen.append(s.mode))
    service.leave()
    assert seen == [Mode.LEAVING, Mode.OUT_OF_SERVICE]
    assert service.snapshot().person is None


def test_core_withdraws_every_journey_in_maintenance_and_reports_it(tmp_path, test_clock):
    from kiosk.app import KioskCore
    from tests.kiosk.test_core import ListSink
    from wire.v1 import ReportedState
    core = KioskCore.create(load_config(None), tmp_path, clock=test_clock, event_sink=ListSink(),
                            with_face=False)
    core.start()
    try:
        assert core.wait_settled() == [] and core.availability()["guide"].available
        changes = []
        core.subscribe(lambda availability: changes.append(availability))
        assert core.service.ask_entry(session_active=False) and core.service.enter(TECH)
        guide = core.availability()["guide"]
        assert not guide.available and "maintenance" in guide.reasons[0]
        assert changes, "the attract screen is told"
        reported = ReportedState.model_validate(core.reported())
        assert reported.service_state.mode == "maintenance"
        assert reported.service_state.role == "technician"
        core.service.leave()
        assert core.availability()["guide"].available
    finally:
        core.stop()
