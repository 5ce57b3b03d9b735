"""The face service the kiosk composes once: it owns the face child process and runs
one verification step at a time on a camera.

    service = FaceService(settings, clock=clock); service.start()      # at kiosk start
    step = service.begin(face_camera, document_photo_bytes)            # the face screen
    step.subscribe(show)   # FaceStepState: instruction, ring progress, attempt, outcome
    ...
    evidence = step.take_evidence()  # only when [face] evidence_image = true; JPEG bytes
    service.finish(step)             # always: wipes the reference, the frames, the evidence

The reference photo may come from the document (JPEG or JPEG 2000 from an eMRTD's
DG2, PNG, a decoded chip photo) or from the district server's reference photo: both
are image bytes.
"""
from __future__ import annotations

import logging
import threading
from typing import Callable

from devices.camera.camera import Camera
from devices.camera.source import decode_image
from devices.face.process import FaceProcess, FaceProcessError
from devices.face.settings import FaceSettings
from devices.face.verification import FaceVerification
from foundation.clock import Clock

log = logging.getLogger(__name__)


class FaceService:
    def __init__(self, settings: FaceSettings, *, clock: Clock) -> None:
        self.settings = settings
        self.clock = clock
        self._process: FaceProcess | None = None
        self._lock = threading.Lock()
        #: running steps: id(step) -> (its camera, the unsubscribe of its frame feed)
        self._steps: dict[int, tuple[Camera, Callable[[], None]]] = {}

    def start(self) -> FaceProcess:
        """Start (or restart after a crash) the child; `ready` resolves when models are loaded."""
        with self._lock:
            if self._process is None or not self._process.alive:
                if self._process is not None:
                    log.warning("face process ended; restarting it")
                    self._process.close()
                self._process = FaceProcess(self.settings).start()
            return self._process

    @property
    def available(self) -> bool:
        process = self._process
        return process is not None and process.alive and process.ready.done() \
            and process.ready.exception() is None

    @property
    def busy(self) -> bool:
        """Whether the child is still working on what it was given (a driver of the test clock
        waits for it before the next frame, so that no frame is dropped on a slow machine)."""
        process = self._process
        return process is not None and process.alive and process.busy

    def begin(self, camera: Camera, reference: bytes, *,
              max_attempts: int | None = None) -> FaceVerification:
        """Start a step: the reference from photo bytes, frames from `camera` (streaming).
        `max_attempts` overrides [face] max_attempts (1: a journey counting attempts itself)."""
        process = self.start()
        if process.ready.exception() is not None:
            raise FaceProcessError(str(process.ready.exception()))
        image = decode_image(reference)  # InvalidData for unreadable bytes
        settings = self.settings if max_attempts is None else \
            FaceSettings(**{**self.settings.model_dump(), "max_attempts": max_attempts})
        step = FaceVerification(process, settings, clock=self.clock,
                                announce=camera.on_challenge)
        step.start(image)
        self._steps[id(step)] = (camera, camera.subscribe_frames(step.feed))
        camera.start_streaming()
        return step

    def finish(self, step: FaceVerification) -> None:
        """End the step: stop feeding, wipe the reference, the held frame and the evidence."""
        entry = self._steps.pop(id(step), None)
        if entry is not None:
            camera, unsubscribe = entry
            unsubscribe()
            camera.wipe_frames()
        step.end()

    def stop(self) -> None:
        with self._lock:
            if self._process is not None:
                self._process.close()
                self._process = None
