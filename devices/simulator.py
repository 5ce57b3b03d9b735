"""Scenario-driven behaviour shared by every simulated backend.

A simulated backend mixes in `SimulatorMixin` beside its real protocol code: the
virtual peer (card, board, printer) sits below the real driver, and the mixin adds
the generic scenario actions: `remove`, `replug`, `fail`, `recover`, `delay`, and
one-shot named faults a backend consumes with `take_fault(name)`. Kind-specific
actions are methods named `sim_<action>`.
"""
from __future__ import annotations

import threading
from typing import Any

from devices.commands import CancelToken, Command
from devices.model import DeviceHardwareError, NoDevice


class SimulatorError(ValueError):
    """A scenario asked a simulator for something it cannot do."""


class SimulatorMixin:
    name: str
    clock: Any

    def _init_simulator(self) -> None:
        self._sim_present = True
        self._sim_failure = ""
        self._sim_delay = 0.0
        self._sim_faults: list[str] = []
        self._sim_lock = threading.Lock()

    # --- dispatch ------------------------------------------------------------

    def simulate(self, action: str, **args: Any) -> Any:
        """Apply one scenario action (thread-safe; called from scenarios or the control panel)."""
        handler = getattr(self, f"sim_{action}", None)
        if handler is None:
            raise SimulatorError(f"device {self.name!r} has no simulator action {action!r}; "
                                 f"known actions: {', '.join(self.simulator_actions())}")
        try:
            return handler(**args)
        except TypeError as error:
            raise SimulatorError(f"device {self.name!r} action {action!r}: {error}") from None

    def simulator_actions(self) -> list[str]:
        return sorted(n[4:] for n in dir(self) if n.startswith("sim_") and callable(getattr(self, n)))

    # --- generic actions -------------------------------------------------------

    def sim_remove(self) -> None:
        """Unplug the device: the next I/O raises `NoDevice`, as the real driver would."""
        with self._sim_lock:
            self._sim_present = False
        self._probe_after_change()

    def sim_replug(self) -> "Command":
        """Plug it back: the hot-plug notification makes the device reopen at once (the
        returned command is that reopening)."""
        with self._sim_lock:
            self._sim_present = True
        return self.recover_now()  # type: ignore[attr-defined]

    def sim_fail(self, reason: str = "simulated hardware fault") -> None:
        with self._sim_lock:
            self._sim_failure = reason
        self._probe_after_change()

    def sim_recover(self) -> "Command":
        with self._sim_lock:
            self._sim_failure = ""
            self._sim_present = True
        return self.recover_now()  # type: ignore[attr-defined]

    def sim_delay(self, seconds: float) -> None:
        """Delay every following operation by `seconds` clock-seconds (0 clears it)."""
        if seconds < 0:
            raise SimulatorError("delay seconds must be >= 0")
        self._sim_delay = float(seconds)

    def sim_fault(self, name: str) -> None:
        """Arm a one-shot named fault the backend consumes (see its `faults` list)."""
        known = getattr(self, "faults", ())
        if name not in known:
            raise SimulatorError(f"device {self.name!r} has no fault {name!r}; "
                                 f"known faults: {', '.join(known) or 'none'}")
        with self._sim_lock:
            self._sim_faults.append(name)

    # --- used by the backend ---------------------------------------------------

    def take_fault(self, name: str) -> bool:
        with self._sim_lock:
            if name in self._sim_faults:
                self._sim_faults.remove(name)
                return True
        return False

    def check_simulated_device(self, token: CancelToken | None = None) -> None:
        """Call before each I/O: applies delay, absence and failure exactly like a real bus."""
        if self._sim_delay:
            self.clock.wait(threading.Event(), self._sim_delay)
        if token is not None:
            token.raise_if_cancelled()
        with self._sim_lock:
            present, failure = self._sim_present, self._sim_failure
        if not present:
            raise NoDevice(f"{self.name}: device not connected")
        if failure:
            raise DeviceHardwareError(f"{self.name}: {failure}")

    def _probe_after_change(self) -> None:
        # a real driver notices on its next I/O; probing now makes the status follow at once
        self.submit("probe", lambda token: self.check_simulated_device(token),  # type: ignore[attr-defined]
                    timeout=None, internal=True)
