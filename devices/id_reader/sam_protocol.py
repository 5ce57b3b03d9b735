"""The second-generation resident-ID SAM reader protocol ("AA AA AA 96 69" frames, GA 467 style).

    command : AA AA AA 96 69 | LEN(2) | CMD PARA [DATA] | CHK      LEN = |CMD..DATA| + 1
    response: AA AA AA 96 69 | LEN(2) | SW1 SW2 SW3 [DATA] | CHK   LEN = 3 + |DATA| + 1
    CHK = XOR of LEN..last data byte

The PC never sees the card: the SAM authenticates it and hands over the decrypted text
(256 bytes UTF-16LE) and the WLT photo (1024 bytes).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from typing import Callable

from devices.id_reader.errors import (CardRemoved, NoCard, ParseError, VerificationFailed)
from devices.model import (DeviceHardwareError, DeviceOffline, ErrorClass, RequiredAction,
                           UserError)

PREAMBLE = b"\xAA\xAA\xAA\x96\x69"
MAX_FRAME_BODY = 4096  # the longest answer (text+photo+fingerprints) is ~2.3 KB


@dataclass(frozen=True)
class SamCommand:
    name: str
    cmd: int
    para: int


RESET = SamCommand("SAM reset", 0x10, 0xFF)
STATUS = SamCommand("SAM status", 0x11, 0xFF)
READ_SAM_ID = SamCommand("read SAM ID", 0x12, 0xFF)
FIND_CARD = SamCommand("find card", 0x20, 0x01)
SELECT_CARD = SamCommand("select card", 0x20, 0x02)
READ_TEXT_PHOTO = SamCommand("read text and photo", 0x30, 0x01)
READ_ADDED_ADDRESS = SamCommand("read added address", 0x30, 0x03)
READ_TEXT_PHOTO_FINGERPRINT = SamCommand("read text, photo and fingerprints", 0x30, 0x10)
SET_MAX_RF_BYTES = SamCommand("set max RF bytes", 0x61, 0xFF)
COMMANDS = (RESET, STATUS, READ_SAM_ID, FIND_CARD, SELECT_CARD, READ_TEXT_PHOTO,
            READ_ADDED_ADDRESS, READ_TEXT_PHOTO_FINGERPRINT, SET_MAX_RF_BYTES)

SW_OK = 0x90
SW_CARD_FOUND = 0x9F
SW_NO_CONTENT = 0x91
SW_UNKNOWN_COMMAND = 0x21

#: SW3 -> (meaning, error type); OK codes map to None
STATUS_CODES: dict[int, tuple[str, type[Exception] | None]] = {
    0x90: ("OK", None),
    0x9F: ("card found", None),
    0x91: ("no content for this item", None),
    0x10: ("the SAM received a frame with a wrong checksum", DeviceOffline),
    0x11: ("the SAM received a frame with a wrong length", DeviceOffline),
    0x21: ("the SAM does not know the command", DeviceHardwareError),
    0x23: ("operation not permitted", DeviceHardwareError),
    0x24: ("unknown SAM error", DeviceHardwareError),
    0x31: ("the card failed to authenticate the SAM", VerificationFailed),
    0x32: ("the SAM failed to authenticate the card", VerificationFailed),
    0x33: ("the card's data failed verification", VerificationFailed),
    0x40: ("unknown card type: this is no second-generation identity card", UserError),
    0x41: ("reading the card failed: keep the card still on the reader", CardRemoved),
    0x47: ("the SAM's random-number generator failed", DeviceHardwareError),
    0x60: ("the SAM failed its self-test", DeviceHardwareError),
    0x66: ("the SAM is not authorised", DeviceHardwareError),
    0x80: ("no card on the reader", NoCard),
    0x81: ("the card could not be selected: keep it still on the reader", CardRemoved),
}


class SamFrameError(ParseError):
    """A frame from the reader that is truncated, mis-framed or has a wrong checksum."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="samFrameError")


class SamStatusError(DeviceHardwareError):
    pass


def status_error(command: SamCommand, sw3: int):
    """The clear error for a failing status code (or None when the code means success)."""
    meaning, kind = STATUS_CODES.get(sw3, (f"undocumented status {sw3:02X}",
                                           DeviceHardwareError))
    if kind is None:
        return None
    message = f"{command.name}: {meaning} (SAM status {sw3:02X})"
    code = f"samStatus{sw3:02X}"
    if kind in (NoCard, CardRemoved):
        return kind(message)
    if kind is VerificationFailed:
        error = VerificationFailed(message, code=code)
        if sw3 == 0x32:
            error.error_class = ErrorClass.FRAUD  # the card may not be genuine
        return error
    if kind is UserError:
        return UserError(message, code=code)
    if kind is DeviceOffline:
        return DeviceOffline(message, code=code)
    return SamStatusError(message, code=code, action=RequiredAction.MAINTENANCE)


