"""The ESC/POS commands we send, as bytes, with the command-table name of each.

Only this module spells command bytes for printing; the parser (escpos_parser.py)
reads the same table from the other side and the status reader (status.py) owns
DLE EOT. Chinese text is sent as GB18030 in the printer's Chinese mode (FS &), never
through python-escpos' code-page guessing, which prints full-width punctuation as '?'.
"""
from __future__ import annotations

from enum import IntEnum

ESC, GS, FS, DLE, EOT, LF = 0x1B, 0x1D, 0x1C, 0x10, 0x04, 0x0A


class Align(IntEnum):
    LEFT = 0
    CENTER = 1
    RIGHT = 2


class QrErrorCorrection(IntEnum):
    L = 48
    M = 49
    Q = 50
    H = 51


def initialize() -> bytes:
    """ESC @: clear the buffer and reset every mode."""
    return bytes([ESC, 0x40])


def chinese_mode_on() -> bytes:
    """FS &: two-byte (GB18030/GBK) character mode."""
    return bytes([FS, 0x26])


def chinese_mode_off() -> bytes:
    """FS .: back to one-byte code pages."""
    return bytes([FS, 0x2E])


def align(value: Align) -> bytes:
    """ESC a n: justification."""
    return bytes([ESC, 0x61, int(value)])


def bold(on: bool) -> bytes:
    """ESC E n: emphasized mode."""
    return bytes([ESC, 0x45, 1 if on else 0])


def char_size(width: int, height: int) -> bytes:
    """GS ! n: character magnification, width and height 1..8."""
    if not (1 <= width <= 8 and 1 <= height <= 8):
        raise ValueError("character magnification must be 1..8")
    return bytes([GS, 0x21, ((width - 1) << 4) | (height - 1)])


def text(value: str) -> bytes:
    """Text bytes for Chinese mode: GB18030 covers ASCII, hanzi and full-width punctuation."""
    return value.encode("gb18030")


def line_feed() -> bytes:
    return bytes([LF])


def feed_lines(count: int) -> bytes:
    """ESC d n: print the buffer and feed n lines."""
    if not 0 <= count <= 255:
        raise ValueError("feed count must be 0..255")
    return bytes([ESC, 0x64, count])


def partial_cut() -> bytes:
    """GS V 66 0: feed to the cutting position and cut leaving one point uncut."""
    return bytes([GS, 0x56, 0x42, 0x00])


def _qr_function(fn: int, payload: bytes) -> bytes:
    """GS ( k pL pH cn=49 fn ...: one QR code (model 2) function."""
    length = len(payload) + 2
    if length > 0xFFFF:
        raise ValueError("QR payload too long")
    return bytes([GS, 0x28, 0x6B, length & 0xFF, length >> 8, 0x31, fn]) + payload


def qr_native(data: str, *, module_size: int = 6,
              correction: QrErrorCorrection = QrErrorCorrection.M) -> bytes:
    """GS ( k fn 65 (model 2), 67 (module size), 69 (error correction), 80 (store), 81 (print)."""
    if not 1 <= module_size <= 16:
        raise ValueError("QR module size must be 1..16")
    content = data.encode("ascii")  # URLs and case numbers only: no printer guesses an encoding
    return (_qr_function(65, bytes([0x32, 0x00]))
            + _qr_function(67, bytes([module_size]))
            + _qr_function(69, bytes([int(correction)]))
            + _qr_function(80, b"\x30" + content)
            + _qr_function(81, b"\x30"))


def raster_image(width_bytes: int, height: int, rows: bytes) -> bytes:
    """GS v 0 m xL xH yL yH d1...dk: one raster bit image, 1 bit per dot, MSB left, 1 = black."""
    if width_bytes <= 0 or height <= 0 or len(rows) != width_bytes * height:
        raise ValueError("raster data does not match its size")
    if width_bytes > 0xFFFF or height > 0xFFFF:
        raise ValueError("raster image too large")
    return bytes([GS, 0x76, 0x30, 0x00, width_bytes & 0xFF, width_bytes >> 8,
                  height & 0xFF, height >> 8]) + rows


def status_request(n: int) -> bytes:
    """DLE EOT n: real-time status, n = 1 printer, 2 offline cause, 3 error cause, 4 paper."""
    if n not in (1, 2, 3, 4):
        raise ValueError("DLE EOT n must be 1..4")
    return bytes([DLE, EOT, n])
