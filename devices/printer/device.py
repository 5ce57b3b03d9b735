"""The receipt printer kind: print a document, read the real status, publish paper state.

A backend supplies a `Transport` (bytes out, one status byte back); everything else is
shared. Status is read before and after every job and between its chunks:
- before: a printer that cannot print (offline, cover open, paper out, error) refuses
  the job with `PrinterNotReady`; nothing was printed, the journey may fall back.
- during/after: paper running out (or any stop) mid-job ends `OutcomeUnknown` -- part of
  the document may be on paper, so the journey offers the receipt by QR instead and
  never reprints blindly.
Paper near end is a warning for hall staff. Paper out is a consumable state (userError):
the printer is not reopened, its status poll goes on and sees the new roll. Cover open, a
jam or an error make it unusable until it reports ready again (the base class reopens it
with back-off). The status names each with its code, class and the action that fixes it.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, Protocol

from pydantic import Field

from devices.base import Device, DeviceSettings
from devices.commands import CancelToken, Command
from devices.model import (NO_ERROR, Availability, ConsumableOut, DeviceError, DeviceIdentity,
                           DeviceNotReady, DeviceOffline, ErrorClass, OutcomeUnknown,
                           RequiredAction, Severity, UnitState)
from devices.printer.documents import Document
from devices.printer.layout import PaperProfile
from devices.printer.status import Paper, PrinterState, read_status

log = logging.getLogger(__name__)

PAPER_UNIT = "paper"
PAPER_UNIT_STATE = {Paper.OK: UnitState.FULL, Paper.NEAR_END: UnitState.LOW,
                    Paper.OUT: UnitState.OUT}


class PrinterNotReady(DeviceNotReady):
    """The printer reports it cannot print (cover open, jam, offline, error)."""
    action = RequiredAction.CLEAR


def state_error(state: PrinterState) -> DeviceError | None:
    """Why this printer state cannot print, as the error naming its code, class and fix."""
    reason = state.blocking_reason
    if not reason:
        return None
    if state.cover_open:
        return PrinterNotReady(reason, code="coverOpen")
    if state.paper is Paper.OUT or state.stopped_by_paper_end:
        return ConsumableOut(reason, code="paperOut")
    if state.autocutter_error or state.mechanical_error:
        return PrinterNotReady(reason, code="paperJam")
    if state.unrecoverable_error:
        return DeviceError(reason, code="printerFault", action=RequiredAction.MAINTENANCE)
    return PrinterNotReady(reason, code="printerOffline" if not state.online else "printerError",
                           action=RequiredAction.RESET)


def state_status(state: PrinterState) -> dict[str, object]:
    """The `DeviceStatus` fields (availability, severity, reason, error) of a printer state."""
    error = state_error(state)
    if error is None and state.paper is Paper.NEAR_END:
        return {"availability": Availability.ONLINE, "severity": Severity.WARNING,
                "reason": "paper near end", "error_code": "paperNearEnd",
                "error_class": ErrorClass.CONSUMABLE, "action": RequiredAction.REPLENISH}
    if error is None:
        return {"availability": Availability.ONLINE, "severity": Severity.OK, "reason": "",
                **NO_ERROR}
    consumable = error.error_class is ErrorClass.CONSUMABLE
    return {"availability": Availability.USER_ERROR if consumable else Availability.HARDWARE_ERROR,
            "severity": Severity.ERROR, "reason": error.message, **error.status_fields()}


class Transport(Protocol):
    port: str

    def open(self) -> None:
        """Connect; raise `NoDevice` when the printer is absent."""

    def write(self, data: bytes) -> None:
        """Send bytes; raise `DeviceOffline` when the link is gone."""

    def exchange(self, request: bytes, timeout: float) -> bytes:
        """Send a real-time request and return its reply, b"" when none came in time."""

    def close(self) -> None: ...


class PrinterSettings(DeviceSettings):
    paper_width_mm: Literal[58, 80] = 80
    native_qr: bool = True
    qr_module: int = Field(6, ge=1, le=16)
    status_timeout_s: float = Field(1.0, gt=0, le=30)
    status_poll_s: float = Field(15.0, gt=0, le=3600)
    chunk_bytes: int = Field(2048, ge=64, le=1 << 20)
    job_timeout_s: float = Field(60.0, gt=0, le=600)


@dataclass(frozen=True)
class PrintResult:
    document: str
    bytes_sent: int
    state: PrinterState | None


class ReceiptPrinter(Device):
    kind = "printer"
    Settings = PrinterSettings
    settings: PrinterSettings
    #: whether the backend's transport can answer DLE EOT (a plain file cannot)
    reports_status: ClassVar[bool] = True

    def __init__(self, name: str, settings: PrinterSettings | None = None, *, clock=None) -> None:
        super().__init__(name, settings, clock=clock)
        self._transport: Transport | None = None
        self.last_state: PrinterState | None = None

    # --- backend hook ----------------------------------------------------------------

    def _make_transport(self) -> Transport:
        raise NotImplementedError

    # --- public commands ---------------------------------------------------------------

    @property
    def profile(self) -> PaperProfile:
        s = self.settings
        return PaperProfile(s.paper_width_mm, s.native_qr, s.qr_module)

    @property
    def capabilities(self) -> dict[str, Any]:
        return {"paper_width_mm": self.settings.paper_width_mm,
                "native_qr": self.settings.native_qr, "cut": "partial",
                "status": self.reports_status, "encoding": "GB18030"}

    def print_document(self, document: Document, *, command_id: str | None = None) -> Command:
        """Print one document; completes success, deviceNotReady (nothing printed) or
        outcomeUnknown (cut off: part of it may be on paper)."""
        return self.submit(f"print {document.kind}", lambda token: self._print(document, token),
                           timeout=self.settings.job_timeout_s, changes_state=True,
                           command_id=command_id)

    def read_status(self) -> Command:
        """The current `PrinterState` (None for a sink that cannot report status)."""
        return self.submit("status", lambda token: self._refresh(token),
                           timeout=self.settings.status_timeout_s * 4 + 5,
                           internal=not self.status.usable and self.status.answers)

    # --- worker side -------------------------------------------------------------------

    def _transport_supports_status(self) -> bool:
        return self.reports_status and self._transport is not None

    def _open(self) -> DeviceIdentity:
        self._transport = self._make_transport()
        self._transport.open()
        error = state_error(state) if (state := self._refresh(None)) is not None else None
        if error is not None and error.error_class is not ErrorClass.CONSUMABLE:
            raise error  # out of paper it opens, and waits for a roll
        return DeviceIdentity(model="ESC/POS receipt printer", backend=self.backend,
                              port=self._transport.port)

    def _close(self) -> None:
        if self._transport is not None:
            transport, self._transport = self._transport, None
            transport.close()

    def _status_after_open(self) -> dict[str, object]:
        if self.last_state is None:
            return super()._status_after_open()
        return state_status(self.last_state)

    def _after_open(self) -> None:
        self._publish_state(self.last_state)
        self.every(self.settings.status_poll_s, "status poll",
                   lambda token: self._check_ready(self._refresh(token)))

    def _refresh(self, token: CancelToken | None) -> PrinterState | None:
        if token is not None:
            token.raise_if_cancelled()
        if not self._transport_supports_status():
            self.set_unit(PAPER_UNIT, UnitState.UNKNOWN)
            return None
        assert self._transport is not None
        state = read_status(self._transport.exchange, self.settings.status_timeout_s)
        self.last_state = state
        self._publish_state(state)
        return state

    def _publish_state(self, state: PrinterState | None) -> None:
        if state is None:
            return
        self.set_unit(PAPER_UNIT, PAPER_UNIT_STATE[state.paper])
        # a hardware error heals only by a reopen (which re-reads the state); from ok or a
        # consumable state the poll's reading is the status
        if state.blocking_reason or self.status.answers:
            self._set_status(**state_status(state))

    def _check_ready(self, state: PrinterState | None) -> None:
        error = state_error(state) if state is not None else None
        if error is not None:
            raise error

    def _print(self, document: Document, token: CancelToken) -> PrintResult:
        try:
            before = self._refresh(token)
        except DeviceOffline as error:  # nothing was sent: not ready, not outcomeUnknown
            raise PrinterNotReady(error.message, code=error.code) from None
        self._check_ready(before)
        commands = document.render_commands(self.profile)
        total = sum(len(c) for c in commands)
        assert self._transport is not None
        log.info("printing", extra={"device": self.name, "document": document.kind,
                                    "bytes": total})
        sent = 0
        for chunk in _chunks(commands, self.settings.chunk_bytes):
            if token.cancelled:
                if sent:
                    raise OutcomeUnknown(f"{document.kind} stopped after {sent} of {total} "
                                         "bytes; part of it may be printed", code="printCutOff")
                token.raise_if_cancelled()
            if sent:  # between chunks: stop feeding a printer that ran out of paper
                self._cut_off_if_stopped(document, self._refresh(None), sent, total)
            self._transport.write(chunk)
            sent += len(chunk)
        state = self._refresh(None)
        self._cut_off_if_stopped(document, state, sent, total)
        return PrintResult(document.kind, sent, state)

    def _cut_off_if_stopped(self, document: Document, state: PrinterState | None, sent: int,
                            total: int) -> None:
        error = state_error(state) if state is not None else None
        if error is None:
            return
        if error.error_class is not ErrorClass.CONSUMABLE:
            self._schedule_recovery()  # reopen (and re-read status) with back-off until ready
        raise OutcomeUnknown(f"{document.kind} cut off by {state.blocking_reason} after "
                             f"{sent} of {total} bytes; offer the document another way",
                             code="printCutOff")


def _chunks(commands: list[bytes], size: int) -> list[bytes]:
    """Whole commands packed into chunks of about `size` bytes (a larger command goes alone)."""
    chunks: list[bytes] = []
    current = bytearray()
    for command in commands:
        if current and len(current) + len(command) > size:
            chunks.append(bytes(current))
            current.clear()
        current += command
    if current:
        chunks.append(bytes(current))
    return chunks
