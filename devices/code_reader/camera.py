"""QR codes and barcodes read from a camera with OpenCV's detectors."""
from __future__ import annotations

import numpy as np
from pydantic import Field

from devices.base import DeviceSettings
from devices.camera.source import FrameSource
from devices.code_reader.detect import decode_codes
from devices.code_reader.reader import CodeReader
from devices.commands import CancelToken
from devices.model import DeviceIdentity, InvalidData, NoDevice


class CameraReaderSettings(DeviceSettings):
    source: str = "0"                          # as for the camera kind
    width: int = Field(1280, ge=0, le=7680)
    height: int = Field(720, ge=0, le=4320)
    fps: float = Field(10.0, gt=0, le=60)        # frames examined per second
    repeat_after_s: float = Field(3.0, ge=0)    # the same code again only after this long


class CameraCodeReader(CodeReader):
    backend = "camera"
    Settings = CameraReaderSettings

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._source: FrameSource | None = None
        self._recent: dict[str, float] = {}

    def _open(self) -> DeviceIdentity:
        s = self.settings
        try:
            source = FrameSource(s.source, width=s.width, height=s.height, fps=s.fps)
        except ValueError as error:
            raise NoDevice(f"{self.name}: {error}") from None
        identity = source.open()
        self._source = source
        return DeviceIdentity(model=f"camera code reader ({identity.model})",
                              backend=self.backend, port=identity.port)

    def _close(self) -> None:
        if self._source is not None:
            self._source.close()
            self._source = None

    def _after_open(self) -> None:
        self.every(1.0 / self.settings.fps, "look", self._look)

    def _look(self, token: CancelToken) -> None:
        if self._source is None:
            raise NoDevice("code camera is not open")
        try:
            frame = self._source.read()
        except InvalidData:
            return
        self.examine(frame)

    def examine(self, frame: np.ndarray) -> None:
        now = self.clock.monotonic()
        for text, symbology in decode_codes(frame):
            if now - self._recent.get(text, -1e9) < self.settings.repeat_after_s:
                continue
            self._recent[text] = now
            self._deliver_text(text, symbology)
