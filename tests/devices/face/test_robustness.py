"""Outside bytes and a dying child: clear errors, the staff path, a restart."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings, strategies as st

from bench.fuzz_targets.face import TARGETS
from devices.camera.frames import LatestFrame
from devices.face.service import FaceService
from devices.face.settings import FaceSettings
from devices.face.verification import FaceVerification, Failure, Phase
from foundation.clock import TestClock
from tests.conftest import shared_data


@settings(max_examples=2000, deadline=None)
@given(st.binary(max_size=300))
def test_reference_photo_bytes_fail_only_with_invalid_data(data):
    parser, errors = TARGETS["face_reference_photo"]
    try:
        image = parser(data)
    except errors:
        return
    assert image.ndim == 3 and image.shape[2] == 3


def test_a_crashed_child_sends_the_step_to_staff_and_the_service_restarts_it():
    from devices.camera.source import decode_image
    clock = TestClock()
    service = FaceService(FaceSettings(), clock=clock)
    process = service.start()
    try:
        assert process.ready.result(120) == "ready"
        step = FaceVerification(process, FaceSettings(), clock=clock)
        reference = decode_image(shared_data("faces", "obama.jpg").read_bytes())
        assert step.start(reference).result(60).ok
        process._process.kill()
        process._process.join(10)
        frames = LatestFrame()
        judged = step.feed(frames.publish(np.full((720, 1280, 3), 100, np.uint8), 0.0))
        if judged is not None:
            judged.result(30)
        assert step.done.result(30).phase is Phase.STAFF
        assert step.last_failure is Failure.PIPELINE_FAILED
        restarted = service.start()
        assert restarted is not process
        assert restarted.ready.result(120) == "ready"
    finally:
        service.stop()
