"""The latest-frame hand-off between a camera's worker and its consumers (Qt-free).

The grabbing worker publishes each frame here and only the newest is kept: a slow
consumer skips frames instead of queueing them. A published `Frame.image` is a
C-contiguous ``uint8`` array of shape (height, width, 3) in BGR order and is made
read-only, so any number of readers can share it without copying.

Using it from a Qt Quick preview (the item lives in ui/): on the UI thread, call
`latest()` from the item's update (or from a queued slot triggered by `subscribe`),
skip the frame when `frame.seq` equals the one already shown, and wrap the array
without a copy, e.g. ``QImage(frame.image.data, w, h, frame.image.strides[0],
QImage.Format_BGR888)``, keeping a reference to `frame` for as long as the QImage
lives. `subscribe` callbacks run on the camera's worker thread: they must only
schedule work (post a queued signal), never paint or block.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import numpy as np


@dataclass(frozen=True)
class Frame:
    seq: int                       # 1, 2, 3... per buffer; 0 never appears
    image: np.ndarray              # read-only BGR uint8, (h, w, 3), C-contiguous
    captured_at: float             # clock.monotonic() when grabbed
    #: simulator annotations (a demo's recorded landmark track); empty from real cameras
    hints: Mapping[str, Any] = field(default_factory=dict)

    @property
    def width(self) -> int:
        return int(self.image.shape[1])

    @property
    def height(self) -> int:
        return int(self.image.shape[0])


class LatestFrame:
    """Holds only the newest frame; readers wait for a sequence number newer than theirs."""

    def __init__(self) -> None:
        self._frame: Frame | None = None
        self._seq = 0
        self._changed = threading.Condition()
        self._listeners: list[Callable[[Frame], None]] = []

    @property
    def seq(self) -> int:
        with self._changed:
            return self._seq

    def publish(self, image: np.ndarray, captured_at: float,
                hints: Mapping[str, Any] | None = None) -> Frame:
        image = np.ascontiguousarray(image, dtype=np.uint8)
        image.setflags(write=False)
        with self._changed:
            self._seq += 1
            frame = Frame(self._seq, image, captured_at, dict(hints or {}))
            self._frame = frame
            self._changed.notify_all()
        for listener in list(self._listeners):
            listener(frame)
        return frame

    def latest(self) -> Frame | None:
        with self._changed:
            return self._frame

    def wait_newer(self, after_seq: int, timeout: float) -> Frame | None:
        """The newest frame with `seq > after_seq`, waiting up to `timeout` real seconds."""
        with self._changed:
            self._changed.wait_for(lambda: self._frame is not None and self._seq > after_seq,
                                   timeout)
            frame = self._frame
            return frame if frame is not None and frame.seq > after_seq else None

    def subscribe(self, listener: Callable[[Frame], None]) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def clear(self) -> None:
        """Forget the held frame (end of a step: nothing of the citizen stays in memory)."""
        with self._changed:
            self._frame = None
