"""The face port: one verification attempt on the face service's child process."""
from __future__ import annotations

from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, Callable

from kiosk.journeys.adapters.futures import newest_image
from kiosk.journeys.ports import FaceGuidance, FaceOutcome

if TYPE_CHECKING:
    from devices.face.service import FaceService
    from devices.registry import DeviceRegistry


class FacePort:
    """One attempt per `verify` on the face service's child process (the journey counts
    attempts and decides on the staff path); guidance comes with the pipeline's words."""

    def __init__(self, service: "FaceService", registry: "DeviceRegistry") -> None:
        self._service = service
        self._registry = registry
        self._step: Any = None
        self._camera: Any = None

    def preview(self) -> Any:
        return newest_image(self._camera) if self._step is not None else None

    def verify(self, reference_photo: bytes,
               on_guidance: Callable[[FaceGuidance], None]) -> Future:
        from devices.face.guidance import text
        from devices.face.verification import Phase
        outcome: Future = Future()
        camera = self._registry.first_usable("face_camera")
        try:
            if camera is None:
                raise RuntimeError("no usable face camera")
            step = self._service.begin(camera, reference_photo, max_attempts=1)
        except Exception as error:  # no camera, child process down, unreadable photo
            outcome.set_exception(error)
            return outcome
        self._step, self._camera = step, camera

        def show(state: Any) -> None:
            try:
                words = (text(state.instruction, "zh_CN"), text(state.instruction, "en_US"))
            except (KeyError, ValueError):
                words = ("", "")
            on_guidance(FaceGuidance(state.instruction, state.progress, *words))

        def finished(done: Future) -> None:
            phase = done.result().phase
            self._finish(step)
            camera.emit("faceChecked")  # counted per camera (kiosk.device_counters)
            outcome.set_result(FaceOutcome(True, True) if phase is Phase.ACCEPTED
                               else FaceOutcome(False, phase is not Phase.ENDED,
                                                "no_match" if phase is Phase.STAFF
                                                else "timeout"))
        step.subscribe(show)
        step.done.add_done_callback(finished)
        return outcome

    def _finish(self, step: Any) -> None:
        if self._step is step:
            self._step = None
        self._service.finish(step)

    def stop(self) -> None:
        if self._step is not None:
            self._finish(self._step)
