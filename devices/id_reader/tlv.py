"""BER-TLV as ICAO LDS and ISO 7816-4 use it (multi-byte tags, definite lengths only)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from devices.id_reader.errors import ParseError


@dataclass(frozen=True)
class Tlv:
    tag: int
    value: bytes
    #: offsets of the tag and just past the value in the buffer it was read from
    start: int
    end: int

    @property
    def constructed(self) -> bool:
        first = self.tag
        while first > 0xFF:
            first >>= 8
        return bool(first & 0x20)

    def children(self) -> list["Tlv"]:
        return parse_all(self.value)

    def child(self, tag: int) -> "Tlv":
        for element in self.children():
            if element.tag == tag:
                return element
        raise ParseError(f"tag {self.tag:X} has no element {tag:X}")


def read_tag(data: bytes, offset: int) -> tuple[int, int]:
    if offset >= len(data):
        raise ParseError(f"TLV ends where a tag should start (offset {offset})")
    tag = data[offset]
    offset += 1
    if tag & 0x1F == 0x1F:
        for _ in range(3):
            if offset >= len(data):
                raise ParseError("TLV ends inside a multi-byte tag")
            byte = data[offset]
            offset += 1
            tag = (tag << 8) | byte
            if not byte & 0x80:
                return tag, offset
        raise ParseError("TLV tag longer than 4 bytes")
    return tag, offset


def read_length(data: bytes, offset: int) -> tuple[int, int]:
    if offset >= len(data):
        raise ParseError("TLV ends where a length should start")
    first = data[offset]
    offset += 1
    if first < 0x80:
        return first, offset
    count = first & 0x7F
    if count == 0:
        raise ParseError("indefinite TLV length is not allowed here")
    if count > 4:
        raise ParseError(f"TLV length field of {count} bytes is too long")
    if offset + count > len(data):
        raise ParseError("TLV ends inside a length field")
    return int.from_bytes(data[offset:offset + count], "big"), offset + count


def read_header(data: bytes, offset: int = 0) -> tuple[int, int, int]:
    """(tag, length, offset of the value): enough to learn a file's size from its first bytes."""
    tag, offset = read_tag(data, offset)
    length, offset = read_length(data, offset)
    return tag, length, offset


def parse_one(data: bytes, offset: int = 0) -> Tlv:
    tag, length, start = read_header(data, offset)
    end = start + length
    if end > len(data):
        raise ParseError(f"TLV {tag:X} claims {length} bytes but only {len(data) - start} follow")
    return Tlv(tag, bytes(data[start:end]), offset, end)


def iterate(data: bytes) -> Iterator[Tlv]:
    offset = 0
    while offset < len(data):
        element = parse_one(data, offset)
        yield element
        offset = element.end


def parse_all(data: bytes) -> list[Tlv]:
    return list(iterate(data))


def expect(data: bytes, tag: int, what: str) -> Tlv:
    """The single element `data` must be, with tag `tag` (trailing bytes are an error)."""
    element = parse_one(data)
    if element.tag != tag:
        raise ParseError(f"{what} must start with tag {tag:X}, found {element.tag:X}")
    if element.end != len(data):
        raise ParseError(f"{what} has {len(data) - element.end} stray bytes after its end")
    return element


def encode_length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    body = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def encode(tag: int, value: bytes) -> bytes:
    tag_bytes = tag.to_bytes(max(1, (tag.bit_length() + 7) // 8), "big")
    return tag_bytes + encode_length(len(value)) + value
