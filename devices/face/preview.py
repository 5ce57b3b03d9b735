"""A technician's camera check: one frame, scaled for the screen, with every face dlib's
frontal detector finds boxed. It runs in the kiosk's process (the detector alone, no
models to load) and is never stored."""
from __future__ import annotations

import base64
from typing import Any

import cv2
import dlib

from devices.camera.frames import Frame
from devices.model import InvalidData


def face_preview(frame: Frame) -> dict[str, Any]:
    """A frame scaled for the screen with each face dlib's detector finds boxed."""
    image = frame.image
    scale = min(1.0, 480 / image.shape[1])
    small = cv2.resize(image, (round(image.shape[1] * scale), round(image.shape[0] * scale)))
    faces = dlib.get_frontal_face_detector()(cv2.cvtColor(small, cv2.COLOR_BGR2RGB), 0)
    boxes = [(f.left(), f.top(), f.right(), f.bottom()) for f in faces]
    for left, top, right, bottom in boxes:
        cv2.rectangle(small, (left, top), (right, bottom), (0, 200, 0), 3)
    ok, png = cv2.imencode(".png", small)
    if not ok:
        raise InvalidData("the camera frame could not be encoded as PNG", code="previewEncode")
    return {"faces": len(boxes), "boxes": "; ".join(",".join(map(str, b)) for b in boxes),
            "size": f"{frame.width}x{frame.height}",
            "image": "data:image/png;base64," + base64.b64encode(png.tobytes()).decode()}
