"""A USB keyboard-wedge scanner: it types the code and presses Enter.

The UI forwards key presses (`feed_text`); a burst typed faster than a person types
and ended by Enter is a scan. Slow typing (a person at a keyboard) resets the burst.
"""
from __future__ import annotations

from pydantic import Field

from devices.base import DeviceSettings
from devices.code_reader.reader import CodeReader
from devices.model import DeviceIdentity


class WedgeSettings(DeviceSettings):
    max_key_gap_s: float = Field(0.05, gt=0, le=1)   # scanners type a key every few ms
    min_length: int = Field(4, ge=1, le=100)


class KeyboardWedgeReader(CodeReader):
    backend = "wedge"
    Settings = WedgeSettings

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._burst: list[str] = []
        self._last_key = -1e9

    def _open(self) -> DeviceIdentity:
        return DeviceIdentity(model="keyboard-wedge scanner", backend=self.backend)

    def feed_text(self, text: str) -> None:
        """Key presses as text ("\\r" or "\\n" for Enter), from the UI thread."""
        for char in text:
            now = self.clock.monotonic()
            if now - self._last_key > self.settings.max_key_gap_s:
                self._burst.clear()
            self._last_key = now
            if char in "\r\n":
                burst, self._burst = "".join(self._burst), []
                if len(burst) >= self.settings.min_length:
                    self.submit("scan", lambda token, code=burst: self._deliver_text(code),
                                timeout=None)
            else:
                self._burst.append(char)
