"""The camera kind: grabbing on the device worker, only the newest frame kept."""
from __future__ import annotations

import threading
from typing import Any, Callable, Mapping

import numpy as np

from devices.base import Device
from devices.commands import CancelToken, Command
from devices.camera.frames import Frame, LatestFrame
from devices.model import InvalidData


class Camera(Device):
    """A camera. `start_streaming()` keeps `frames` fed; `capture()` grabs one fresh frame.

    The grab loop runs as a command on the device worker and hands the worker back
    whenever another command is queued, so `capture()` and reopen never wait behind it.
    """
    kind = "camera"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.frames = LatestFrame()
        self.frames_dropped = 0
        self._streaming = False
        self._stream_queued = False
        self._wake = threading.Event()

    # --- public interface ---------------------------------------------------------

    def start_streaming(self) -> None:
        self._streaming = True
        if self.status.usable:
            self._queue_stream()

    def stop_streaming(self) -> None:
        self._streaming = False
        self._wake.set()

    def wipe_frames(self) -> None:
        """End of a citizen's step: stop streaming and drop the held frame."""
        self.stop_streaming()
        self.frames.clear()

    @property
    def streaming(self) -> bool:
        return self._streaming

    def capture(self, timeout: float = 10.0) -> Command:
        """Grab one fresh frame on the worker; the result's value is a `Frame`."""
        return self.submit("capture", self._grab, timeout=timeout)

    def on_challenge(self, challenge: str | None) -> None:
        """The liveness challenge the citizen is being asked now (None: none).

        Real cameras ignore it; the simulated camera's "holder" performs it."""

    def subscribe_frames(self, listener: Callable[[Frame], None]) -> Callable[[], None]:
        return self.frames.subscribe(listener)

    # --- backend hooks ------------------------------------------------------------

    def _read_image(self, token: CancelToken) -> np.ndarray:
        """One BGR frame from the source; raise NoDevice when gone, InvalidData when corrupt."""
        raise NotImplementedError

    def _frame_hints(self, captured_at: float) -> Mapping[str, Any]:
        return {}

    def _frame_interval(self) -> float:
        """Seconds to wait between grabs (0: the source paces itself)."""
        return 0.0

    # --- worker side ------------------------------------------------------------

    def submit(self, name: str, fn: Callable[[CancelToken], Any], **kwargs: Any) -> Command:
        command = super().submit(name, fn, **kwargs)
        self._wake.set()  # let a pacing grab loop hand the worker over at once
        return command

    def stop(self, timeout: float = 5.0) -> None:
        self._streaming = False
        self._wake.set()
        super().stop(timeout)
        self.frames.clear()

    def _after_open(self) -> None:
        if self._streaming:
            self._queue_stream()

    def _queue_stream(self) -> None:
        if self._stream_queued:
            return
        self._stream_queued = True
        self.submit("stream", self._stream, timeout=None, internal=True)

    def _grab(self, token: CancelToken) -> Frame:
        token.raise_if_cancelled()
        try:
            image = self._read_image(token)
        except InvalidData:
            self.frames_dropped += 1
            raise
        captured_at = self.clock.monotonic()
        return self.frames.publish(image, captured_at, self._frame_hints(captured_at))

    def _stream(self, token: CancelToken) -> None:
        self._stream_queued = False
        while self._streaming and not token.cancelled and not self._stopping:
            try:
                self._grab(token)
            except InvalidData:
                pass  # counted in frames_dropped; the next frame is usually fine
            if not self._queue.empty():  # hand the worker to the queued command, then resume
                self._queue_stream()
                return
            interval = self._frame_interval()
            if interval > 0:
                self._wake.clear()
                self.clock.wait(self._wake, interval)
                if not self._queue.empty():
                    self._queue_stream()
                    return
