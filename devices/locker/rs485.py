"""The RS-485 bus: half-duplex request/reply through pyserial, one codec per bus."""
from __future__ import annotations

import logging

import serial

from devices.locker.bank import Bus, LockerBank
from devices.locker.codecs import Codec, FrameError, Reply, Request, RequestKind
from devices.model import DeviceOffline, NoDevice

log = logging.getLogger(__name__)


class Rs485Bus:
    def __init__(self, port: str, codec: Codec, baudrate: int, reply_timeout: float) -> None:
        self.port, self.codec = port, codec
        self.baudrate = baudrate or codec.baudrate
        self.reply_timeout = reply_timeout
        self._serial: serial.Serial | None = None

    def open(self) -> None:
        try:
            self._serial = serial.serial_for_url(self.port, baudrate=self.baudrate,
                                                 timeout=self.reply_timeout, write_timeout=2)
        except (serial.SerialException, ValueError) as error:
            raise NoDevice(f"cannot open lock-board bus {self.port}: {error}") from None

    def close(self) -> None:
        if self._serial is not None:
            self._serial.close()
            self._serial = None

    def transact(self, request: Request, *, retries: int) -> Reply:
        """Send one frame and decode its reply; queries are retried, opens never are."""
        if request.kind is RequestKind.OPEN:
            retries = 0
        frame = self.codec.encode(request)
        for attempt in range(retries + 1):
            reply = self._exchange(frame, self.codec.reply_length(request))
            try:
                if not reply:
                    raise DeviceOffline(f"board {request.board} did not answer "
                                        f"{request.kind} within {self.reply_timeout:g} s",
                                        code="noReply")
                return self.codec.decode_reply(request, reply)
            except (DeviceOffline, FrameError) as error:
                if attempt == retries:
                    raise
                log.info("lock board retry", extra={"port": self.port, "reason": error.message})
        raise AssertionError("unreachable")  # pragma: no cover

    def _exchange(self, frame: bytes, length: int) -> bytes:
        if self._serial is None:
            raise DeviceOffline(f"lock-board bus {self.port} is not open")
        try:
            self._serial.reset_input_buffer()  # a late reply to an earlier frame is stale
            self._serial.write(frame)
            self._serial.flush()
            return self._serial.read(length)
        except (serial.SerialException, OSError) as error:
            raise DeviceOffline(f"lock-board bus {self.port} failed: {error}") from None


class Rs485LockerBank(LockerBank):
    backend = "rs485"

    def _make_bus(self) -> Bus:
        s = self.settings
        return Rs485Bus(s.port, self.codec, s.baudrate, s.reply_timeout_s)
