"""The demo's pseudo-devices in scenarios: `network` cuts and restores the line to the
embedded server, `clock` runs the TestClock in frame ticks until a screen shows."""
from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import pytest

from foundation.clock import TestClock
from kiosk.scenario import DeviceAction


def runner_with(qapp, *, screen="apply.identify_face_check", network=None, clock=None,
                face_busy=lambda: False):
    from ui.scenario_runner import ScenarioRunner
    shell = SimpleNamespace(screen_name=screen)
    return ScenarioRunner(shell, clock=clock, set_network_cut=network, face_busy=face_busy)


def test_network_cut_and_restore_reach_the_demo(qapp):
    calls = []
    runner = runner_with(qapp, network=calls.append)
    runner._run_step(DeviceAction(device="network", action="cut"))
    runner._run_step(DeviceAction(device="network", action="restore"))
    assert calls == [True, False]


@pytest.mark.parametrize("step, problem", [
    (DeviceAction(device="network", action="unplug"), ValueError),
    (DeviceAction(device="network", action="cut", args={"for_s": 3}), ValueError),
    (DeviceAction(device="clock", action="stop"), ValueError),
])
def test_a_pseudo_device_step_it_does_not_know_is_refused(qapp, step, problem):
    runner = runner_with(qapp, network=lambda cut: None, clock=TestClock())
    with pytest.raises(problem):
        runner._run_step(step)


def test_network_steps_outside_the_demo_say_so(qapp):
    with pytest.raises(RuntimeError, match="need the demo"):
        runner_with(qapp)._run_step(DeviceAction(device="network", action="cut"))


def test_the_clock_runs_in_frame_ticks_until_the_screen_shows(qapp):
    clock = TestClock()
    runner = runner_with(qapp, clock=clock)
    runner.CLOCK_TICK_REAL_MS = 0
    start = clock.monotonic()
    # a screen change after three ticks, as the face check would make it
    clock.call_later(3 * runner.CLOCK_TICK_S,
                     lambda: setattr(runner.shell, "screen_name", "apply.form"))
    runner._run_step(DeviceAction(device="clock", action="run",
                                  args={"seconds": 5, "until_screen": "apply.form"}))
    assert runner.shell.screen_name == "apply.form"
    assert clock.monotonic() - start == pytest.approx(3 * runner.CLOCK_TICK_S, abs=1e-6)


def test_the_clock_waits_for_the_face_child_before_the_next_frame(qapp):
    # on a slow machine the child is still on a frame when the next tick comes and drops
    # the next frame (a blink lost): the runner waits for it, whatever the machine's speed
    clock = TestClock()
    child = {"busy_for": 0, "taken": 0, "dropped": 0}

    def frame() -> None:
        if child["busy_for"]:
            child["dropped"] += 1
        else:
            child["taken"] += 1
            child["busy_for"] = 3      # still analysing at the next three looks

    def busy() -> bool:
        if child["busy_for"]:
            child["busy_for"] -= 1
            return True
        return False
    runner = runner_with(qapp, clock=clock, face_busy=busy)
    runner.CLOCK_TICK_REAL_MS = 0
    for tick in range(1, 6):
        clock.call_later(tick * runner.CLOCK_TICK_S - 1e-9, frame)
    runner._run_step(DeviceAction(device="clock", action="run", args={"seconds": 5 / 15}))
    assert (child["taken"], child["dropped"]) == (5, 0)


def test_the_clock_that_runs_out_names_the_screen_showing(qapp):
    runner = runner_with(qapp, clock=TestClock())
    runner.CLOCK_TICK_REAL_MS = 0
    with pytest.raises(RuntimeError, match="showing 'apply.identify_face_check'"):
        runner._run_step(DeviceAction(device="clock", action="run",
                                      args={"seconds": 0.5, "until_screen": "apply.form"}))


def test_the_clock_waits_for_each_ticks_frame_to_reach_the_face_step(qapp):
    # the camera's worker grabs a tick's frame on its own thread, maybe late on a busy
    # machine: the runner moves the clock on only once that frame has been offered
    from ui.scenario_runner import ScenarioRunner
    clock = TestClock()
    listeners: list = []
    offered_at: list[float] = []

    def subscribe(listener):
        listeners.append(listener)
        return lambda: listeners.remove(listener)

    def slow_camera_worker() -> None:
        time.sleep(0.05)   # a slow grab; the assertion below does not depend on its length
        offered_at.append(clock.monotonic())
        for listener in list(listeners):
            listener(None)

    def camera_frame() -> None:
        threading.Thread(target=slow_camera_worker).start()
    runner = ScenarioRunner(SimpleNamespace(screen_name="apply.identify_face_check"),
                            clock=clock, face_frames=subscribe)
    runner.CLOCK_TICK_REAL_MS = 60_000
    for tick in range(1, 6):
        clock.call_later(tick * runner.CLOCK_TICK_S - 1e-9, camera_frame)
    runner._run_step(DeviceAction(device="clock", action="run", args={"seconds": 5 / 15}))
    assert offered_at == pytest.approx([tick * runner.CLOCK_TICK_S for tick in range(1, 6)])
    assert listeners == []   # the runner's listener goes when the clock stops
