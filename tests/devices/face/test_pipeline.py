"""The face pipeline in its child process, on real photos from ../shared/data/faces."""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from devices.camera.simulated import SimulatedCamera
from devices.camera.source import decode_image, fit_into
from devices.face.guidance import Guidance, text
from devices.face.settings import FaceSettings
from foundation.clock import TestClock
from tests.conftest import shared_data

THRESHOLD = FaceSettings().threshold


def photo(name: str) -> np.ndarray:
    return decode_image(shared_data("faces", name).read_bytes())


def camera_frame(name: str) -> np.ndarray:
    """The photo as the 1280x720 face camera would deliver it (fitted, padded)."""
    return fit_into(photo(name), 1280, 720)


def test_same_person_is_accepted(face):
    assert face.enrol(photo("obama.jpg")).result(60).ok
    observation = face.observe(camera_frame("obama2.jpg"), match=True).result(60)
    assert observation.guidance is Guidance.OK
    assert observation.distance <= THRESHOLD


@pytest.mark.parametrize("other", ["kit_harington_john2.jpeg", "lin-manuel-miranda.png"])
def test_a_different_person_is_rejected(face, other):
    assert face.enrol(photo("obama.jpg")).result(60).ok
    observation = face.observe(camera_frame(other), match=True).result(60)
    assert observation.guidance is Guidance.OK
    assert observation.distance > THRESHOLD


def test_two_faces_are_guided(face):
    observation = face.observe(camera_frame("two_people.jpg")).result(60)
    assert (observation.guidance, observation.faces) == (Guidance.SEVERAL_FACES, 2)
    assert "one person" in text(observation.guidance, "en_US")


@pytest.mark.parametrize("name", ["obama_partial_face.jpg", "obama_partial_face2.jpg"])
def test_a_face_cut_by_the_frame_edge_is_guided_to_the_centre(face, name):
    observation = face.observe(photo(name)).result(60)
    assert observation.guidance is Guidance.OFF_CENTRE


def test_the_32_bit_png_is_read_as_rgb_and_matches(face):
    image = photo("32bit.png")
    assert image.shape[2] == 3
    assert face.enrol(image).result(60).ok
    observation = face.observe(camera_frame("obama.jpg"), match=True).result(60)
    assert observation.distance <= THRESHOLD


def test_a_small_chip_photo_is_upsampled_for_the_reference(face):
    chip = cv2.resize(photo("obama.jpg"), (102, 126), interpolation=cv2.INTER_AREA)
    enrolment = face.enrol(chip).result(60)
    assert enrolment.ok
    observation = face.observe(camera_frame("obama2.jpg"), match=True).result(60)
    assert observation.distance <= THRESHOLD


def test_no_reference_face_is_reported(face):
    blank = np.full((400, 300, 3), 128, dtype=np.uint8)
    enrolment = face.enrol(blank).result(60)
    assert (enrolment.ok, enrolment.guidance) == (False, Guidance.NO_FACE)


@pytest.mark.parametrize("change, expected", [
    (lambda f: (f * 0.2).astype(np.uint8), Guidance.TOO_DARK),
    (lambda f: cv2.convertScaleAbs(f, alpha=1.0, beta=150), Guidance.TOO_BRIGHT),
    (lambda f: cv2.GaussianBlur(f, (15, 15), 0), Guidance.BLURRED),
    (lambda f: cv2.resize(f, None, fx=3.5, fy=3.5)[592:1312, 1590:2870], Guidance.TOO_CLOSE),
    (lambda f: np.roll(f, 420, axis=1), Guidance.OFF_CENTRE),
    (lambda f: np.full_like(f, 120), Guidance.NO_FACE),
])
def test_quality_gates_give_plain_guidance(face, change, expected):
    frame = np.ascontiguousarray(change(camera_frame("obama2.jpg")))
    assert face.observe(frame).result(60).guidance is expected


def test_standing_too_far_back_is_guided(face):
    far = cv2.resize(camera_frame("obama2.jpg"), None, fx=0.7, fy=0.7)  # face ~10 % wide
    frame = np.full((720, 1280, 3), 40, dtype=np.uint8)
    frame[108:108 + far.shape[0], 192:192 + far.shape[1]] = far
    assert face.observe(frame).result(60).guidance is Guidance.TOO_FAR


