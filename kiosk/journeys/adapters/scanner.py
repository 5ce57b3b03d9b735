"""The document-camera port: auto-capture of one page."""
from __future__ import annotations

import math
import threading
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, Callable

from kiosk.journeys.adapters.futures import newest_image, not_ready
from kiosk.journeys.ports import ScannedPage, ScanView

if TYPE_CHECKING:
    from devices.registry import DeviceRegistry


class ScannerPort:
    """Auto-capture of one page from the document camera (found, straightened, readable),
    taken once it has held still and readable for `countdown_s` seconds
    ([document_scan] auto_capture_countdown_s)."""

    def __init__(self, registry: "DeviceRegistry", countdown_s: float) -> None:
        self._registry, self._countdown_s = registry, countdown_s
        self._capture: Any = None

    def preview(self) -> Any:
        capture = self._capture
        return newest_image(capture.camera) if capture is not None else None

    def capture(self, on_view: Callable[[ScanView], None]) -> Future:
        from devices.docscan.capture import PageCapture
        from devices.docscan.scan import to_jpeg
        camera = self._registry.first_usable("document_camera")
        if camera is None:
            return not_ready("document camera")
        page: Future = Future()
        self.stop()
        capture = self._capture = PageCapture(
            camera, countdown=self._countdown_s, on_update=lambda view: on_view(ScanView(
                tuple((round(x, 2), round(y, 2)) for x, y in view.corners), view.problems,
                None if view.seconds_left is None else math.ceil(view.seconds_left))))

        def captured(done: Future) -> None:
            if done.cancelled() or done.exception() is not None:
                if not page.done():
                    page.set_exception(done.exception() or RuntimeError("scan stopped"))
                return
            page.set_result(ScannedPage(to_jpeg(done.result().page)))
            self._stop_capture(capture)
        capture.start().add_done_callback(captured)
        return page

    def take_now(self) -> None:
        if self._capture is not None:
            self._capture.take_now()

    def _stop_capture(self, capture: Any) -> None:
        if self._capture is capture:
            self._capture = None
        # joining the capture thread from itself would deadlock: stop it from elsewhere
        threading.Thread(target=capture.stop, name="page-capture-stop", daemon=True).start()

    def stop(self) -> None:
        if self._capture is not None:
            self._stop_capture(self._capture)
