"""The whole face step on the simulated camera's demo people: holder, someone else,
a photo of the holder, no one. Time is a TestClock moved one frame at a time."""
from __future__ import annotations

import logging

import cv2

from devices.camera.simulated import SimulatedCamera
from devices.camera.source import decode_image
from devices.face.settings import FaceSettings
from devices.face.verification import FaceVerification, Failure, Phase
from foundation.clock import TestClock
from tests.conftest import shared_data

FPS = 15


def run_step(face, who, *, settings=None, frames=400, on_state=None):
    clock = TestClock()
    holder = shared_data("faces", "obama2.jpg")
    other = shared_data("faces", "rose_leslie_img1.jpg")
    camera = SimulatedCamera("face_camera", SimulatedCamera.Settings(
        holder_image=str(holder), other_image=str(other)), clock=clock)
    camera.start()
    settings = settings or FaceSettings(max_attempts=2, challenge_time_s=3.0)
    step = FaceVerification(face, settings, clock=clock, announce=camera.on_challenge,
                            challenges=lambda n: ["blink", "turn_left", "turn_right"][:n])
    states = []
    step.subscribe(states.append)
    if on_state is not None:
        step.subscribe(lambda state: on_state(state, camera))
    try:
        camera.simulate("person", who=who)
        reference = decode_image(shared_data("faces", "obama.jpg").read_bytes())
        assert step.start(reference).result(60).ok
        for _ in range(frames):
            if step.state.finished:
                break
            judged = step.feed(camera.capture().result(10).unwrap())
            if judged is not None:
                judged.result(60)
            clock.advance(1 / FPS)
        return step, states
    finally:
        camera.stop()


def test_the_holder_following_the_challenge_is_accepted(face, caplog, tmp_path, monkeypatch):
    caplog.set_level(logging.DEBUG)
    monkeypatch.chdir(tmp_path)
    step, states = run_step(face, "holder", settings=FaceSettings(evidence_image=True))
    assert step.state.phase is Phase.ACCEPTED
    shown = [s.instruction for s in states]
    assert {"blink", "turn_left", "turn_right"} <= set(shown)
    evidence = step.take_evidence()
    assert evidence is not None and evidence[:2] == b"\xff\xd8"
    step.end().result(30)
    assert step.state.phase is Phase.ENDED and step.evidence_jpeg is None
    assert "distance" not in caplog.text  # no score in any log
    assert list(tmp_path.iterdir()) == []  # and nothing on disk


def test_a_swap_of_person_after_the_challenge_fails_the_attempt(face):
    swapped = []

    def swap(state, camera):
        if state.phase is Phase.CONFIRMING and not swapped:
            swapped.append(state.attempt)
            camera.simulate("person", who="someone_else")
    step, _ = run_step(face, "holder", settings=FaceSettings(max_attempts=1), on_state=swap)
    assert swapped == [1]
    assert step.state.phase is Phase.STAFF
    assert step.last_failure is Failure.FACE_CHANGED
    step.end().result(30)


def test_someone_else_fails_each_attempt_then_staff(face):
    step, states = run_step(face, "someone_else")
    assert step.state.phase is Phase.STAFF
    assert [f for f, _ in step.failures] == [Failure.NO_MATCH, Failure.NO_MATCH]
    assert any(s.retrying and s.attempt == 2 for s in states)
    assert step.take_evidence() is None
    step.end().result(30)


def test_a_photo_of_the_holder_fails_liveness(face):
    step, _ = run_step(face, "photo_of_holder")
    assert step.state.phase is Phase.STAFF
    assert [f for f, _ in step.failures] == [Failure.NOT_LIVE, Failure.NOT_LIVE]
    step.end().result(30)


def test_no_one_is_guided_and_never_decided(face):
    step, states = run_step(face, "no_one", frames=20)
    assert step.state.phase is Phase.POSITIONING
    assert states[-1].instruction == "no_face"
    step.end().result(30)


def test_an_unusable_reference_goes_to_staff(face):
    clock = TestClock()
    step = FaceVerification(face, FaceSettings(), clock=clock)
    blank = cv2.cvtColor(cv2.imread(str(shared_data("faces", "obama.jpg")))[:50, :50],
                         cv2.COLOR_BGR2GRAY)
    step.start(blank).result(60)
    assert step.done.result(10).phase is Phase.STAFF
    assert step.last_failure is Failure.NO_REFERENCE_FACE
    step.end().result(30)
