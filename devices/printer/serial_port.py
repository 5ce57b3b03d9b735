"""The serial printer backend (RS-232, or a USB-serial adapter) through pyserial.

pyserial is imported here only, so a kiosk without it still has its network, USB and file
printers; without it this backend reports the missing library (devices/registry.py)."""
from __future__ import annotations

import serial
from pydantic import Field

from devices.model import DeviceOffline, NoDevice
from devices.printer.device import PrinterSettings, ReceiptPrinter, Transport


class SerialTransport:

    def __init__(self, port: str, baudrate: int, write_timeout: float) -> None:
        self.port, self.baudrate, self.write_timeout = port, baudrate, write_timeout
        self._serial: serial.Serial | None = None

    def open(self) -> None:
        try:
            self._serial = serial.serial_for_url(self.port, baudrate=self.baudrate, timeout=1,
                                                 write_timeout=self.write_timeout)
        except (serial.SerialException, ValueError) as error:
            raise NoDevice(f"cannot open printer port {self.port}: {error}") from None

    def write(self, data: bytes) -> None:
        try:
            assert self._serial is not None
            self._serial.write(data)
            self._serial.flush()
        except (serial.SerialException, OSError) as error:
            raise DeviceOffline(f"printer port {self.port} failed: {error}") from None

    def exchange(self, request: bytes, timeout: float) -> bytes:
        try:
            assert self._serial is not None
            self._serial.reset_input_buffer()
            self._serial.write(request)
            self._serial.timeout = timeout
            return self._serial.read(1)
        except (serial.SerialException, OSError) as error:
            raise DeviceOffline(f"printer port {self.port} failed: {error}") from None

    def close(self) -> None:
        if self._serial is not None:
            self._serial.close()
            self._serial = None


class SerialPrinterSettings(PrinterSettings):
    port: str = Field("/dev/ttyS0", min_length=1)
    baudrate: int = Field(9600, ge=1200, le=921600)
    write_timeout_s: float = Field(10.0, gt=0, le=120)


class SerialPrinter(ReceiptPrinter):
    backend = "serial"
    Settings = SerialPrinterSettings
    settings: SerialPrinterSettings

    def _make_transport(self) -> Transport:
        s = self.settings
        return SerialTransport(s.port, s.baudrate, s.write_timeout_s)
