"""QR codes and barcodes read from a camera, decoded by zxing-cpp (or OpenCV's detectors).

zxing-cpp reads every QR version at every error-correction level, turned, small, noisy,
blurred or faint, where OpenCV misses many, and is faster per frame (bench/codes.py)."""
from __future__ import annotations

import importlib
from typing import Literal

import numpy as np
from pydantic import Field

from devices.base import DeviceSettings
from devices.camera.source import FrameSource
from devices.code_reader.reader import CodeReader
from devices.commands import CancelToken
from devices.model import DeviceIdentity, InvalidData, NoDevice


class CameraReaderSettings(DeviceSettings):
    source: str = "0"                          # as for the camera kind
    width: int = Field(1280, ge=0, le=7680)
    height: int = Field(720, ge=0, le=4320)
    fps: float = Field(10.0, gt=0, le=60)        # frames examined per second
    repeat_after_s: float = Field(3.0, ge=0)    # the same code again only after this long
    decoder: Literal["zxing_cpp", "opencv"] = "zxing_cpp"

#: one module per decoder, each with decode_codes(frame) -> [(text, symbology)]
DECODERS = {"zxing_cpp": "devices.code_reader.zxing_decoder",
            "opencv": "devices.code_reader.opencv_decoder"}


class CameraCodeReader(CodeReader):
    backend = "camera"
    Settings = CameraReaderSettings

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._source: FrameSource | None = None
        self._recent: dict[str, float] = {}
        self._decode = None

    def _open(self) -> DeviceIdentity:
        s = self.settings
        try:
            source = FrameSource(s.source, width=s.width, height=s.height, fps=s.fps)
        except ValueError as error:
            raise NoDevice(f"{self.name}: {error}") from None
        try:
            self._decode = importlib.import_module(DECODERS[s.decoder]).decode_codes
        except ImportError as error:
            raise NoDevice(f"{self.name}: decoder {s.decoder!r} needs the Python package "
                           f"{error.name}, which is not installed") from None
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
        for text, symbology in self._decode(frame):
            if now - self._recent.get(text, -1e9) < self.settings.repeat_after_s:
                continue
            self._recent[text] = now
            self._deliver_text(text, symbology)
