"""A synthetic paper form lying on a desk, as the document camera sees it: for the
simulated document camera (demo) and the scanning tests. No real document is used."""
from __future__ import annotations

import cv2
import numpy as np

PAGE_W, PAGE_H = 840, 1188   # A4 at ~100 dpi
#: where the page's corners land in a 1600x1200 view: skewed, as if laid down by hand
SKEWED = [(520, 80), (1180, 140), (1230, 1120), (430, 1060)]


def sample_page() -> np.ndarray:
    page = np.full((PAGE_H, PAGE_W, 3), 245, dtype=np.uint8)
    cv2.putText(page, "RESIDENCE PERMIT APPLICATION", (60, 120), cv2.FONT_HERSHEY_SIMPLEX,
                1.1, (20, 20, 20), 2)
    for line in range(18):
        cv2.putText(page, f"Line {line:02d}: the quick brown fox jumps over", (60, 200 + line * 52),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.9, (30, 30, 30), 2)
    cv2.rectangle(page, (60, 1100), (300, 1150), (0, 0, 160), 3)  # a red stamp box
    return page


def photograph(page: np.ndarray, corners: list[tuple[float, float]],
               size: tuple[int, int] = (1600, 1200)) -> np.ndarray:
    """The page on a dark desk, seen with its corners at `corners` (TL, TR, BR, BL)."""
    height, width = page.shape[:2]
    source = np.float32([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]])
    matrix = cv2.getPerspectiveTransform(source, np.float32(corners))
    desk = np.full((size[1], size[0], 3), (60, 50, 45), dtype=np.uint8)
    warped = cv2.warpPerspective(page, matrix, size)
    mask = cv2.warpPerspective(np.full(page.shape[:2], 255, np.uint8), matrix, size)
    desk[mask > 0] = warped[mask > 0]
    return desk


def desk_scene(width: int, height: int, *, blurred: bool = False,
               glare: bool = False, shift: float = 0.0) -> np.ndarray:
    """The sample page photographed skewed, fitted to (width, height); `shift` slides it
    right by that share of the width (a hand still placing it)."""
    scale_x, scale_y = width / 1600, height / 1200
    corners = [(x * scale_x + shift * width, y * scale_y) for x, y in SKEWED]
    frame = photograph(sample_page(), corners, (width, height))
    if blurred:
        frame = cv2.GaussianBlur(frame, (21, 21), 0)
    if glare:
        centre = (round(830 * scale_x), round(600 * scale_y))
        cv2.ellipse(frame, centre, (round(170 * scale_x), round(120 * scale_y)), 0, 0, 360,
                    (255, 255, 255), -1)
    return frame
