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


def test_auto_capture_counts_down_while_a_readable_page_holds_still():
    capture = AutoCapture(countdown=3)
    frame = photograph(make_page(), SKEWED)
    moving = photograph(make_page(), [(x + 60, y) for x, y in SKEWED])
    assert capture.feed(frame, 0) is not None and capture.seconds_left is None
    capture.feed(frame, 1)
    assert capture.seconds_left == 3
    capture.feed(moving, 2)                      # moved: counted again from the start
    assert capture.seconds_left is None
    for at, left in ((3, 3), (5, 1)):
        capture.feed(moving, at)
        assert capture.seconds_left == left and capture.result is None
    capture.feed(moving, 6)
    assert capture.result is not None and capture.result.readability.ok
    assert find_page(np.full((600, 800, 3), 70, np.uint8)) is None


def test_an_unreadable_page_is_not_counted_down_but_can_be_taken_by_hand():
    capture = AutoCapture(countdown=3)
    blurred = sample.desk_scene(1600, 1200, blurred=True)
    for at in range(5):
        capture.feed(blurred, at)
    assert capture.seconds_left is None and capture.problems == ["blurred"]
    taken = capture.take(blurred)
    assert taken.page.shape[1] == 1240 and "blurred" in taken.readability.problems
    empty = np.full((600, 800, 3), 70, np.uint8)      # no page seen: the whole view
    assert AutoCapture(countdown=3).take(empty).page.shape == empty.shape


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


class _Stream:
    """A PageCapture on the simulated document camera driven by a TestClock: each step
    advances the clock and returns the view of the frame grabbed then."""

    def __init__(self):
        import queue

        from devices.camera.simulated import SimulatedCamera
        from foundation.clock import TestClock
        self.clock = TestClock()
        self.camera = SimulatedCamera("document_camera",
                                      SimulatedCamera.Settings(width=1600, height=1200),
                                      clock=self.clock)
        self.views = queue.Queue()

    def start(self, **page):
        from devices.docscan.capture import PageCapture
        self.camera.start()
        self.camera.simulate("show_page", **page).result(10)
        self.capture = PageCapture(self.camera, on_update=self.views.put, countdown=3)
        taken = self.capture.start()
        assert self.views.get(timeout=10).at == 0     # the first frame: where the page lies
        return taken

    def step(self, seconds=1.0):
        self.clock.advance(seconds)
        now = self.clock.monotonic()
        while True:
            view = self.views.get(timeout=10)
            if view.at >= now:
                return view

    def until(self, predicate):
        """The next view, at this instant or later, that `predicate` accepts."""
        while not predicate(view := self.views.get(timeout=10)):
            pass
        return view

    def stop(self):
        self.capture.stop()
        self.camera.stop()


@pytest.fixture
def stream():
    made = _Stream()
    yield made
    made.stop()


def test_a_steady_page_is_taken_after_the_countdown_without_a_tap(stream):
    taken = stream.start()
    view = stream.step()
    assert len(view.corners) == 4 and all(0 < x < 1 and 0 < y < 1 for x, y in view.corners)
    assert view.seconds_left == 3                        # the page lies still: counting
    assert [stream.step().seconds_left for _ in range(2)] == [2, 1]
    assert not taken.done()
    assert stream.step().seconds_left == 0
    assert taken.result(10).readability.ok
    stream.capture.stop()
    assert not stream.camera.streaming and stream.camera.frames.latest() is None


def test_a_page_that_moves_starts_the_countdown_again(stream):
    taken = stream.start()
    still = stream.step()
    assert stream.step().seconds_left == 2
    # the camera shows the moved page at once (showing it reopens the simulated camera)
    stream.camera.simulate("show_page", shift=0.05).result(10)
    moved = stream.until(lambda view: view.corners[0][0] > still.corners[0][0] + 0.02)
    assert moved.seconds_left is None
    assert [stream.step().seconds_left for _ in range(3)] == [3, 2, 1]
    assert not taken.done()


def test_a_blurred_page_is_outlined_not_counted_and_taken_when_asked(stream):
    taken = stream.start(blurred=True)
    views = [stream.step() for _ in range(5)]
    assert all(len(v.corners) == 4 and v.seconds_left is None for v in views)
    assert views[-1].problems == ("blurred",) and not taken.done()
    stream.capture.take_now()
    stream.clock.advance(1)
    assert "blurred" in taken.result(10).readability.problems
