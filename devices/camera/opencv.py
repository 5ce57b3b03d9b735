"""A camera read through OpenCV: device index, V4L2 path, stream URL or a looped file."""
from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from devices.base import DeviceSettings
from devices.camera.camera import Camera
from devices.camera.source import FrameSource
from devices.commands import CancelToken
from devices.model import DeviceIdentity, NoDevice


class OpenCVCameraSettings(DeviceSettings):
    source: str = "0"                      # index, /dev/videoN, rtsp://..., or a video/image file
    width: int = Field(1280, ge=0, le=7680)   # 0 (with height 0): the source's own size
    height: int = Field(720, ge=0, le=4320)
    rotation: Literal[0, 90, 180, 270] = 0  # clockwise, for cameras mounted sideways
    fps: float = Field(0.0, ge=0, le=120)  # 0: the source's own rate


class OpenCVCamera(Camera):
    backend = "opencv"
    Settings = OpenCVCameraSettings

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._source: FrameSource | None = None

    def _make_source(self) -> FrameSource:
        s = self.settings
        try:
            return FrameSource(s.source, width=s.width, height=s.height, rotation=s.rotation,
                               fps=s.fps)
        except ValueError as error:
            raise NoDevice(f"{self.name}: {error}") from None

    def _open(self) -> DeviceIdentity:
        source = self._make_source()
        identity = source.open()
        self._source = source
        return identity

    def _close(self) -> None:
        if self._source is not None:
            self._source.close()
            self._source = None

    def _read_image(self, token: CancelToken) -> np.ndarray:
        if self._source is None:
            raise NoDevice(f"{self.name}: camera is not open")
        return self._source.read()

    def _frame_interval(self) -> float:
        source = self._source
        return source.frame_interval if source is not None and source.spec.is_file else 0.0
