"""Auto-capture of a page from a streaming document camera, off the camera's worker.

    capture = PageCapture(document_camera, countdown=seconds, on_update=show_overlay)
    page = capture.start()        # Future[ScanResult]: the page, steady and readable
    ...  capture.take_now()       # the citizen's button: the page as it lies now
    ...  jpeg = to_jpeg(page.result().page)
    capture.stop()                # always: stops the stream and drops the held frame

`on_update(view)` gets a `PageView` for each frame looked at, from the capture thread:
the page outline for the preview's edge overlay, what keeps it from being taken, and the
seconds left before it is. Frames arriving while one is being examined are skipped (only
the newest is looked at); the countdown runs on the frames' capture times (the camera's
clock).
"""
from __future__ import annotations

import threading
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Callable

from devices.camera.camera import Camera
from devices.docscan.scan import AutoCapture, ScanLimits, ScanResult


@dataclass(frozen=True)
class PageView:
    #: the page's corners (TL, TR, BR, BL) as fractions of the frame's width and height;
    #: empty when no page is seen
    corners: tuple[tuple[float, float], ...]
    problems: tuple[str, ...]         # "blurred", "glare", "too_small"
    seconds_left: float | None        # until the steady page is taken; None: not counting
    at: float                         # the frame's capture time (the camera's clock)


class PageCapture:
    def __init__(self, camera: Camera, *, countdown: float,
                 on_update: Callable[[PageView], None] | None = None,
                 limits: ScanLimits = ScanLimits()) -> None:
        self.camera = camera
        self._on_update = on_update or (lambda view: None)
        self._auto = AutoCapture(countdown=countdown, limits=limits)
        self._stop = threading.Event()
        self._take_now = threading.Event()
        self._thread: threading.Thread | None = None
        self.result: Future[ScanResult] = Future()

    def start(self) -> Future:
        self.camera.start_streaming()
        self._thread = threading.Thread(target=self._run, name="page-capture", daemon=True)
        self._thread.start()
        return self.result

    def take_now(self) -> None:
        """Take the next frame's page without waiting for the countdown."""
        self._take_now.set()

    def _run(self) -> None:
        seen = 0
        while not self._stop.is_set() and not self.result.done():
            frame = self.camera.frames.wait_newer(seen, 0.2)
            if frame is None:
                continue
            seen = frame.seq
            try:
                if self._take_now.is_set():
                    self.result.set_result(self._auto.take(frame.image))
                    return
                corners = self._auto.feed(frame.image, frame.captured_at)
            except Exception as error:  # a bad frame must not leave the future hanging
                self.result.set_exception(error)
                return
            outline = () if corners is None else tuple(
                (float(x) / frame.width, float(y) / frame.height) for x, y in corners)
            self._on_update(PageView(outline, tuple(self._auto.problems),
                                     self._auto.seconds_left, frame.captured_at))
            if self._auto.result is not None:
                self.result.set_result(self._auto.result)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
        if not self.result.done():
            self.result.cancel()
        self.camera.wipe_frames()
