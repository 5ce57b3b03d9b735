"""The receipt printer kind: print a document, read the real status, publish paper state.

A backend supplies a `Transport` (bytes out, one status byte back); everything else is
shared. Status is read before and after every job and between its chunks:
- before: a printer that cannot print (offline, cover open, paper out, error) refuses
  the job with `PrinterNotReady`; nothing was printed, the journey may fall back.
- during/after: paper running out (or any stop) mid-job ends `OutcomeUnknown` -- part of
  the document may be on paper, so the journey offers the receipt by QR instead and
  never reprints blindly.
Paper near end is a warning for hall staff; paper out / cover open make the printer
unusable until it reports ready again (the base class reopens it with back-off).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Literal, Protocol

from pydantic import Field

from devices.base import Device, DeviceSettings
from devices.commands import CancelToken, Command
from devices.model import (Availability, DeviceIdentity, DeviceNotReady, DeviceOffline,
                           OutcomeUnknown, RequiredAction, Severity, UnitState)
from devices.printer.documents import Document, TestPage
from devices.printer.layout import PaperProfile
from devices.printer.status import Paper, PrinterState, read_status

log = logging.getLogger(__name__)

PAPER_UNIT = "paper"
PAPER_UNIT_STATE = {Paper.OK: UnitState.FULL, Paper.NEAR_END: UnitState.LOW,
                    Paper.OUT: UnitState.OUT}


class PrinterNotReady(DeviceNotReady):
    """The printer reports it cannot print (cover open, paper out, offline, error)."""
    action = RequiredAction.CLEAR


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

    def print_test_page(self, printed_at: datetime) -> tuple[Command, PrinterState | None]:
        """Print the technician's test page, headed by the status read first (waited for);
        returns the print command and that state (None when it could not be read)."""
        before = self.read_status().result()
        state = before.value if before.ok else None
        summary = "ok" if state is not None and not state.blocking_reason else \
            (state.blocking_reason if state is not None else str(self.status.reason or
                                                                 self.status.availability))
        page = TestPage(model=self.status.identity.model, backend=self.backend,
                        width_mm=self.settings.paper_width_mm, status=summary,
                        printed_at=printed_at)
        return self.print_document(page), state

    def read_status(self) -> Command:
        """The current `PrinterState` (None for a sink that cannot report status)."""
        return self.submit("status", lambda token: self._refresh(token),
                           timeout=self.settings.status_timeout_s * 4 + 5)

    # --- worker side -------------------------------------------------------------------

    def _transport_supports_status(self) -> bool:
        return self.reports_status and self._transport is not None

    def _open(self) -> DeviceIdentity:
        self._transport = self._make_transport()
        self._transport.open()
        self._check_ready(self._refresh(None))
        return DeviceIdentity(model="ESC/POS receipt printer", backend=self.backend,
                              port=self._transport.port)

    def _close(self) -> None:
        if self._transport is not None:
            transport, self._transport = self._transport, None
            transport.close()

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
        if state.blocking_reason:
            self._set_status(availability=Availability.HARDWARE_ERROR, severity=Severity.ERROR,
                             reason=state.blocking_reason)
        elif self.status.availability in (Availability.ONLINE, Availability.BUSY):
            near_end = state.paper is Paper.NEAR_END
            self._set_status(severity=Severity.WARNING if near_end else Severity.OK,
                             reason="paper near end" if near_end else "")

    def _check_ready(self, state: PrinterState | None) -> None:
        if state is not None and state.blocking_reason:
            raise PrinterNotReady(state.blocking_reason, code="printerNotReady")

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
        if state is None or not state.blocking_reason:
            return
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
