"""Code-reader parsers of outside bytes: scanner lines and the code text they carry."""
from __future__ import annotations

from devices.code_reader.codes import decode_scanner_bytes, parse_code
from devices.model import InvalidData


def parse_scanner_line(data: bytes) -> object:
    return parse_code(decode_scanner_bytes(data))


TARGETS = {
    "code_reader_scanner_line": (parse_scanner_line, (InvalidData,)),
}
