"""The face service wires a streaming camera to a verification step and wipes at the end."""
from __future__ import annotations

import threading

import pytest

from devices.camera.simulated import SimulatedCamera
from devices.face.service import FaceService
from devices.face.settings import FaceSettings
from devices.face.verification import Phase
from devices.model import InvalidData
from foundation.clock import TestClock
from tests.conftest import shared_data


def advance_until(clock, event, step_s=1 / 15, limit=300):
    for _ in range(limit):
        if event.wait(0.05):
            return True
        clock.advance(step_s)
    return event.is_set()


@pytest.fixture
def service_and_camera(face_process):
    clock = TestClock()
    service = FaceService(FaceSettings(), clock=clock)
    service._process = face_process  # share the package's child instead of loading another
    camera = SimulatedCamera("face_camera", SimulatedCamera.Settings(
        holder_image=str(shared_data("faces", "obama2.jpg"))), clock=clock)
    camera.start()
    yield service, camera, clock
    camera.stop()


def test_a_step_streams_frames_into_the_pipeline_and_finish_wipes(service_and_camera):
    service, camera, clock = service_and_camera
    reference = shared_data("faces", "obama.jpg").read_bytes()
    camera.simulate("person", who="holder")
    step = service.begin(camera, reference)
    capturing = threading.Event()
    step.subscribe(lambda s: capturing.set() if s.progress > 0 or s.phase is not Phase.POSITIONING
                   and s.phase is not Phase.REFERENCE else None)
    assert camera.streaming
    assert advance_until(clock, capturing), step.state
    service.finish(step)
    assert step.state.phase is Phase.ENDED
    assert not camera.streaming and camera.frames.latest() is None
    assert step.evidence_jpeg is None


def test_unreadable_reference_bytes_are_invalid_data(service_and_camera):
    service, camera, _ = service_and_camera
    with pytest.raises(InvalidData):
        service.begin(camera, b"not an image")
