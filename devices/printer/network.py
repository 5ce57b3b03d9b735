"""The network printer backend: ESC/POS over TCP (port 9100), status by DLE EOT."""
from __future__ import annotations

import select
import socket

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
