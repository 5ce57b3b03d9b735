"""The dlib side of face verification; runs inside the face child process.

Speed: the detector (HOG) runs on a frame scaled down to `detect_width`, without
upsampling; the box is scaled back and the landmarks and the single 128-d encoding
are computed on the full-resolution frame. Only when that fast pass finds no face
does the detector run the way stock face_recognition runs it (full frame, upsampled
once), so every face the stock pipeline finds is found here too: a small one is then
guided "come closer" instead of "no face". Encodings are made with the 5-point
alignment and `num_jitters=1`, exactly as face_recognition's defaults do, so the
distances compare with the stock pipeline's.
"""
from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np

from devices.face.guidance import Guidance
from devices.face.liveness import eye_aspect_ratio, pose_features
from devices.face.settings import FaceSettings
from devices.face.tracks import Landmarks

#: A document photo smaller than this (shorter side, px) is upsampled for detection.
SMALL_PHOTO = 320
#: Stills larger than this (longer side) are detected on a scaled-down copy.
STILL_DETECT_SIDE = 1024


@dataclass
class Observation:
    """One frame's result: guidance, box and landmarks, and the distance when matched."""
    guidance: Guidance
    faces: int
    box: tuple[int, int, int, int] | None = None   # left, top, right, bottom (frame pixels)
    landmarks: Landmarks | None = None
    distance: float | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)


@dataclass
class Enrolment:
    ok: bool
    guidance: Guidance
    faces: int
    timings_ms: dict[str, float] = field(default_factory=dict)


class Models:
    """dlib's detector, the 5- and 68-point predictors and the ResNet encoder, loaded once."""

    def __init__(self) -> None:
        import dlib
        import face_recognition_models as frm
        self.dlib = dlib
        self.detector = dlib.get_frontal_face_detector()
        self.sp5 = dlib.shape_predictor(frm.pose_predictor_five_point_model_location())
        self.sp68 = dlib.shape_predictor(frm.pose_predictor_model_location())
        self.encoder = dlib.face_recognition_model_v1(frm.face_recognition_model_location())


@functools.lru_cache(maxsize=1)
def load_models() -> Models:
    """The models, loaded once per process (about a second; 130 MB)."""
    return Models()


class _Timer:
    def __init__(self) -> None:
        self.ms: dict[str, float] = {}
        self._t = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.ms[name] = round((now - self._t) * 1000, 2)
        self._t = now


