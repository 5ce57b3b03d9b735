"""A virtual scanner behind a pty: the real serial code reads what `sim_scan` types."""
from __future__ import annotations

import os
import pty
import tty

from pydantic import Field

from devices.code_reader.serial_scanner import SerialCodeReader, SerialScannerSettings
from devices.model import DeviceIdentity
from devices.simulator import SimulatorMixin


class SimulatedScannerSettings(SerialScannerSettings):
    port: str = ""                    # ignored: the simulator makes its own pty
    baudrate: int = Field(9600, ge=1200, le=921600)
    suffix: str = "\r"                # what the scanner sends after each code


class SimulatedCodeReader(SimulatorMixin, SerialCodeReader):
    backend = "simulated"
    Settings = SimulatedScannerSettings

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._init_simulator()
        self._master, slave = pty.openpty()
        tty.setraw(slave)
        self._slave_name = os.ttyname(slave)
        os.close(slave)

    def _port_name(self) -> str:
        return self._slave_name

    def _open(self) -> DeviceIdentity:
        self.check_simulated_device()
        identity = super()._open()
        return DeviceIdentity(model="simulated scanner", backend=self.backend,
                              port=identity.port)

    def _read_available(self) -> None:
        self.check_simulated_device()
        super()._read_available()

    def sim_scan(self, text: str) -> None:
        """The scanner reads a code: its text and suffix go down the wire."""
        self.sim_send(text.encode("utf-8") + self.settings.suffix.encode())

    def sim_send(self, data: bytes) -> None:
        """Raw bytes from the scanner (noise, a broken line)."""
        os.write(self._master, data)

    def stop(self, timeout: float = 5.0) -> None:
        super().stop(timeout)
        if self._master >= 0:
            os.close(self._master)
            self._master = -1
