"""Auto-capture of a page from a streaming document camera, off the camera's worker.

    capture = PageCapture(document_camera, on_update=show_overlay)
    page = capture.start()        # Future[ScanResult]: the first steady, readable page
    ...  jpeg = to_jpeg(page.result().page)
    capture.stop()                # always: stops the stream and drops the held frame

`on_update(corners, problems)` gets the page outline for the preview's edge overlay
(None when no page is seen) and what keeps it from being captured ("blurred",
"glare", "too_small"), from the capture thread. Frames arriving while one is being
examined are skipped (only the newest is looked at).
"""
from __future__ import annotations

import threading
from concurrent.futures import Future
from typing import Callable

import numpy as np

from devices.camera.camera import Camera
from devices.docscan.scan import AutoCapture, ScanLimits, ScanResult

Update = Callable[[np.ndarray | None, list[str]], None]


class PageCapture:
    def __init__(self, camera: Camera, *, on_update: Update | None = None,
                 limits: ScanLimits = ScanLimits(), steady_frames: int = 3) -> None:
        self.camera = camera
        self._on_update = on_update or (lambda corners, problems: None)
        self._auto = AutoCapture(steady_frames=steady_frames, limits=limits)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.result: Future[ScanResult] = Future()

    def start(self) -> Future:
        self.camera.start_streaming()
        self._thread = threading.Thread(target=self._run, name="page-capture", daemon=True)
        self._thread.start()
        return self.result

    def _run(self) -> None:
        seen = 0
        while not self._stop.is_set() and not self.result.done():
            frame = self.camera.frames.wait_newer(seen, 0.2)
            if frame is None:
                continue
            seen = frame.seq
            try:
                corners = self._auto.feed(frame.image)
            except Exception as error:  # a bad frame must not leave the future hanging
                self.result.set_exception(error)
                return
            self._on_update(corners, list(self._auto.problems))
            if self._auto.result is not None:
                self.result.set_result(self._auto.result)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
        if not self.result.done():
            self.result.cancel()
        self.camera.wipe_frames()