class FacePipeline:
    def __init__(self, settings: FaceSettings, models: Models | None = None) -> None:
        self.settings = settings
        self.models = models or load_models()
        self._reference: np.ndarray | None = None

    # --- detection, landmarks, encoding ---------------------------------------------

    def detect(self, rgb: np.ndarray, target_width: int, upsample: int = 0) -> list[Any]:
        """dlib rectangles in `rgb`'s coordinates, detected on a copy scaled to target_width
        and trimmed to the frame (as face_recognition trims them)."""
        scale = min(1.0, target_width / rgb.shape[1])
        small = rgb if scale == 1.0 else cv2.resize(
            rgb, (round(rgb.shape[1] * scale), round(rgb.shape[0] * scale)),
            interpolation=cv2.INTER_AREA)
        rects = self.models.detector(small, upsample)
        rect = self.models.dlib.rectangle
        height, width = rgb.shape[:2]
        return [rect(max(0, round(r.left() / scale)), max(0, round(r.top() / scale)),
                     min(width, round(r.right() / scale)), min(height, round(r.bottom() / scale)))
                for r in rects]

    def encode(self, rgb: np.ndarray, rect: Any) -> np.ndarray:
        shape = self.models.sp5(rgb, rect)
        return np.array(self.models.encoder.compute_face_descriptor(rgb, shape, 1))

    def landmarks(self, rgb: np.ndarray, rect: Any) -> Landmarks:
        shape = self.models.sp68(rgb, rect)
        points = [(float(p.x), float(p.y)) for p in shape.parts()]
        return Landmarks(tuple(points[36:42]), tuple(points[42:48]), points[30])

    # --- reference ----------------------------------------------------------------

    def enrol(self, image_bgr: np.ndarray) -> Enrolment:
        """Take the reference from a document or server photo; small chip photos are upsampled."""
        self._reference = None
        timer = _Timer()
        rgb = to_rgb(image_bgr)
        short = min(rgb.shape[:2])
        if short < SMALL_PHOTO:  # chip photos: enlarge so the 80 px HOG window fits the face
            factor = SMALL_PHOTO / short
            rgb = cv2.resize(rgb, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
        rects = self._detect_still(rgb)
        timer.lap("detect")
        if not rects:
            return Enrolment(False, Guidance.NO_FACE, 0, timer.ms)
        largest = max(rects, key=lambda r: r.width() * r.height())  # ghost images are smaller
        self._reference = self.encode(rgb, largest)
        timer.lap("encode")
        return Enrolment(True, Guidance.OK, len(rects), timer.ms)

    def _detect_still(self, rgb: np.ndarray) -> list[Any]:
        target = min(rgb.shape[1], round(rgb.shape[1] * STILL_DETECT_SIDE / max(rgb.shape[:2])))
        for upsample in (1, 2):
            rects = self.detect(rgb, target, upsample)
            if rects:
                return rects
        return []

    def encode_still(self, image_bgr: np.ndarray) -> tuple[np.ndarray | None, int]:
        """(encoding of the largest face, faces found) for a photo; used by `face evaluate`."""
        rgb = to_rgb(image_bgr)
        rects = self._detect_still(rgb)
        if not rects:
            return None, 0
        return self.encode(rgb, max(rects, key=lambda r: r.width() * r.height())), len(rects)

    def distance_to_reference(self, encoding: np.ndarray) -> float:
        if self._reference is None:
            raise ValueError("no reference enrolled")
        return float(np.linalg.norm(encoding - self._reference))

    def clear(self) -> None:
        if self._reference is not None:
            self._reference.fill(0)
        self._reference = None

    # --- live frames --------------------------------------------------------------

    def observe(self, image_bgr: np.ndarray, *, match: bool = False, framing: bool = True,
                match_any_quality: bool = False) -> Observation:
        """Quality gates for one frame (`framing`: distance and centring apply, as for a
        live camera); with `match` and a good frame (any single face with
        `match_any_quality`, for benchmarks and operator tools), the distance to the reference."""
        timer = _Timer()
        rgb = to_rgb(image_bgr)
        timer.lap("convert")
        if framing:
            rects = self.detect(rgb, self.settings.detect_width)
            if not rects:
                # faces too small for the fast pass (narrower than 80 px at detect_width) are
                # looked for as stock face_recognition does: full frame, upsampled once (down
                # to 40 px). A citizen standing back hears "come closer", not "no face", and a
                # frame in which stock finds a face never reads "no face" here. (When the fast
                # pass finds a face, a far smaller one behind it is not counted.)
                timer.lap("detect")
                rects = self.detect(rgb, rgb.shape[1], upsample=1)
                timer.lap("detect_full")
        else:
            rects = self._detect_still(rgb)
        if "detect" not in timer.ms:
            timer.lap("detect")
        if len(rects) != 1:
            guidance = Guidance.NO_FACE if not rects else Guidance.SEVERAL_FACES
            return Observation(guidance, len(rects), timings_ms=timer.ms)
        rect = rects[0]
        box = (rect.left(), rect.top(), rect.right(), rect.bottom())
        marks = self.landmarks(rgb, rect)
        timer.lap("landmarks")
        guidance = self.quality(image_bgr, box, marks, framing)
        timer.lap("quality")
        observation = Observation(guidance, 1, box, marks, timings_ms=timer.ms)
        if match and (guidance is Guidance.OK or match_any_quality) \
                and self._reference is not None:
            encoding = self.encode(rgb, rect)
            observation.distance = float(np.linalg.norm(encoding - self._reference))
            encoding.fill(0)
            timer.lap("encode")
        return observation

    def quality(self, image_bgr: np.ndarray, box: tuple[int, int, int, int], marks: Landmarks,
                framing: bool) -> Guidance:
        s = self.settings
        height, width = image_bgr.shape[:2]
        left, top, right, bottom = box
        face_width = (right - left) / width
        if framing:
            margin = 0.01 * width  # a face touching the border is partly outside the picture
            if left < margin or top < margin or right > width - margin or bottom > height - margin:
                return Guidance.OFF_CENTRE
            if face_width < s.min_face_width:
                return Guidance.TOO_FAR
            if face_width > s.max_face_width:
                return Guidance.TOO_CLOSE
            centre_x, centre_y = (left + right) / 2 / width, (top + bottom) / 2 / height
            if abs(centre_x - 0.5) > s.max_centre_offset \
                    or abs(centre_y - 0.5) > s.max_centre_offset:
                return Guidance.OFF_CENTRE
        crop = image_bgr[max(0, top):max(0, bottom), max(0, left):max(0, right)]
        if crop.size == 0:
            return Guidance.OFF_CENTRE
        grey = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
        brightness = float(grey.mean())
        if brightness < s.min_brightness:
            return Guidance.TOO_DARK
        if brightness > s.max_brightness or float((grey >= 250).mean()) > 0.25:
            return Guidance.TOO_BRIGHT
        if sharpness(grey) < s.min_sharpness:
            return Guidance.BLURRED
        ear = max(eye_aspect_ratio(marks.left_eye), eye_aspect_ratio(marks.right_eye))
        if ear < s.closed_eye_ratio:
            return Guidance.EYES_CLOSED
        if abs(pose_features(marks)[1]) > s.max_head_turn:
            return Guidance.HEAD_TURNED
        return Guidance.OK


def sharpness(grey: np.ndarray) -> float:
    """Variance of the Laplacian on the face scaled to 128 px wide (size-independent)."""
    scaled = cv2.resize(grey, (128, max(1, round(grey.shape[0] * 128 / grey.shape[1]))),
                        interpolation=cv2.INTER_AREA)
    return float(cv2.Laplacian(scaled, cv2.CV_64F).var())


def to_rgb(image_bgr: np.ndarray) -> np.ndarray:
    """dlib wants contiguous RGB; OpenCV gives BGR (a BGR encoding is off by ~0.3)."""
    if image_bgr.ndim == 2:
        return cv2.cvtColor(image_bgr, cv2.COLOR_GRAY2RGB)
    if image_bgr.shape[2] == 4:
        return cv2.cvtColor(image_bgr, cv2.COLOR_BGRA2RGB)
    return cv2.cvtColor(image_bgr, cv2.COLOR_BGR2RGB)
