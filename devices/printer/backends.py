"""Printer transports and backends: network (TCP 9100), serial and file (USB: usb.py)."""
from __future__ import annotations

import select
import socket
from pathlib import Path
from typing import BinaryIO

import serial
from pydantic import Field

from devices.model import DeviceOffline, NoDevice
from devices.printer.device import PrinterSettings, ReceiptPrinter, Transport


class NetworkTransport:

    def __init__(self, host: str, port: int, connect_timeout: float) -> None:
        self.host, self.tcp_port, self.connect_timeout = host, port, connect_timeout
        self.port = f"tcp://{host}:{port}"
        self._socket: socket.socket | None = None

    def open(self) -> None:
        try:
            self._socket = socket.create_connection((self.host, self.tcp_port),
                                                    timeout=self.connect_timeout)
        except OSError as error:
            raise NoDevice(f"no printer at {self.port}: {error.strerror or error}") from None

    def _connected(self) -> socket.socket:
        if self._socket is None:
            raise DeviceOffline(f"printer at {self.port} is not connected")
        return self._socket

    def write(self, data: bytes) -> None:
        sock = self._connected()
        try:
            sock.settimeout(self.connect_timeout)
            sock.sendall(data)
        except OSError as error:
            raise DeviceOffline(f"printer at {self.port} dropped the connection: {error}") from None

    def exchange(self, request: bytes, timeout: float) -> bytes:
        sock = self._connected()
        try:
            while select.select([sock], [], [], 0)[0]:  # stale replies would shift every answer
                if not sock.recv(64):
                    raise DeviceOffline(f"printer at {self.port} closed the connection")
            sock.sendall(request)
            sock.settimeout(timeout)
            reply = sock.recv(1)
        except socket.timeout:
            return b""
        except OSError as error:
            raise DeviceOffline(f"printer at {self.port} dropped the connection: {error}") from None
        if not reply:
            raise DeviceOffline(f"printer at {self.port} closed the connection")
        return reply

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None


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


class NetworkPrinterSettings(PrinterSettings):
    host: str = Field("127.0.0.1", min_length=1)
    port: int = Field(9100, ge=1, le=65535)
    connect_timeout_s: float = Field(3.0, gt=0, le=60)


class NetworkPrinter(ReceiptPrinter):
    backend = "network"
    Settings = NetworkPrinterSettings
    settings: NetworkPrinterSettings

    def _make_transport(self) -> Transport:
        s = self.settings
        return NetworkTransport(s.host, s.port, s.connect_timeout_s)


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


class FilePrinterSettings(PrinterSettings):
    path: str = Field("/dev/usb/lp0", min_length=1)


class FilePrinter(ReceiptPrinter):
    backend = "file"
    reports_status = False
    Settings = FilePrinterSettings
    settings: FilePrinterSettings

    def _make_transport(self) -> Transport:
        return FileTransport(self.settings.path)
