"""The device model: exactly one completion, timeouts, cancel, hot-plug healing."""
from __future__ import annotations

import gc
import weakref

import pytest

from devices.model import Availability, Completion, StatusChanged
from devices.simulator import SimulatorError
from foundation.clock import TestClock
from tests.devices.fakes import GateDevice


@pytest.fixture
def device():
    clock = TestClock()
    dev = GateDevice("gate", clock=clock)
    dev.start()
    dev.quick().result(5)
    yield dev
    dev.gate.set()
    dev.stop()


def test_device_comes_online_after_start(device):
    assert device.status.availability is Availability.ONLINE
    assert device.status.identity.model == "Gate"


def test_timeout_completes_once_with_timeout(device):
    command = device.wait_at_gate(timeout=10)
    assert device.entered.wait(5)
    device.clock.advance(10)
    result = command.result(5)
    assert result.completion is Completion.TIMEOUT
    device.gate.set()
    # the late return of the backend does not complete the command a second time
    assert device.quick().result(5).ok
    assert command.result().completion is Completion.TIMEOUT


def test_state_changing_command_cut_off_by_timeout_is_outcome_unknown(device):
    command = device.wait_at_gate(changes_state=True, timeout=3)
    assert device.entered.wait(5)
    device.clock.advance(3)
    assert command.result(5).completion is Completion.OUTCOME_UNKNOWN


def test_cancel_queued_command_completes_at_once(device):
    running = device.wait_at_gate(timeout=None)
    assert device.entered.wait(5)
    queued = device.quick()
    assert queued.cancel()
    assert queued.result(1).completion is Completion.CANCELED
    device.gate.set()
    assert running.result(5).ok


def test_cancel_running_command_is_cooperative(device):
    running = device.wait_at_gate(timeout=None)
    assert device.entered.wait(5)
    running.cancel()
    assert running.result(5).completion is Completion.CANCELED
    assert device.quick().result(5).ok


def test_removed_device_heals_without_restart(device):
    events: list[StatusChanged] = []
    device.subscribe(lambda e: events.append(e) if isinstance(e, StatusChanged) else None)
    device.simulate("remove")
    failed = device.quick().result(5)
    assert failed.completion is Completion.DEVICE_NOT_READY
    assert device.status.availability is Availability.NO_DEVICE
    device.clock.advance(5)  # recovery retries fail while unplugged
    device.quick().result(5)
    assert device.status.availability is Availability.NO_DEVICE
    device.simulate("replug")
    assert device.quick().result(5).ok
    assert device.status.availability is Availability.ONLINE
    seen = [e.changes.get("availability") for e in events if "availability" in e.changes]
    assert seen[:1] == ["noDevice"] and seen[-2:] == ["starting", "online"]


def test_hardware_fault_then_recover(device):
    device.simulate("fail", reason="motor stalled")
    result = device.quick().result(5)
    assert result.completion is Completion.DEVICE_NOT_READY
    assert device.status.availability is Availability.HARDWARE_ERROR
    assert "motor stalled" in device.status.reason
    device.simulate("recover")
    assert device.quick().result(5).ok


def test_unknown_simulator_action_names_the_known_ones(device):
    with pytest.raises(SimulatorError, match="known actions: .*remove"):
        device.simulate("explode")
    with pytest.raises(SimulatorError, match="known faults: glitch"):
        device.simulate("fault", name="nope")


def test_command_on_stopped_device_is_not_ready():
    dev = GateDevice("idle", clock=TestClock())
    assert dev.quick().result(1).completion is Completion.DEVICE_NOT_READY


def test_a_poll_holds_one_timer_however_long_it_runs(device):
    # a kiosk polls its devices for months: a tick's timer must go once it has fired (every
    # tick's timer was kept, a few hundred bytes a tick for as long as the kiosk ran)
    handed_out: list[weakref.ref] = []
    call_later = device.clock.call_later

    def recording(delay, callback):
        timer = call_later(delay, callback)
        handed_out.append(weakref.ref(timer))
        return timer
    device.clock.call_later = recording
    device.every(1.0, "status poll", lambda _token: None)
    for _ in range(200):
        device.clock.advance(1.0)
    gc.collect()
    assert len(handed_out) == 201
    assert sum(1 for timer in handed_out if timer() is not None) == 1   # the next tick's
