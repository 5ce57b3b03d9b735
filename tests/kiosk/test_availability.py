"""A scenario fails a device and recovers it without a restart; journey availability follows."""
from __future__ import annotations


from devices.registry import DeviceRegistry
from kiosk.availability import JOURNEY_REQUIREMENTS, journey_availability
from foundation.clock import TestClock
from kiosk.scenario import load_scenario, run_device_step
from tests.devices.fakes import GateDevice

JOURNEYS = list(JOURNEY_REQUIREMENTS)


def make_registry(clock):
    names = {"reader": "id_reader", "camera": "face_camera", "doccam": "document_camera",
             "scanner": "code_reader", "printer": "receipt_printer", "lockers": "locker_bank"}
    registry = DeviceRegistry(devices={n: GateDevice(n, clock=clock) for n in names},
                              roles={role: [n] for n, role in names.items()})
    registry.start()
    for device in registry.devices.values():
        device.quick().result(5)
    return registry


def settle(registry):
    """Wait until every device worker has handled what was queued before now."""
    for device in registry.devices.values():
        device.submit("settle", lambda token: None, internal=True).result(5)


def test_scenario_fails_and_recovers_a_device_and_availability_follows(tmp_path):
    clock = TestClock()
    registry = make_registry(clock)
    try:
        scenario_file = tmp_path / "fail-recover.yaml"
        scenario_file.write_text("""
name: lockers fail and heal
steps:
  - device: {device: lockers, action: remove}
  - advance_clock: 30
  - device: {device: lockers, action: replug}
  - device: {device: printer, action: fail, args: {reason: paper jam}}
  - device: {device: printer, action: recover}
""")
        steps = load_scenario(scenario_file).steps
        assert all(journey_availability(registry, JOURNEYS)[j].available for j in JOURNEYS)

        run_device_step(steps[0], registry, clock)
        settle(registry)
        pickup = journey_availability(registry, JOURNEYS)["pickup"]
        assert not pickup.available
        assert "locker_bank unavailable" in pickup.reasons[0] and "noDevice" in pickup.reasons[0]
        assert journey_availability(registry, JOURNEYS)["apply"].available

        run_device_step(steps[1], registry, clock)  # the healing retries fail while unplugged
        settle(registry)
        assert not journey_availability(registry, JOURNEYS)["pickup"].available

        run_device_step(steps[2], registry, clock)
        settle(registry)
        assert journey_availability(registry, JOURNEYS)["pickup"].available
        assert registry["lockers"].opens == 2  # reopened in place, not rebuilt

        run_device_step(steps[3], registry, clock)
        settle(registry)
        apply = journey_availability(registry, JOURNEYS)["apply"]
        assert apply.available
        assert apply.degraded == ("receipt by QR code instead of paper",)
        assert "ticket number shown and sent by QR" in journey_availability(registry, JOURNEYS)["ticket"].degraded

        run_device_step(steps[4], registry, clock)
        settle(registry)
        assert journey_availability(registry, JOURNEYS)["apply"].degraded == ()
    finally:
        registry.stop()


def test_server_unreachable_blocks_tickets_but_not_applications():
    clock = TestClock()
    registry = make_registry(clock)
    try:
        offline = journey_availability(registry, JOURNEYS, server_reachable=False)
        assert not offline["ticket"].available
        assert offline["apply"].available
        assert "sent when the network returns" in offline["apply"].degraded[0]
    finally:
        registry.stop()
