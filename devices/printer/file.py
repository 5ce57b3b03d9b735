"""The file printer backend: a device node or file that only takes bytes (/dev/usb/lp0)."""
from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from pydantic import Field

from devices.model import DeviceOffline, NoDevice
from devices.printer.device import PrinterSettings, ReceiptPrinter, Transport


class FileTransport:
    """A device node or file that only takes bytes (e.g. /dev/usb/lp0): no status."""

    def __init__(self, path: str) -> None:
        self.port = path
        self._handle: BinaryIO | None = None

    def open(self) -> None:
        try:
            self._handle = Path(self.port).open("ab")
        except OSError as error:
            raise NoDevice(f"cannot open {self.port}: {error.strerror or error}") from None

    def write(self, data: bytes) -> None:
        try:
            assert self._handle is not None
            self._handle.write(data)
            self._handle.flush()
        except OSError as error:
            raise DeviceOffline(f"writing {self.port} failed: {error.strerror or error}") from None

    def exchange(self, request: bytes, timeout: float) -> bytes:
        return b""

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


class FilePrinterSettings(PrinterSettings):
    path: str = Field("/dev/usb/lp0", min_length=1)


class FilePrinter(ReceiptPrinter):
    backend = "file"
    reports_status = False
    Settings = FilePrinterSettings
    settings: FilePrinterSettings

    def _make_transport(self) -> Transport:
        return FileTransport(self.settings.path)