def clip_frame(index: int) -> np.ndarray:
    """Frame `index` of the shared clip, as the 1280x720 face camera would deliver it."""
    clip = cv2.VideoCapture(str(shared_data("faces", "short_hamilton_clip.mp4")))
    try:
        clip.set(cv2.CAP_PROP_POS_FRAMES, index)
        ok, frame = clip.read()
    finally:
        clip.release()
    assert ok
    return cv2.resize(frame, (1280, 720))


@pytest.mark.parametrize("index", [0, 25])  # faces about 7 % and 3 % of the frame wide
def test_a_face_too_small_for_the_fast_pass_is_found_and_guided_closer(face, index):
    # stock face_recognition (full frame, upsampled once) finds these faces; so must we
    observation = face.observe(clip_frame(index), match=True).result(60)
    assert (observation.guidance, observation.faces) == (Guidance.TOO_FAR, 1)
    assert observation.distance is None  # never matched while the citizen is told to come closer


def test_too_far_follows_the_setting():
    from devices.face.pipeline import FacePipeline
    from devices.face.tracks import template
    pipeline = FacePipeline.__new__(FacePipeline)
    pipeline.settings = FaceSettings(min_face_width=0.2)
    frame = np.full((720, 1280, 3), 128, dtype=np.uint8)
    assert pipeline.quality(frame, (600, 300, 700, 400), template(centre=(650, 340)),
                            framing=True) is Guidance.TOO_FAR


def test_eyes_closed_and_head_turned_from_landmarks():
    from devices.face.pipeline import FacePipeline
    from devices.face.tracks import template
    pipeline = FacePipeline.__new__(FacePipeline)
    pipeline.settings = FaceSettings()
    rng = np.random.default_rng(1)
    frame = rng.integers(60, 200, (720, 1280, 3), dtype=np.uint8)  # sharp, mid-grey
    box = (540, 220, 740, 420)
    assert pipeline.quality(frame, box, template(), True) is Guidance.OK
    assert pipeline.quality(frame, box, template(lid=0.5), True) is Guidance.EYES_CLOSED
    assert pipeline.quality(frame, box, template(yaw=0.5), True) is Guidance.HEAD_TURNED


def test_the_video_clip_drives_the_camera_simulator(face):
    clip = shared_data("faces", "short_hamilton_clip.mp4")
    camera = SimulatedCamera("face_camera", SimulatedCamera.Settings(source=str(clip)),
                             clock=TestClock())
    camera.start()
    try:
        assert face.enrol(photo("lin-manuel-miranda.png")).result(60).ok
        guidance = []
        for index in range(150):
            frame = camera.capture().result(10).unwrap()
            assert (frame.width, frame.height) == (1280, 720)
            if index % 15 == 0:
                guidance.append(face.observe(frame.image, match=True).result(60).guidance)
        assert Guidance.NO_FACE in guidance and Guidance.OK in guidance
    finally:
        camera.stop()


def test_frames_are_dropped_while_the_child_is_busy(face):
    frame = camera_frame("obama2.jpg")
    first = face.observe(frame)
    dropped_before = face.frames_dropped
    assert face.observe(frame) is None
    assert face.frames_dropped == dropped_before + 1
    first.result(60)
    later = face.observe(frame)
    assert later is not None
    later.result(60)


def test_the_icao_document_photo_and_its_jpeg2000_form_make_references(face):
    jpeg = shared_data("emrtd", "ICAO_39794_5_AP_Face.jpg").read_bytes()
    assert face.enrol(decode_image(jpeg)).result(60).ok
    ok, jp2 = cv2.imencode(".jp2", decode_image(jpeg))
    assert ok and face.enrol(decode_image(jp2.tobytes())).result(60).ok


def test_the_child_survives_a_bad_frame(face):
    with pytest.raises(Exception, match="FaceProcessError|error|Error"):
        face.observe(np.zeros((0, 0, 3), dtype=np.uint8)).result(60)
    assert face.observe(camera_frame("obama2.jpg")).result(60).guidance is Guidance.OK
