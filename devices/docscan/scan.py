"""Page edge detection, perspective correction, readability, JPEG/PDF output."""
from __future__ import annotations

import io
from dataclasses import dataclass, field

import cv2
import numpy as np

from devices.model import InvalidData

A4_RATIO = 297 / 210


@dataclass(frozen=True)
class ScanLimits:
    min_page_area: float = 0.05       # smaller quadrilaterals are not taken for the page
    min_page_width_px: int = 600      # narrower in the frame: too small to read (~72 dpi on A4)
    min_sharpness: float = 60.0       # Laplacian variance of the page at 1000 px wide
    max_glare: float = 0.02           # share of the page that is blown-out white
    output_width_px: int = 1240       # straightened page width (150 dpi on A4)


@dataclass
class Readability:
    problems: list[str] = field(default_factory=list)   # "blurred", "glare", "too_small"
    sharpness: float = 0.0
    glare: float = 0.0
    page_width_px: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class ScanResult:
    page: np.ndarray             # the straightened page, BGR
    corners: np.ndarray          # 4x2 float32 in the frame: TL, TR, BR, BL
    readability: Readability


def order_corners(points: np.ndarray) -> np.ndarray:
    pts = points.reshape(4, 2).astype(np.float32)
    s, d = pts.sum(axis=1), np.diff(pts, axis=1).ravel()
    return np.array([pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]],
                    dtype=np.float32)


def find_page(image: np.ndarray, limits: ScanLimits = ScanLimits()) -> np.ndarray | None:
    """The page's four corners (ordered), or None when no page-like quadrilateral is seen."""
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    grey = cv2.GaussianBlur(grey, (5, 5), 0)
    frame_area = grey.shape[0] * grey.shape[1]
    min_area = limits.min_page_area * frame_area
    edges = cv2.dilate(cv2.Canny(grey, 50, 150), np.ones((3, 3), np.uint8))
    _, bright = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    for mask in (bright, edges):  # a light page on a darker desk; else its edges
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:5]:
            area = cv2.contourArea(contour)
            if area < min_area:
                break
            if area > 0.97 * frame_area:  # the frame itself (an empty or uniform view)
                continue
            hull = cv2.convexHull(contour)
            approx = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
            if len(approx) == 4:
                return order_corners(approx)
    return None


def straighten(image: np.ndarray, corners: np.ndarray, width: int) -> np.ndarray:
    tl, tr, br, bl = corners
    measured_w = (np.linalg.norm(tr - tl) + np.linalg.norm(br - bl)) / 2
    measured_h = (np.linalg.norm(bl - tl) + np.linalg.norm(br - tr)) / 2
    # a page that measures close to A4 is made exactly A4; anything else keeps its shape
    ratio = measured_h / measured_w if measured_w else A4_RATIO
    if abs(ratio - A4_RATIO) < 0.08:
        ratio = A4_RATIO
    elif abs(1 / ratio - A4_RATIO) < 0.08:
        ratio = 1 / A4_RATIO
    height = round(width * ratio)
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]],
                      dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(corners.astype(np.float32), target)
    return cv2.warpPerspective(image, matrix, (width, height), flags=cv2.INTER_CUBIC)


def readability(page: np.ndarray, page_width_px: int,
                limits: ScanLimits = ScanLimits()) -> Readability:
    grey = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    scaled = cv2.resize(grey, (1000, round(grey.shape[0] * 1000 / grey.shape[1])),
                        interpolation=cv2.INTER_AREA)
    result = Readability(sharpness=float(cv2.Laplacian(scaled, cv2.CV_64F).var()),
                         glare=float((scaled >= 250).mean()), page_width_px=page_width_px)
    if page_width_px < limits.min_page_width_px:
        result.problems.append("too_small")
    if result.sharpness < limits.min_sharpness:
        result.problems.append("blurred")
    if result.glare > limits.max_glare:
        result.problems.append("glare")
    return result


