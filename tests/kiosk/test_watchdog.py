"""The systemd watchdog: pings (over a real NOTIFY_SOCKET datagram socket) only while every
device worker answers; a dead device worker is restarted in place."""
from __future__ import annotations

import os
import socket

import pytest

from devices.model import Availability, Completion
from foundation.clock import TestClock
from kiosk.watchdog import SystemdNotifier, Watchdog, WorkerLiveness, watchdog_interval_s
from tests.devices.fakes import GateDevice
from tests.kiosk.fake_systemd import systemd  # noqa: F401 (a fixture)

ANSWER_S = 120.0


@pytest.fixture
def clock():
    return TestClock()


@pytest.fixture
def devices(clock):
    started = [GateDevice("printer", clock=clock), GateDevice("scanner", clock=clock)]
    for device in started:
        device.start()
        assert device.quick().result(10).ok
    yield started
    for device in started:
        device.gate.set()
        device.stop()


@pytest.fixture
def watchdog(devices, clock, systemd):
    liveness = WorkerLiveness(devices, None, clock=clock, device_answer_s=ANSWER_S,
                              sync_progress_s=900)
    notifier = SystemdNotifier(str(systemd.path))
    yield Watchdog(liveness, notifier, interval_s=1)
    notifier.close()


def answered(watchdog: Watchdog, *devices: str) -> None:
    """Wait until the pings the last tick sent (to `devices`; default: all) have run."""
    for name, (ping, _sent) in watchdog.liveness._pings.items():
        if not devices or name in devices:
            ping.result(10)


def test_ready_then_a_ping_per_tick_while_every_worker_answers(watchdog, devices, clock, systemd):
    watchdog.ready()
    assert systemd.received() == [{"READY": "1", "STATUS": "serving"}]
    for _ in range(3):
        assert watchdog.tick() == []
        answered(watchdog)
        clock.advance(ANSWER_S)
    assert systemd.pings() == 3


def test_pings_stop_while_a_device_worker_is_blocked_and_resume_after(watchdog, devices, clock, systemd):
    printer = devices[0]
    watchdog.tick()
    answered(watchdog)
    stuck = printer.wait_at_gate(timeout=None)  # a driver call that does not return
    assert printer.entered.wait(10)
    assert watchdog.tick() == []   # its ping is queued behind the stuck call: not late yet
    answered(watchdog, "scanner")
    clock.advance(ANSWER_S)
    problems = watchdog.tick()
    assert problems == ["device printer: its worker has not answered for 120 s"]
    messages = systemd.received()
    assert [m.get("WATCHDOG") for m in messages] == ["1", "1", None]
    assert messages[-1]["STATUS"] == "not answering: " + problems[0]
    printer.gate.set()
    assert stuck.result(10).ok
    answered(watchdog)
    assert watchdog.tick() == []
    assert systemd.pings() == 1


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_dead_device_worker_is_restarted_and_the_device_serves_again(watchdog, devices, clock, systemd):
    scanner = devices[1]

    def end_the_worker(_token):
        raise SystemExit  # beyond what a command's failure catches: the thread ends
    killed = scanner.submit("fatal", end_the_worker, timeout=None)
    assert killed.result(10).completion is Completion.OUTCOME_UNKNOWN
    scanner._thread.join(10)
    assert not scanner.worker_alive

    watchdog.tick()
    assert scanner.worker_alive
    assert scanner.quick().result(10).ok
    assert scanner.status.availability is Availability.ONLINE
    assert scanner.opens == 2


def test_the_watchdog_period_is_half_of_what_systemd_allows_this_process():
    pid = str(os.getpid())
    assert watchdog_interval_s({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": pid}) == 15
    assert watchdog_interval_s({"WATCHDOG_USEC": "30000000"}) == 15
    # under cage, the unit's main process is the compositor, the kiosk its child
    assert watchdog_interval_s({"WATCHDOG_USEC": "30000000",
                                "WATCHDOG_PID": str(os.getppid())}) == 15
    assert watchdog_interval_s({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"}) is None
    assert watchdog_interval_s({}) is None


def test_an_abstract_notify_socket_is_reached(devices, clock):
    name = f"kiosk-watchdog-test-{os.getpid()}"
    receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    receiver.bind("\0" + name)
    try:
        notifier = SystemdNotifier.from_environment({"NOTIFY_SOCKET": "@" + name})
        assert notifier is not None and notifier.notify("WATCHDOG=1")
        assert receiver.recv(64) == b"WATCHDOG=1"
        notifier.close()
    finally:
        receiver.close()
    assert SystemdNotifier.from_environment({}) is None
