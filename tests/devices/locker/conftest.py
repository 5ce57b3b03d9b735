from __future__ import annotations

import threading

import pytest

from devices.locker.bank import LockerSettings
from devices.locker.simulated import SimulatedLockerBank
from foundation.clock import TestClock

BOARDS = {
    # CU16 boards are 0-based, 8A/80 boards 1-based; the second board is wired the other way
    "kerong_cu16": [{"address": 0, "locks": 8}, {"address": 1, "locks": 8, "open_level": "low"}],
    "xor_8a": [{"address": 1, "locks": 8}, {"address": 2, "locks": 8, "open_level": "low"}],
}


class EventLog:
    """Collects kind events; `wait_for` blocks on a condition, never on the clock."""

    def __init__(self) -> None:
        self.events: list[tuple[str, dict]] = []
        self._changed = threading.Condition()

    def __call__(self, event) -> None:
        if event.name == "statusChanged":
            return
        with self._changed:
            self.events.append((event.name, dict(event.data)))
            self._changed.notify_all()

    def wait_for(self, name: str, compartment: int, timeout: float = 10) -> bool:
        with self._changed:
            return self._changed.wait_for(
                lambda: (name, compartment) in [(n, d.get("compartment")) for n, d in self.events],
                timeout)

    def names(self) -> list[str]:
        return [n for n, _ in self.events]


def make_bank(codec: str, **overrides) -> SimulatedLockerBank:
    options = dict(codec=codec, boards=BOARDS[codec], reply_timeout_s=1.0, poll_s=1.0,
                   left_open_alarm_s=60, jam_timeout_s=5)
    options.update(overrides)
    settings = LockerSettings(**options)
    bank = SimulatedLockerBank("lockers", settings, clock=TestClock())
    bank.log = EventLog()
    bank.subscribe(bank.log)
    bank.start()
    return bank


@pytest.fixture(params=["kerong_cu16", "xor_8a"])
def bank(request):
    bank = make_bank(request.param)
    assert bank.read_all().result(10).ok
    yield bank
    bank.stop()
