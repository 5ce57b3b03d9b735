"""One OpenCV frame source: a device index, a V4L2 path, a stream URL, or a video/image file.

Files stand in for cameras (the simulator and demos): videos loop, stills repeat. A
vanished source raises `NoDevice` (the device layer reopens it later); a single bad
frame raises `InvalidData` and the stream goes on.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from devices.model import DeviceIdentity, InvalidData, NoDevice

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff"}
ROTATIONS = {0: None, 90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180,
             270: cv2.ROTATE_90_COUNTERCLOCKWISE}
#: consecutive failed reads from a live device that mean it is gone (one is a glitch)
FAILED_READS_MEANING_GONE = 3


@dataclass(frozen=True)
class SourceSpec:
    kind: str      # "index" | "v4l2" | "url" | "video" | "image"
    target: str

    @classmethod
    def parse(cls, source: str) -> "SourceSpec":
        text = source.strip()
        if re.fullmatch(r"\d+", text):
            return cls("index", text)
        if re.match(r"^(rtsp|rtsps|http|https)://", text, re.IGNORECASE):
            return cls("url", text)
        if text.startswith("/dev/"):
            return cls("v4l2", text)
        if not text:
            raise ValueError("camera source is empty")
        return cls("image" if Path(text).suffix.lower() in IMAGE_SUFFIXES else "video", text)

    @property
    def is_file(self) -> bool:
        return self.kind in ("video", "image")


def decode_image(data: bytes) -> np.ndarray:
    """Bytes of any common image format (8/16-bit, grey, alpha) to a BGR uint8 array."""
    if not data:
        raise InvalidData("the image is empty")
    try:
        image = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR)
    except cv2.error:
        image = None
    if image is None or image.size == 0:
        raise InvalidData("the image could not be decoded (corrupt or unsupported format)")
    return image


class FrameSource:
    def __init__(self, source: str, *, width: int = 0, height: int = 0, rotation: int = 0,
                 fps: float = 0.0) -> None:
        self.spec = SourceSpec.parse(source)
        if rotation not in ROTATIONS:
            raise ValueError(f"rotation must be one of {sorted(ROTATIONS)}, not {rotation}")
        self.width, self.height, self.rotation, self.fps = width, height, rotation, fps
        self._capture: cv2.VideoCapture | None = None
        self._still: np.ndarray | None = None
        self._still_mtime = 0.0
        self._failed_reads = 0

    # --- open / close -----------------------------------------------------------

    def open(self) -> DeviceIdentity:
        spec = self.spec
        if spec.is_file and not os.path.exists(spec.target):
            raise NoDevice(f"camera source file {spec.target} not found")
        if spec.kind == "image":
            try:
                self._load_still()
            except InvalidData:
                raise NoDevice(f"camera source file {spec.target} is not a readable image") \
                    from None
            height, width = self._still.shape[:2]  # type: ignore[union-attr]
            return DeviceIdentity(model="image file", backend="opencv", port=spec.target,
                                  firmware=f"{width}x{height}")
        if spec.kind == "index":
            capture = cv2.VideoCapture(int(spec.target))
        elif spec.kind == "v4l2":
            capture = cv2.VideoCapture(spec.target, cv2.CAP_V4L2)
        else:
            capture = cv2.VideoCapture(spec.target)
        if not capture.isOpened():
            capture.release()
            raise NoDevice(f"camera source {self._public_name()} could not be opened")
        if not spec.is_file:
            if self.width and self.height:
                capture.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
                capture.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
            if self.fps:
                capture.set(cv2.CAP_PROP_FPS, self.fps)
            capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # keep the driver from queueing stale frames
        self._capture = capture
        self._failed_reads = 0
        width = int(capture.get(cv2.CAP_PROP_FRAME_WIDTH))
        height = int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT))
        return DeviceIdentity(model=f"{spec.kind} via {capture.getBackendName()}",
                              backend="opencv", port=self._public_name(),
                              firmware=f"{width}x{height}")

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None
        self._still = None

    def _public_name(self) -> str:
        # stream URLs may carry credentials: never put them in a status or a log
        if self.spec.kind == "url":
            return re.sub(r"//[^@/]*@", "//***@", self.spec.target)
        return self.spec.target

    # --- reading --------------------------------------------------------------

    @property
    def frame_interval(self) -> float:
        """Seconds between frames when pacing a file source (live devices pace themselves)."""
        if self.fps:
            return 1.0 / self.fps
        if self._capture is not None:
            native = self._capture.get(cv2.CAP_PROP_FPS)
            if native and 1 <= native <= 120:
                return 1.0 / native
        return 1.0 / 15

    @property
    def frame_count(self) -> int:
        """Frames in a video file (0 when unknown or not a file)."""
        if self._capture is None or self.spec.kind != "video":
            return 0
        return max(0, int(self._capture.get(cv2.CAP_PROP_FRAME_COUNT)))

    def read(self) -> np.ndarray:
        """The next frame, rotated and sized as configured."""
        if self.spec.kind == "image":
            if not os.path.exists(self.spec.target):
                raise NoDevice(f"camera source file {self.spec.target} vanished")
            if os.path.getmtime(self.spec.target) != self._still_mtime:
                self._load_still()
            raw = self._still
        else:
            raw = self._read_capture()
        return self._shape(raw)  # type: ignore[arg-type]

    def _read_capture(self) -> np.ndarray:
        capture = self._capture
        if capture is None:
            raise NoDevice("camera source is not open")
        if self.spec.is_file and not os.path.exists(self.spec.target):
            raise NoDevice(f"camera source file {self.spec.target} vanished")
        ok, frame = capture.read()
        if not ok and self.spec.kind == "video":  # end of the clip: loop
            capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, frame = capture.read()
        if not ok or frame is None:
            self._failed_reads += 1
            if self._failed_reads >= FAILED_READS_MEANING_GONE:
                raise NoDevice(f"camera {self._public_name()} stopped delivering frames")
            raise InvalidData("the camera delivered no frame")
        self._failed_reads = 0
        return check_frame(frame)

    def _load_still(self) -> None:
        path = self.spec.target
        try:
            data = Path(path).read_bytes()
            mtime = os.path.getmtime(path)
        except FileNotFoundError:
            raise NoDevice(f"camera source file {path} vanished") from None
        self._still = decode_image(data)  # a corrupt file raises here and is retried next read
        self._still_mtime = mtime

    def _shape(self, frame: np.ndarray) -> np.ndarray:
        rotate = ROTATIONS[self.rotation]
        if rotate is not None:
            frame = cv2.rotate(frame, rotate)
        if self.width and self.height and frame.shape[:2] != (self.height, self.width):
            frame = fit_into(frame, self.width, self.height)
        return frame


def fit_into(image: np.ndarray, width: int, height: int) -> np.ndarray:
    """Scale `image` to fit (width, height) keeping its aspect; pad the rest dark grey."""
    scale = min(width / image.shape[1], height / image.shape[0])
    size = (max(1, round(image.shape[1] * scale)), max(1, round(image.shape[0] * scale)))
    scaled = cv2.resize(image, size, interpolation=cv2.INTER_AREA if scale < 1
                        else cv2.INTER_LINEAR)
    if size == (width, height):
        return scaled
    canvas = np.full((height, width, 3), 40, dtype=np.uint8)
    left, top = (width - size[0]) // 2, (height - size[1]) // 2
    canvas[top:top + size[1], left:left + size[0]] = scaled
    return canvas


def check_frame(frame: object) -> np.ndarray:
    """Reject what a flaky USB link delivers: wrong type, depth, shape or an empty buffer."""
    if not isinstance(frame, np.ndarray) or frame.dtype != np.uint8 or frame.ndim != 3 \
            or frame.shape[2] != 3 or frame.shape[0] < 16 or frame.shape[1] < 16:
        raise InvalidData("corrupt frame from the camera")
    return frame
