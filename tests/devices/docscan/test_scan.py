"""Document scanning from a page photographed in the test: rotated, skewed, blurred,
with glare, too far away; straightened and written as JPEG and PDF."""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from devices.docscan import sample
from devices.docscan.scan import AutoCapture, find_page, scan_page, to_jpeg, to_pdf
from devices.model import InvalidData

SKEWED = sample.SKEWED
PAGE_H = sample.PAGE_H
make_page = sample.sample_page
photograph = sample.photograph


def rotated_corners(angle: float) -> list[tuple[float, float]]:
    centre = np.array([800, 600])
    half = np.array([[-330, -466], [330, -466], [330, 466], [-330, 466]])
    rad = np.deg2rad(angle)
    rotation = np.array([[np.cos(rad), -np.sin(rad)], [np.sin(rad), np.cos(rad)]])
    return [tuple(centre + rotation @ p) for p in half]


def test_a_skewed_page_is_found_and_straightened():
    frame = photograph(make_page(), SKEWED)
    result = scan_page(frame)
    assert np.abs(result.corners - np.float32(SKEWED)).max() < 12
    assert result.page.shape[1] == 1240
    assert result.page.shape[0] == round(1240 * 297 / 210)
    assert result.readability.ok, result.readability
    # the stamp box sits bottom-left again: the perspective is undone
    stamp = result.page[int(1100 / PAGE_H * result.page.shape[0]):, :int(0.4 * 1240)]
    assert (stamp[:, :, 2].astype(int) - stamp[:, :, 0]).max() > 60


@pytest.mark.parametrize("angle", [20, -35, 90])
def test_a_rotated_page_is_found(angle):
    frame = photograph(make_page(), rotated_corners(angle))
    result = scan_page(frame)
    assert result.readability.ok, result.readability


def test_a_blurred_photo_is_not_readable():
    frame = sample.desk_scene(1600, 1200, blurred=True)
    assert "blurred" in scan_page(frame).readability.problems


def test_glare_is_reported():
    frame = sample.desk_scene(1600, 1200, glare=True)
    assert "glare" in scan_page(frame).readability.problems


def test_a_page_too_far_away_is_too_small():
    small = [(x * 0.45 + 500, y * 0.45 + 300) for x, y in SKEWED]
    frame = photograph(make_page(), small)
    result = scan_page(frame)
    assert "too_small" in result.readability.problems


def test_no_page_is_invalid_data():
    with pytest.raises(InvalidData):
        scan_page(np.full((720, 1280, 3), 70, dtype=np.uint8))


def test_output_as_jpeg_and_pdf():
    page = scan_page(photograph(make_page(), SKEWED)).page
    jpeg = to_jpeg(page)
    assert jpeg[:2] == b"\xff\xd8"
    assert cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR).shape == page.shape
    pdf = to_pdf([page, page])
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") \
        + pdf.count(b"/Type/Page") >= 1


def test_auto_capture_waits_for_a_steady_readable_page():
    capture = AutoCapture(steady_frames=3)
    frame = photograph(make_page(), SKEWED)
    moving = photograph(make_page(), [(x + 60, y) for x, y in SKEWED])
    assert capture.feed(frame) is not None and capture.result is None
    capture.feed(moving)
    capture.feed(frame)
    assert capture.result is None
    capture.feed(frame)
    capture.feed(frame)
    assert capture.result is not None and capture.result.readability.ok
    assert find_page(np.full((600, 800, 3), 70, np.uint8)) is None


def test_the_simulated_document_camera_shows_a_page_that_scans():
    from devices.camera.simulated import SimulatedCamera
    from foundation.clock import TestClock
    camera = SimulatedCamera("document_camera", SimulatedCamera.Settings(width=1600, height=1200),
                             clock=TestClock())
    camera.start()
    try:
        camera.simulate("show_page")
        frame = camera.capture().result(10).unwrap()
        assert scan_page(np.array(frame.image)).readability.ok
        camera.simulate("show_page", blurred=True)
        frame = camera.capture().result(10).unwrap()
        assert "blurred" in scan_page(np.array(frame.image)).readability.problems
    finally:
        camera.stop()


def test_page_capture_follows_the_stream_until_a_readable_page_holds_still():
    import threading
    from concurrent.futures import wait

    from devices.camera.simulated import SimulatedCamera
    from devices.docscan.capture import PageCapture
    from foundation.clock import TestClock
    clock = TestClock()
    camera = SimulatedCamera("document_camera", SimulatedCamera.Settings(width=1600, height=1200),
                             clock=clock)
    camera.start()
    updates = []
    blurred_seen = threading.Event()

    def on_update(corners, problems):
        updates.append((corners is not None, problems))
        if "blurred" in problems:
            blurred_seen.set()
    try:
        camera.simulate("show_page", blurred=True)
        capture = PageCapture(camera, on_update=on_update)
        future = capture.start()
        for _ in range(100):  # the blurred page is outlined but never captured
            if blurred_seen.wait(0.05):
                break
            clock.advance(1 / 15)
        assert blurred_seen.is_set() and not future.done()
        camera.simulate("show_page")
        for _ in range(200):
            if wait([future], 0.05).done:
                break
            clock.advance(1 / 15)
        result = future.result(1)
        assert result.readability.ok and updates[-1][0]
        capture.stop()
        assert not camera.streaming and camera.frames.latest() is None
    finally:
        camera.stop()
