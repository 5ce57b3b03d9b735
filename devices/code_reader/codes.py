"""What a scanned code means: appointment, pickup, mobile hand-over, or an MRZ key.

Formats printed by the district's systems (and accepted here):

- appointment: ``APPT-`` + 8-16 of ``A-Z0-9`` (booking confirmation SMS/QR)
- pickup: ``PICKUP-`` + 8 digits, or the 8 digits alone (the locker pickup code)
- hand-over: ``https://<host>/h/<token>`` or ``HANDOVER-<token>``, token 16-64 base64url
  characters (continue on the phone / come back to the kiosk)
- MRZ key: ``MRZ:`` + document number (9, ``<``-padded) + check digit + birth date
  YYMMDD + check digit + expiry YYMMDD + check digit (the BAC key, 24 characters), or a
  whole 2-line TD3 / 3-line TD1 MRZ; check digits are verified (weights 7, 3, 1)

Anything else raises `InvalidData` with a reason; nothing here logs the content.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from devices.model import InvalidData

MAX_CODE_LENGTH = 4096


class CodeKind(StrEnum):
    APPOINTMENT = "appointment"
    PICKUP = "pickup"
    HANDOVER = "handover"
    MRZ_KEY = "mrz_key"


@dataclass(frozen=True)
class ScannedCode:
    kind: CodeKind
    value: str                         # the normalised code (token, digits, BAC key)
    fields: dict[str, str] = field(default_factory=dict)
    symbology: str = ""                # QR_CODE, EAN_13... or "" from a scanner


_APPOINTMENT = re.compile(r"APPT-([A-Z0-9]{8,16})")
_PICKUP = re.compile(r"(?:PICKUP-)?(\d{8})")
_HANDOVER = re.compile(r"(?:https://[A-Za-z0-9.-]+(?::\d+)?/h/|HANDOVER-)([A-Za-z0-9_-]{16,64})")
_MRZ_KEY = re.compile(r"MRZ:([A-Z0-9<]{9})(\d)(\d{6})(\d)(\d{6})(\d)")


def mrz_check_digit(text: str) -> int:
    def value(char: str) -> int:
        if char.isdigit():
            return int(char)
        if "A" <= char <= "Z":
            return ord(char) - 55
        if char == "<":
            return 0
        raise InvalidData("invalid character in an MRZ field")
    return sum(value(c) * (7, 3, 1)[i % 3] for i, c in enumerate(text)) % 10


def _mrz_key(number: str, cd1: str, birth: str, cd2: str, expiry: str, cd3: str) -> ScannedCode:
    if not all(digit.isdigit() for digit in (cd1, cd2, cd3)):
        raise InvalidData("MRZ check digit is not a digit")
    if not (birth.isdigit() and expiry.isdigit()):
        raise InvalidData("MRZ date is not six digits")
    for part, digit in ((number, cd1), (birth, cd2), (expiry, cd3)):
        if mrz_check_digit(part) != int(digit):
            raise InvalidData("MRZ check digit does not match")
    key = f"{number}{cd1}{birth}{cd2}{expiry}{cd3}"
    return ScannedCode(CodeKind.MRZ_KEY, key, {"document_number": number.rstrip("<"),
                                               "birth_date": birth, "expiry_date": expiry})


def _from_mrz_lines(lines: list[str]) -> ScannedCode | None:
    if len(lines) == 2 and all(len(line) == 44 for line in lines):  # TD3 (passport)
        line = lines[1]
        return _mrz_key(line[0:9], line[9], line[13:19], line[19], line[21:27], line[27])
    if len(lines) == 3 and all(len(line) == 30 for line in lines):  # TD1 (ID card)
        first, second = lines[0], lines[1]
        return _mrz_key(first[5:14], first[14], second[0:6], second[6], second[8:14], second[14])
    return None


def parse_code(text: str, symbology: str = "") -> ScannedCode:
    """Parse the text of one scanned code; raise `InvalidData` when it is not ours."""
    if len(text) > MAX_CODE_LENGTH:
        raise InvalidData("scanned code is too long")
    stripped = text.strip()
    if (match := _APPOINTMENT.fullmatch(stripped)) is not None:
        return ScannedCode(CodeKind.APPOINTMENT, match[1], symbology=symbology)
    if (match := _PICKUP.fullmatch(stripped)) is not None:
        return ScannedCode(CodeKind.PICKUP, match[1], symbology=symbology)
    if (match := _HANDOVER.fullmatch(stripped)) is not None:
        return ScannedCode(CodeKind.HANDOVER, match[1], symbology=symbology)
    if (match := _MRZ_KEY.fullmatch(stripped)) is not None:
        code = _mrz_key(*match.groups())
        return ScannedCode(code.kind, code.value, code.fields, symbology)
    lines = [line.strip() for line in stripped.splitlines() if line.strip()]
    if lines and all(re.fullmatch(r"[A-Z0-9<]+", line) for line in lines):
        code = _from_mrz_lines(lines)
        if code is not None:
            return ScannedCode(code.kind, code.value, code.fields, symbology)
    raise InvalidData("the code is not an appointment, pickup, hand-over or MRZ code")


def decode_scanner_bytes(data: bytes) -> str:
    """A scanner's line (suffix stripped) as text; scanners here are set to UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidData("scanned bytes are not UTF-8") from None
