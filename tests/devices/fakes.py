"""A small simulated device for testing the device model and the kiosk roll-up."""
from __future__ import annotations

import threading

from devices.base import Device
from devices.commands import CancelToken
from devices.model import DeviceIdentity
from devices.simulator import SimulatorMixin


class GateDevice(SimulatorMixin, Device):
    """A simulated device whose commands block on a gate the test opens."""
    kind = "test"
    backend = "simulated"
    faults = ("glitch",)

    def __init__(self, name: str, *, clock) -> None:
        super().__init__(name, clock=clock)
        self._init_simulator()
        self.gate = threading.Event()
        self.entered = threading.Event()
        self.opens = 0

    def _open(self) -> DeviceIdentity:
        self.check_simulated_device()
        self.opens += 1
        return DeviceIdentity(model="Gate", backend=self.backend)

    def wait_at_gate(self, changes_state: bool = False, timeout: float | None = 5.0):
        def run(token: CancelToken) -> str:
            self.check_simulated_device(token)
            self.entered.set()
            while not self.gate.wait(0.01):
                token.raise_if_cancelled()
            return "done"
        return self.submit("wait", run, timeout=timeout, changes_state=changes_state)

    def quick(self):
        return self.submit("quick", lambda token: self.check_simulated_device(token) or "ok")
