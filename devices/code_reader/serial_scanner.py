"""A serial (or USB-CDC) scanner: one code per line, ended by CR and/or LF.

The read loop runs as a command on the device worker and hands the worker back
whenever another command is queued.
"""
from __future__ import annotations

import serial
from pydantic import Field

from devices.base import DeviceSettings
from devices.code_reader.codes import decode_scanner_bytes
from devices.code_reader.reader import CodeReader
from devices.commands import CancelToken, Command
from devices.model import DeviceIdentity, DeviceOffline, InvalidData, NoDevice

MAX_LINE = 4096


class SerialScannerSettings(DeviceSettings):
    port: str = "/dev/ttyACM0"
    baudrate: int = Field(9600, ge=1200, le=921600)
    read_timeout_s: float = Field(0.2, gt=0, le=5)  # how long one read waits for bytes


class SerialCodeReader(CodeReader):
    backend = "serial"
    Settings = SerialScannerSettings

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._port: serial.Serial | None = None
        self._buffer = bytearray()
        self._listening: Command | None = None   # the read loop's command, on the worker only

    def _port_name(self) -> str:
        return self.settings.port

    def _open(self) -> DeviceIdentity:
        name = self._port_name()
        try:
            self._port = serial.Serial(name, self.settings.baudrate,
                                       timeout=self.settings.read_timeout_s)
        except serial.SerialException as error:
            raise NoDevice(f"scanner port {name} cannot be opened: {error.strerror or error}") \
                from None
        self._buffer.clear()
        return DeviceIdentity(model="serial scanner", backend=self.backend, port=name)

    def _close(self) -> None:
        if self._port is not None:
            self._port.close()
            self._port = None

    def _after_open(self) -> None:
        # one read loop: the loop from before a reopen is still queued when the read it
        # handed the worker over to was the reopen; a second loop would find the first
        # queued and hand the worker back to it for ever, reading nothing
        if self._listening is None or self._listening.done:
            self._listen_again()

    def _listen_again(self) -> None:
        self._listening = self.submit("listen", self._listen, timeout=None, internal=True)

    def _listen(self, token: CancelToken) -> None:
        while not token.cancelled and not self._stopping:
            if not self._queue.empty():  # let the queued command run, then listen again
                self._listen_again()
                return
            self._read_available()

    def _read_available(self) -> None:
        port = self._port
        if port is None:
            raise NoDevice("scanner port is not open")
        try:
            chunk = port.read(max(1, port.in_waiting))
        except (serial.SerialException, OSError) as error:
            raise DeviceOffline(f"scanner port {self._port_name()} failed: {error}") from None
        self._buffer.extend(chunk)
        while True:
            ends = [i for i in (self._buffer.find(b"\r"), self._buffer.find(b"\n")) if i >= 0]
            if not ends:
                break
            end = min(ends)
            line, self._buffer[:] = bytes(self._buffer[:end]), self._buffer[end + 1:]
            if line:
                try:
                    self._deliver_text(decode_scanner_bytes(line))
                except InvalidData as error:
                    self.emit("codeRejected", reason=error.message)
        if len(self._buffer) > MAX_LINE:  # noise without a line end: drop it
            self._buffer.clear()
            self.emit("codeRejected", reason="scanner sent an over-long line")
