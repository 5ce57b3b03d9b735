"""The systemd watchdog is pinged from the Qt loop: a blocked loop sends nothing."""
from __future__ import annotations

import socket

import pytest

from foundation.clock import TestClock
from kiosk.watchdog import SystemdNotifier, Watchdog, WorkerLiveness
from tests.kiosk.fake_systemd import systemd  # noqa: F401 (a fixture)
from ui.watchdog_timer import WatchdogTimer

INTERVAL_S = 0.02


def test_pings_come_from_the_qt_loop_and_stop_while_it_is_blocked(qapp, qtbot, systemd):
    liveness = WorkerLiveness([], None, clock=TestClock(), device_answer_s=60,
                              sync_progress_s=900)
    timer = WatchdogTimer(Watchdog(liveness, SystemdNotifier(str(systemd.path)), INTERVAL_S))
    timer.start()
    try:
        assert systemd.received()[0] == {"READY": "1", "STATUS": "serving"}
        qtbot.waitUntil(lambda: systemd.pings() >= 1, timeout=10000)

        # the Qt thread is held here, in a blocking read: no timer runs, so nothing arrives
        systemd.received()
        systemd.socket.settimeout(20 * INTERVAL_S)
        with pytest.raises(socket.timeout):
            systemd.socket.recv(4096)
        systemd.socket.setblocking(False)

        qtbot.waitUntil(lambda: systemd.pings() >= 1, timeout=10000)  # the loop turns again
    finally:
        timer.stop()
    assert systemd.received()[-1] == {"STOPPING": "1"}
