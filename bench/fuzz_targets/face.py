"""Face parsers of outside bytes: reference photos (document chip, district server)."""
from __future__ import annotations

import cv2
import numpy as np

from devices.camera.source import decode_image
from devices.model import InvalidData

TARGETS = {
    "face_reference_photo": (decode_image, (InvalidData,)),
}


def _photo(extension: str, **params: int) -> bytes:
    """A small face-sized image in a format documents and the district send."""
    gradient = np.linspace(0, 255, 96 * 80, dtype=np.uint8).reshape(96, 80)
    image = cv2.merge([gradient, gradient[::-1], np.full_like(gradient, 128)])
    flags = [flag for pair in params.items() for flag in (getattr(cv2, pair[0]), pair[1])]
    return cv2.imencode(extension, image, flags)[1].tobytes()


SEEDS = {
    "face_reference_photo": [_photo(".jpg", IMWRITE_JPEG_QUALITY=80),
                             _photo(".jpg", IMWRITE_JPEG_PROGRESSIVE=1), _photo(".png"),
                             _photo(".jp2")],
}