def scan_page(image: np.ndarray, limits: ScanLimits = ScanLimits()) -> ScanResult:
    """Find, straighten and judge the page in a document-camera frame."""
    if not isinstance(image, np.ndarray) or image.ndim != 3 or image.size == 0:
        raise InvalidData("not a colour image")
    corners = find_page(image, limits)
    if corners is None:
        raise InvalidData("no page found: place the document flat inside the frame")
    tl, tr, br, bl = corners
    width_in_frame = int(min(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    page = straighten(image, corners, limits.output_width_px)
    return ScanResult(page, corners, readability(page, width_in_frame, limits))


def to_jpeg(page: np.ndarray, quality: int = 85) -> bytes:
    ok, data = cv2.imencode(".jpg", page, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise InvalidData("the page could not be encoded as JPEG")
    return data.tobytes()


def to_pdf(pages: list[np.ndarray], dpi: int = 150) -> bytes:
    """One PDF with a page per scan (JPEG-compressed images, page size from `dpi`)."""
    from PIL import Image
    if not pages:
        raise InvalidData("no pages to put in a PDF")
    images = [Image.open(io.BytesIO(to_jpeg(page))) for page in pages]
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return out.getvalue()


class AutoCapture:
    """Captures when the page has held still and readable for `countdown` seconds of frame
    time (the camera's clock: the kiosk's, a test's); a page that moves starts it again.
    `feed` returns the corners for the preview's edge overlay meanwhile."""

    def __init__(self, countdown: float, max_shift: float = 0.01,
                 limits: ScanLimits = ScanLimits()) -> None:
        self.countdown, self.max_shift, self.limits = countdown, max_shift, limits
        self._anchor: np.ndarray | None = None     # where the page lay when it stopped moving
        self._anchored_at = 0.0
        self._steady_since: float | None = None    # frame time the countdown started
        self._now = 0.0
        self.result: ScanResult | None = None
        #: why the steady page is not being counted down ("blurred", "glare", "too_small")
        self.problems: list[str] = []

    @property
    def seconds_left(self) -> float | None:
        """Seconds until the steady page is taken (0 once taken); None while nothing is
        counted down."""
        if self.result is not None:
            return 0.0
        if self._steady_since is None:
            return None
        return max(0.0, self.countdown - (self._now - self._steady_since))

    def feed(self, frame: np.ndarray, at: float) -> np.ndarray | None:
        """Look at the frame grabbed at `at` (monotonic seconds)."""
        self._now = at
        corners = find_page(frame, self.limits)
        if corners is None:
            self._anchor, self._steady_since, self.problems = None, None, []
            return None
        size = max(frame.shape[:2])
        if self._anchor is None or \
                float(np.abs(corners - self._anchor).max()) > self.max_shift * size:
            self._anchor, self._anchored_at = corners, at
            self._steady_since, self.problems = None, []
            return corners
        if self.result is not None or at <= self._anchored_at:
            return corners   # still means still for a while, not twice in one instant
        if self._steady_since is None or self.seconds_left == 0:
            # judged when it comes to rest and again when taken (it may have blurred since)
            scan = scan_page(frame, self.limits)
            self.problems = scan.readability.problems
            if not scan.readability.ok:
                self._steady_since = None
            elif self._steady_since is None:
                self._steady_since = at
            else:
                self.result = scan
        return corners

    def take(self, frame: np.ndarray) -> ScanResult:
        """The citizen's "take it now": the page as found, readable or not; the whole
        frame when no page is found."""
        try:
            self.result = scan_page(frame, self.limits)
        except InvalidData:
            height, width = frame.shape[:2]
            corners = np.float32([[0, 0], [width - 1, 0], [width - 1, height - 1],
                                  [0, height - 1]])
            self.result = ScanResult(np.array(frame), corners,
                                     readability(frame, width, self.limits))
        return self.result
