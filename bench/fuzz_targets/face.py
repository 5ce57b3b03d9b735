"""Face parsers of outside bytes: reference photos (document chip, district server)."""
from __future__ import annotations

from devices.camera.source import decode_image
from devices.model import InvalidData

TARGETS = {
    "face_reference_photo": (decode_image, (InvalidData,)),
}
