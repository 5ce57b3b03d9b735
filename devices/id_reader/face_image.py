"""Face image records inside DG2: ISO/IEC 19794-5:2005 and ISO/IEC 39794-5 (ICAO profile).

Both yield the embedded image bytes exactly as stored. The format comes from the image's
own signature (JPEG, JP2 or a raw J2K codestream), not from the record's declared type,
which issuers get wrong.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

from devices.id_reader import tlv
from devices.id_reader.errors import ParseError

_FAC_HEADER = b"FAC\x00"
_FACE_INFO_LEN = 20
_FEATURE_POINT_LEN = 8
_IMAGE_INFO_LEN = 12


@dataclass(frozen=True)
class FaceImage:
    data: bytes
    format: str  # "jpeg", "jp2" or "j2k"
    width: int = 0
    height: int = 0

    def __repr__(self) -> str:
        return f"FaceImage({self.format}, {len(self.data)} bytes)"


def image_format(data: bytes) -> str:
    if data.startswith(b"\xff\xd8"):
        return "jpeg"
    if data.startswith(b"\x00\x00\x00\x0cjP  \r\n\x87\n"):
        return "jp2"
    if data.startswith(b"\xff\x4f\xff\x51"):
        return "j2k"
    raise ParseError("the face image is neither JPEG nor JPEG 2000")


def decode_image(data: bytes) -> FaceImage:
    """Check the image really decodes (JPEG and JPEG 2000) and learn its size."""
    fmt = image_format(data)
    from PIL import Image  # imported here: parsing records needs no imaging library
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            return FaceImage(data, fmt, image.width, image.height)
    except Exception as error:  # Pillow raises many types for broken images
        raise ParseError(f"the {fmt} face image does not decode: {type(error).__name__}",
                         code="imageUndecodable") from None


def parse_iso19794_5(record: bytes) -> bytes:
    """The image of the first face in an ISO/IEC 19794-5:2005 facial record."""
    if not record.startswith(_FAC_HEADER):
        raise ParseError("a 19794-5 record starts with 'FAC\\0'")
    if len(record) < 14:
        raise ParseError("the 19794-5 general header is truncated")
    total = int.from_bytes(record[8:12], "big")
    faces = int.from_bytes(record[12:14], "big")
    if total > len(record) or total < 14:
        raise ParseError(f"the 19794-5 record claims {total} bytes but has {len(record)}")
    if faces < 1:
        raise ParseError("the 19794-5 record holds no face")
    offset = 14
    if offset + _FACE_INFO_LEN > total:
        raise ParseError("the 19794-5 facial information block is truncated")
    face_len = int.from_bytes(record[offset:offset + 4], "big")
    points = int.from_bytes(record[offset + 4:offset + 6], "big")
    image_start = offset + _FACE_INFO_LEN + points * _FEATURE_POINT_LEN + _IMAGE_INFO_LEN
    face_end = offset + face_len
    if face_end > total or image_start >= face_end:
        raise ParseError("the 19794-5 face record length does not fit its content")
    image = record[image_start:face_end]
    image_format(image)
    return bytes(image)


def parse_iso39794_5(record: bytes) -> bytes:
    """The image of the first 2D representation in an ISO/IEC 39794-5 record (DER).

    Path: [1] FaceImageData -> [APPLICATION 5] block -> [1] representations ->
    SEQUENCE representation -> [1] imageRepresentation -> [0] 2D -> [0] data -> [0] image.
    """
    element = tlv.expect(record, 0xA1, "a 39794-5 record")
    block = tlv.expect(element.value, 0x65, "a 39794-5 face image data block")
    representations = block.child(0xA1).children()
    if not representations:
        raise ParseError("the 39794-5 record holds no representation")
    first = representations[0]
    if first.tag != 0x30:
        raise ParseError("a 39794-5 representation must be a SEQUENCE")
    image = first.child(0xA1).child(0xA0).child(0xA0).child(0x80).value
    image_format(image)
    return image
