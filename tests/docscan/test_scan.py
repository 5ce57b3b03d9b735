"""Document scanning from a page photographed in the test: rotated, skewed, blurred,
with glare, too far away; straightened and written as JPEG and PDF."""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from devices.docscan.scan import AutoCapture, find_page, scan_page, to_jpeg, to_pdf
from devices.model import InvalidData

PAGE_W, PAGE_H = 840, 1188   # A4 at ~100 dpi


def make_page() -> np.ndarray:
    page = np.full((PAGE_H, PAGE_W, 3), 245, dtype=np.uint8)
    cv2.putText(page, "RESIDENCE PERMIT APPLICATION", (60, 120), cv2.FONT_HERSHEY_SIMPLEX,
                1.1, (20, 20, 20), 2)
    for line in range(18):
        y = 200 + line * 52
        cv2.putText(page, f"Line {line:02d}: the quick brown fox jumps over", (60, y),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.9, (30, 30, 30), 2)
    cv2.rectangle(page, (60, 1100), (300, 1150), (0, 0, 160), 3)  # a red stamp box
    return page


def photograph(page: np.ndarray, corners: list[tuple[float, float]],
               size=(1600, 1200)) -> np.ndarray:
    """The page lying on a dark desk, seen by the camera with its corners at `corners`."""
    source = np.float32([[0, 0], [PAGE_W - 1, 0], [PAGE_W - 1, PAGE_H - 1], [0, PAGE_H - 1]])
    matrix = cv2.getPerspectiveTransform(source, np.float32(corners))
    desk = np.full((size[1], size[0], 3), (60, 50, 45), dtype=np.uint8)
    warped = cv2.warpPerspective(page, matrix, size)
    mask = cv2.warpPerspective(np.full(page.shape[:2], 255, np.uint8), matrix, size)
    desk[mask > 0] = warped[mask > 0]
    return desk


SKEWED = [(520, 80), (1180, 140), (1230, 1120), (430, 1060)]


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
    frame = cv2.GaussianBlur(photograph(make_page(), SKEWED), (21, 21), 0)
    assert "blurred" in scan_page(frame).readability.problems


def test_glare_is_reported():
    frame = photograph(make_page(), SKEWED)
    cv2.ellipse(frame, (830, 600), (170, 120), 0, 0, 360, (255, 255, 255), -1)
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
