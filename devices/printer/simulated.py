"""The simulated printer: the real network driver talking to the in-process virtual printer.

Scenario actions change what the virtual printer reports (`paper`, `cover`, `offline`,
`jam`, `paper_out_after`); one-shot faults happen on the wire (`no_status_reply`,
`bad_status_reply`, `drop_connection`), so the driver sees exactly what it would see
from a real printer.
"""
from __future__ import annotations

from pydantic import Field

from devices.printer.network import NetworkPrinter, NetworkTransport
from devices.printer.device import PrinterSettings, Transport
from devices.printer.status import Paper
from devices.printer.virtual_printer import VirtualPrinter
from devices.simulator import SimulatorError, SimulatorMixin


class _CheckedTransport(NetworkTransport):
    """Applies the simulator's absence, failure and delay before every I/O."""

    def __init__(self, printer: "SimulatedPrinter", host: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout)
        self._printer = printer

    def open(self) -> None:
        self._printer.check_simulated_device()
        super().open()

    def write(self, data: bytes) -> None:
        self._printer.check_simulated_device()
        super().write(data)

    def exchange(self, request: bytes, timeout: float) -> bytes:
        self._printer.check_simulated_device()
        return super().exchange(request, timeout)


class SimulatedPrinterSettings(PrinterSettings):
    #: 0: any free port on 127.0.0.1; a fixed one lets a person point a tool at it
    port: int = Field(0, ge=0, le=65535)
    connect_timeout_s: float = Field(3.0, gt=0, le=60)


class SimulatedPrinter(SimulatorMixin, NetworkPrinter):
    backend = "simulated"
    Settings = SimulatedPrinterSettings
    settings: SimulatedPrinterSettings  # type: ignore[assignment]
    faults = ("no_status_reply", "bad_status_reply", "drop_connection")

    def __init__(self, name: str, settings: SimulatedPrinterSettings | None = None, *,
                 clock=None) -> None:
        super().__init__(name, settings, clock=clock)
        self._init_simulator()
        self.virtual = VirtualPrinter("127.0.0.1", self.settings.port,
                                      take_fault=self.take_fault).start()

    def _make_transport(self) -> Transport:
        host, port = self.virtual.address
        return _CheckedTransport(self, host, port, self.settings.connect_timeout_s)

    def stop(self, timeout: float = 5.0) -> None:
        super().stop(timeout)
        self.virtual.stop()

    # --- scenario actions ----------------------------------------------------------

    def _changed(self) -> None:
        """Re-read the status now, as the next poll would (or reopen if it was blocked)."""
        if self.status.answers:
            self.submit("status", lambda token: self._check_ready(self._refresh(token)),
                        timeout=None, internal=True)
        else:
            self.recover_now()

    def sim_paper(self, level: str) -> None:
        """Paper level: ok, nearEnd or out."""
        try:
            self.virtual.configure(paper=Paper(level))
        except ValueError:
            raise SimulatorError(f"paper level must be one of {', '.join(p.value for p in Paper)}")
        self._changed()

    def sim_cover(self, open: bool) -> None:
        self.virtual.configure(cover_open=bool(open))
        self._changed()

    def sim_jam(self, jammed: bool = True) -> None:
        """Paper jammed in the cutter (the printer reports an autocutter error)."""
        self.virtual.configure(autocutter_error=bool(jammed))
        self._changed()

    def sim_offline(self, offline: bool = True) -> None:
        self.virtual.configure(online=not offline)
        self._changed()

    def sim_paper_out_after(self, bytes: int) -> None:
        """The roll ends after this many more bytes: paper out in the middle of a job."""
        if bytes < 0:
            raise SimulatorError("bytes must be >= 0")
        self.virtual.configure(paper_out_after=int(bytes))