def checksum(body: bytes) -> int:
    return reduce(lambda a, b: a ^ b, body, 0)


def _frame(payload: bytes) -> bytes:
    body = (len(payload) + 1).to_bytes(2, "big") + payload
    return PREAMBLE + body + bytes([checksum(body)])


def encode_command(command: SamCommand, data: bytes = b"") -> bytes:
    return _frame(bytes([command.cmd, command.para]) + data)


def encode_response(sw3: int, data: bytes = b"", sw1: int = 0, sw2: int = 0) -> bytes:
    return _frame(bytes([sw1, sw2, sw3]) + data)


@dataclass(frozen=True)
class SamResponse:
    sw1: int
    sw2: int
    sw3: int
    data: bytes

    def __repr__(self) -> str:
        return f"SamResponse(sw3={self.sw3:02X}, {len(self.data)} data bytes)"


def _check_frame(frame: bytes) -> bytes:
    """The payload (after the length) of a whole frame, or a `SamFrameError`."""
    if not frame.startswith(PREAMBLE):
        raise SamFrameError("a SAM frame must start with AA AA AA 96 69")
    if len(frame) < len(PREAMBLE) + 3:
        raise SamFrameError(f"a SAM frame of {len(frame)} bytes is truncated")
    length = int.from_bytes(frame[5:7], "big")
    if length < 2 or length > MAX_FRAME_BODY:
        raise SamFrameError(f"a SAM frame length of {length} is impossible")
    if len(frame) < 7 + length:
        raise SamFrameError(f"a SAM frame is truncated: it declares {length} bytes after its "
                            f"length but has {len(frame) - 7}")
    if len(frame) > 7 + length:
        raise SamFrameError(f"a SAM frame declares {length} bytes after its length but has "
                            f"{len(frame) - 7 - length} more")
    if checksum(frame[5:-1]) != frame[-1]:
        raise SamFrameError("a SAM frame has a wrong checksum: the line corrupted it")
    return frame[7:-1]


def parse_response(frame: bytes) -> SamResponse:
    payload = _check_frame(frame)
    if len(payload) < 3:
        raise SamFrameError("a SAM response lacks its three status bytes")
    return SamResponse(payload[0], payload[1], payload[2], bytes(payload[3:]))


def parse_command(frame: bytes) -> tuple[int, int, bytes]:
    """(CMD, PARA, DATA) of a command frame (used by the SAM simulator)."""
    payload = _check_frame(frame)
    if len(payload) < 2:
        raise SamFrameError("a SAM command lacks CMD and PARA")
    return payload[0], payload[1], bytes(payload[2:])


def read_frame(read: Callable[[int], bytes], *, what: str = "the SAM reader") -> bytes:
    """Read one whole frame with `read(n)` (returns fewer bytes on timeout).

    Bytes before the preamble are skipped (line noise after power-up); a timeout inside
    the frame is a truncated frame, a timeout before it is silence (`DeviceOffline`)."""
    window = b""
    skipped = 0
    while window != PREAMBLE:
        byte = read(1)
        if not byte:
            if window or skipped:
                raise SamFrameError("the SAM answer broke off before its preamble ended")
            raise DeviceOffline(f"{what} did not answer")
        window = (window + byte)[-len(PREAMBLE):]
        skipped += 1
        if skipped > MAX_FRAME_BODY:
            raise SamFrameError("no SAM frame preamble in the reader's output")
    header = read(2)
    if len(header) < 2:
        raise SamFrameError("the SAM answer broke off in its length")
    length = int.from_bytes(header, "big")
    if length < 2 or length > MAX_FRAME_BODY:
        raise SamFrameError(f"a SAM frame length of {length} is impossible")
    body = b""
    while len(body) < length:
        chunk = read(length - len(body))
        if not chunk:
            raise SamFrameError(f"the SAM answer broke off after {len(body)} of {length} bytes")
        body += chunk
    return PREAMBLE + header + body


@dataclass(frozen=True)
class CardContent:
    text: bytes
    photo: bytes
    fingerprints: bytes = b""


def parse_card_content(data: bytes, *, fingerprints: bool = False) -> CardContent:
    """The data of READ TEXT+PHOTO (two length words) or with fingerprints (three)."""
    words = 3 if fingerprints else 2
    if len(data) < 2 * words:
        raise ParseError("the card content lacks its length words")
    lengths = [int.from_bytes(data[2 * i:2 * i + 2], "big") for i in range(words)]
    if 2 * words + sum(lengths) != len(data):
        raise ParseError(f"the card content declares {sum(lengths)} bytes but carries "
                         f"{len(data) - 2 * words}")
    parts, offset = [], 2 * words
    for length in lengths:
        parts.append(data[offset:offset + length])
        offset += length
    if len(parts[0]) != 256:
        raise ParseError(f"the card text must be 256 bytes, not {len(parts[0])}")
    return CardContent(*parts)
