"""The locker bank kind: compartments on lock boards, doors tracked by polling.

Compartments are numbered for people (1..N) and map to (board, lock) in configuration.
Each board's switch polarity says whether a high level means "door open". Polling
(`Device.every`) reads every board and turns changes into events:
- `opened` (commanded) / `forcedOpen` (nobody asked: fraud alarm),
- `closed`,
- `leftOpen` once a door stays open past `left_open_alarm_s`,
- `jammed` when a commanded door never reports open within `jam_timeout_s`.
A board that misses replies leaves its doors unknown (a warning); only when no board
answers is the bank offline. An open that gets no (or a garbled) reply ends
`outcomeUnknown`: the board may have acted, so it is reconciled by polling and never
retried blindly.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, model_validator

from devices.base import Device, DeviceSettings
from devices.commands import CancelToken, Command
from devices.locker.codecs import CODECS, Codec, Reply, Request, RequestKind
from devices.model import (Availability, CommandTimeout, DeviceError, DeviceIdentity,
                           DeviceOffline, ErrorClass, InvalidData, OutcomeUnknown, Severity,
                           UnitState, UserError)

log = logging.getLogger(__name__)


class BoardConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    address: int = Field(ge=0, le=64)
    locks: int = Field(ge=1, le=32)
    #: the switch level that means "door open" (normally-open vs normally-closed wiring)
    open_level: Literal["high", "low"] = "high"


class CompartmentConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    number: int = Field(ge=1, le=9999)
    board: int = Field(ge=0, le=64)
    lock: int = Field(ge=1, le=32)
    size: Literal["S", "M", "L", "XL"] = "M"
    #: what the door says (e.g. "A07"); empty: the number
    label: str = Field("", max_length=8)

    @property
    def shown(self) -> str:
        return self.label or str(self.number)


class LockerSettings(DeviceSettings):
    codec: Literal["kerong_cu16", "xor_8a"] = "xor_8a"
    port: str = Field("/dev/ttyUSB0", min_length=1)
    baudrate: int = Field(0, ge=0, le=921600)   # 0: the codec's usual rate
    reply_timeout_s: float = Field(1.0, gt=0, le=10)
    query_retries: int = Field(1, ge=0, le=5)
    poll_s: float = Field(1.0, gt=0, le=60)
    left_open_alarm_s: float = Field(120.0, gt=0, le=86400)
    jam_timeout_s: float = Field(5.0, gt=0, le=120)
    boards: list[BoardConfig] = Field(min_length=1)
    #: empty: compartments 1..N in board order, size M
    compartments: list[CompartmentConfig] = []
    #: the wall as people see it, rows of compartment numbers; empty: one row per board
    wall: list[list[int]] = []

    @model_validator(mode="after")
    def _consistent(self) -> "LockerSettings":
        codec = CODECS[self.codec]
        addresses = [b.address for b in self.boards]
        if len(set(addresses)) != len(addresses):
            raise ValueError("two boards share an address")
        for board in self.boards:
            if not codec.min_board <= board.address <= codec.max_board:
                raise ValueError(f"board address {board.address} is outside "
                                 f"{codec.min_board}..{codec.max_board} for {self.codec}")
            if board.locks > codec.max_locks:
                raise ValueError(f"board {board.address} has more than {codec.max_locks} locks")
        locks = {b.address: b.locks for b in self.boards}
        seen_numbers, seen_locks = set(), set()
        for c in self.compartments:
            if c.board not in locks or c.lock > locks[c.board]:
                raise ValueError(f"compartment {c.number} names board {c.board} lock {c.lock}, "
                                 "which is not configured")
            if c.number in seen_numbers or (c.board, c.lock) in seen_locks:
                raise ValueError(f"compartment {c.number} is defined twice")
            seen_numbers.add(c.number)
            seen_locks.add((c.board, c.lock))
        numbers = set(self.compartment_map())
        for row in self.wall:
            for number in row:
                if number not in numbers:
                    raise ValueError(f"the wall shows compartment {number}, which is not defined")
        return self

    def wall_rows(self) -> list[list[int]]:
        if self.wall:
            return [list(row) for row in self.wall]
        by_board: dict[int, list[int]] = {}
        for number, c in self.compartment_map().items():
            by_board.setdefault(c.board, []).append(number)
        return list(by_board.values())

    def compartment_map(self) -> dict[int, CompartmentConfig]:
        if self.compartments:
            return {c.number: c for c in self.compartments}
        numbered, number = {}, 1
        for board in self.boards:
            for lock in range(1, board.locks + 1):
                numbered[number] = CompartmentConfig(number=number, board=board.address, lock=lock)
                number += 1
        return numbered


class Bus(Protocol):
    port: str

    def open(self) -> None: ...
    def transact(self, request: Request, *, retries: int) -> Reply: ...
    def close(self) -> None: ...


class CompartmentNotFound(UserError):
    pass


@dataclass
class _Door:
    open: bool | None = None
    opened_at: float = 0.0
    commanded_at: float | None = None    # an open was sent and not yet seen open
    alarmed: bool = False
    jammed: bool = False


@dataclass(frozen=True)
class OpenResult:
    number: int
    opened: bool     # False: sent, not (yet) reported open; polling reports jammed or opened


class LockerBank(Device):
    kind = "locker"
    Settings = LockerSettings
    settings: LockerSettings

    def __init__(self, name: str, settings: LockerSettings | None = None, *, clock=None) -> None:
        super().__init__(name, settings, clock=clock)
        self.codec: Codec = CODECS[self.settings.codec]
        self.compartments = self.settings.compartment_map()
        self._boards = {b.address: b for b in self.settings.boards}
        self._doors = {n: _Door() for n in self.compartments}
        self._bus: Bus | None = None
        self._silent_boards: list[int] = []

    def _make_bus(self) -> Bus:
        raise NotImplementedError

    # --- public commands --------------------------------------------------------------

    def open(self, number: int) -> Command:
        """Unlock one compartment -> `OpenResult`; no reply ends outcomeUnknown."""
        self._compartment(number)
        return self.submit(f"open {number}", lambda token: self._open_door(number, token),
                           timeout=self.settings.reply_timeout_s * 2 + 5, changes_state=True)

    def read(self, number: int) -> Command:
        """-> True when the compartment's door is open."""
        self._compartment(number)
        return self.submit(f"read {number}", lambda token: self._read_one(number, token),
                           timeout=self._query_timeout())

    def read_all(self) -> Command:
        """-> {compartment number: door open}."""
        return self.submit("read all", lambda token: self._poll(token),
                           timeout=self._query_timeout() * len(self._boards))

    def door_states(self) -> dict[int, UnitState]:
        return {n: self._unit_state(d) for n, d in self._doors.items()}

    # --- worker side ---------------------------------------------------------------

    def _query_timeout(self) -> float:
        return self.settings.reply_timeout_s * (self.settings.query_retries + 1) + 5

    def _compartment(self, number: int):
        try:
            return self.compartments[number]
        except KeyError:
            raise CompartmentNotFound(f"there is no compartment {number}",
                                      code="noSuchCompartment") from None

    def _open(self) -> DeviceIdentity:
        self._bus = self._make_bus()
        self._bus.open()
        self._poll(None)
        return DeviceIdentity(model=f"lock boards ({self.codec.name}, {len(self._boards)} boards)",
                              backend=self.backend, port=self._bus.port)

    def _close(self) -> None:
        if self._bus is not None:
            bus, self._bus = self._bus, None
            bus.close()

    def _after_open(self) -> None:
        self._report_silent_boards(self._silent_boards)
        self.every(self.settings.poll_s, "door poll", lambda token: self._poll(token))

    def _transact(self, request: Request, retries: int) -> Reply:
        assert self._bus is not None
        return self._bus.transact(request, retries=retries)

    def _is_open(self, board: int, level: bool) -> bool:
        return level == (self._boards[board].open_level == "high")

    def _open_door(self, number: int, token: CancelToken) -> OpenResult:
        token.raise_if_cancelled()
        c = self._compartment(number)
        door = self._doors[number]
        door.commanded_at = self.clock.monotonic()
        door.jammed = False
        try:
            reply = self._transact(Request(RequestKind.OPEN, c.board, c.lock), retries=0)
        except InvalidData as error:
            raise OutcomeUnknown(f"open {number}: garbled reply ({error.message}); "
                                 "reconciling by polling", code="openUnconfirmed") from None
        except DeviceOffline as error:
            self._board_silent(c.board)
            raise OutcomeUnknown(f"open {number}: {error.message}; reconciling by polling",
                                 code="openUnconfirmed") from None
        opened = self._is_open(c.board, reply.levels[c.lock])
        if opened:
            self._observe(number, True)
        log.info("compartment unlocked", extra={"device": self.name, "compartment": number,
                                                "reported_open": opened})
        return OpenResult(number, opened)

    def _read_one(self, number: int, token: CancelToken) -> bool:
        token.raise_if_cancelled()
        c = self._compartment(number)
        try:
            reply = self._transact(Request(RequestKind.QUERY, c.board, c.lock),
                                   self.settings.query_retries)
        except DeviceOffline as error:
            self._board_silent(c.board)
            raise CommandTimeout(error.message, code=error.code) from None
        is_open = self._is_open(c.board, reply.levels[c.lock])
        self._observe(number, is_open)
        return is_open

    def _poll(self, token: CancelToken | None) -> dict[int, bool]:
        """Read every board. A board that does not answer leaves its doors unknown and the
        bank usable with a warning; only when no board answers is the bank offline."""
        states: dict[int, bool] = {}
        silent: list[tuple[int, DeviceError]] = []
        for address in self._boards:
            if token is not None:
                token.raise_if_cancelled()
            try:
                reply = self._transact(Request(RequestKind.QUERY_ALL, address),
                                       self.settings.query_retries)
            except (DeviceOffline, InvalidData) as error:
                silent.append((address, error))
                continue
            for number, c in self.compartments.items():
                if c.board == address:
                    states[number] = self._is_open(address, reply.levels[c.lock])
        if len(silent) == len(self._boards):
            raise silent[0][1]
        for number, is_open in states.items():
            self._observe(number, is_open)
        for address, _error in silent:
            for number, c in self.compartments.items():
                if c.board == address:  # the last known state stays for comparison later
                    self.set_unit(f"compartment-{number}", UnitState.UNKNOWN)
        self._silent_boards = [address for address, _ in silent]
        self._report_silent_boards(self._silent_boards)
        self._check_timers()
        return states

    def _board_silent(self, address: int) -> None:
        """One board missed a reply: a warning now; the next poll decides if the bank is down."""
        if address not in self._silent_boards:
            self._silent_boards.append(address)
        self._report_silent_boards(self._silent_boards)

    def _report_silent_boards(self, addresses: list[int]) -> None:
        if self.status.availability not in (Availability.ONLINE, Availability.BUSY):
            return
        if addresses:
            log.warning("lock boards not answering", extra={"device": self.name,
                                                            "boards": addresses})
            self._set_status(severity=Severity.WARNING, reason="board " + ", ".join(
                str(a) for a in addresses) + " not answering")
        else:
            self._set_status(severity=Severity.OK, reason="")

    def _observe(self, number: int, is_open: bool) -> None:
        door = self._doors[number]
        now = self.clock.monotonic()
        before = door.open
        door.open = is_open
        if before is None:  # first read since start: a state, not a change
            door.opened_at = now if is_open else 0.0
        elif is_open and not before:
            door.opened_at, door.alarmed = now, False
            if door.commanded_at is not None:
                door.commanded_at = None
                self.emit("opened", compartment=number)
            else:
                log.warning("compartment forced open", extra={"device": self.name,
                                                              "compartment": number})
                self.emit("forcedOpen", compartment=number, error_class=str(ErrorClass.FRAUD))
        elif before and not is_open:
            door.alarmed = False
            self.emit("closed", compartment=number)
        if is_open:
            door.commanded_at = None
            door.jammed = False
        self.set_unit(f"compartment-{number}", self._unit_state(door))

    def _check_timers(self) -> None:
        now = self.clock.monotonic()
        for number, door in self._doors.items():
            if door.open and not door.alarmed and now - door.opened_at >= \
                    self.settings.left_open_alarm_s:
                door.alarmed = True
                self.emit("leftOpen", compartment=number, seconds=round(now - door.opened_at))
            if door.commanded_at is not None and not door.open and \
                    now - door.commanded_at >= self.settings.jam_timeout_s:
                door.commanded_at = None
                door.jammed = True
                self.emit("jammed", compartment=number)
                self.set_unit(f"compartment-{number}", UnitState.JAMMED)

    @staticmethod
    def _unit_state(door: _Door) -> UnitState:
        if door.jammed:
            return UnitState.JAMMED
        if door.open is None:
            return UnitState.UNKNOWN
        return UnitState.OPEN if door.open else UnitState.CLOSED
