"""The simulated locker bank: the real RS-485 driver talking over a pty to the board
simulator, so frames, timeouts and checksums are exercised exactly as on a real bus.

Scenario actions: `close`, `force_open`, `jam`, `unjam` (by compartment number),
`board_silent` (by board address);
one-shot faults on the wire: `no_reply`, `bad_checksum`.
"""
from __future__ import annotations

from devices.locker.bank import Bus, LockerSettings
from devices.locker.board_simulator import BoardSimulator
from devices.locker.codecs import Reply, Request
from devices.locker.rs485 import Rs485Bus, Rs485LockerBank
from devices.simulator import SimulatorError, SimulatorMixin


class _CheckedBus(Rs485Bus):
    def __init__(self, bank: "SimulatedLockerBank", *args) -> None:
        super().__init__(*args)
        self._bank = bank

    def open(self) -> None:
        self._bank.check_simulated_device()
        super().open()

    def transact(self, request: Request, *, retries: int) -> Reply:
        self._bank.check_simulated_device()
        return super().transact(request, retries=retries)


class SimulatedLockerBank(SimulatorMixin, Rs485LockerBank):
    backend = "simulated"
    Settings = LockerSettings
    faults = ("no_reply", "bad_checksum")

    def __init__(self, name: str, settings: LockerSettings | None = None, *, clock=None) -> None:
        super().__init__(name, settings, clock=clock)
        self._init_simulator()
        self.boards = BoardSimulator(
            self.codec, {b.address: (b.locks, b.open_level) for b in self.settings.boards},
            take_fault=self.take_fault).start()

    def _make_bus(self) -> Bus:
        s = self.settings
        return _CheckedBus(self, self.boards.port, self.codec, s.baudrate, s.reply_timeout_s)

    def stop(self, timeout: float = 5.0) -> None:
        super().stop(timeout)
        self.boards.stop()

    def _where(self, compartment: int) -> tuple[int, int]:
        c = self.compartments.get(compartment)
        if c is None:
            raise SimulatorError(f"there is no compartment {compartment}")
        return c.board, c.lock

    def sim_close(self, compartment: int) -> None:
        """The citizen shuts the door."""
        self.boards.close(*self._where(compartment))

    def sim_force_open(self, compartment: int) -> None:
        """The door is pried open without a command."""
        self.boards.force_open(*self._where(compartment))

    def sim_jam(self, compartment: int) -> None:
        """The lock will not release on the next opens."""
        self.boards.jam(*self._where(compartment))

    def sim_unjam(self, compartment: int) -> None:
        self.boards.jam(*self._where(compartment), jammed=False)

    def sim_board_silent(self, board: int, silent: bool = True) -> None:
        """One board stops answering (or answers again): its doors become unknown."""
        if board not in self.boards.boards:
            raise SimulatorError(f"there is no board {board}")
        self.boards.mute_board(board, silent)
