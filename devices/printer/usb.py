"""USB printers through python-escpos' `Usb` class (pyusb): it finds the device, detaches
the kernel driver and knows the endpoints; status reading stays ours (status.py)."""
from __future__ import annotations

import usb.core  # a missing pyusb makes this backend noDevice, with the reason
from escpos.exceptions import DeviceNotFoundError
from escpos.printer import Usb
from pydantic import Field

from devices.model import DeviceOffline, NoDevice
from devices.printer.device import PrinterSettings, ReceiptPrinter, Transport


class UsbTransport:

    def __init__(self, vendor_id: int, product_id: int, in_ep: int, out_ep: int,
                 write_timeout_ms: int) -> None:
        self.port = f"usb:{vendor_id:04x}:{product_id:04x}"
        self._printer = Usb(vendor_id, product_id, timeout=write_timeout_ms, in_ep=in_ep,
                            out_ep=out_ep)

    def open(self) -> None:
        try:
            self._printer.open()
        except DeviceNotFoundError as error:
            raise NoDevice(f"no printer at {self.port}: {error}") from None

    def write(self, data: bytes) -> None:
        try:
            self._printer._raw(data)
        except usb.core.USBError as error:
            raise DeviceOffline(f"printer at {self.port} failed: {error}") from None

    def exchange(self, request: bytes, timeout: float) -> bytes:
        try:
            self._printer._raw(request)
            return bytes(self._printer.device.read(self._printer.in_ep, 16, int(timeout * 1000)))
        except usb.core.USBTimeoutError:
            return b""
        except usb.core.USBError as error:
            raise DeviceOffline(f"printer at {self.port} failed: {error}") from None

    def close(self) -> None:
        self._printer.close()


class UsbPrinterSettings(PrinterSettings):
    vendor_id: int = Field(0x0416, ge=0, le=0xFFFF)
    product_id: int = Field(0x5011, ge=0, le=0xFFFF)
    in_ep: int = Field(0x81, ge=0x80, le=0x8F)
    out_ep: int = Field(0x03, ge=0x00, le=0x0F)
    write_timeout_ms: int = Field(10000, ge=100, le=120000)


class UsbPrinter(ReceiptPrinter):
    backend = "usb"
    Settings = UsbPrinterSettings
    settings: UsbPrinterSettings

    def _make_transport(self) -> Transport:
        s = self.settings
        return UsbTransport(s.vendor_id, s.product_id, s.in_ep, s.out_ep, s.write_timeout_ms)
