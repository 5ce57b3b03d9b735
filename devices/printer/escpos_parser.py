"""Our own ESC/POS parser: bytes a printer receives -> lines, QR codes, images, cuts.

It reads the subset of the command table the kiosk sends (and the status requests a
driver interleaves), decodes text as GB18030 in Chinese mode (FS &) and as CP437
outside it, and refuses anything else with `EscPosParseError`, so a test catches a
stray byte instead of printing it. It parses a stream incrementally (`feed`), which the
virtual printer needs to answer DLE EOT between commands, or a whole job (`parse`).
Rendering to text and PNG is for people checking what was printed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

from devices.printer.layout import PAPER_DOTS, qr_bitmap

ESC, GS, FS, DLE, LF, CR = 0x1B, 0x1D, 0x1C, 0x10, 0x0A, 0x0D
QR_FUNCTIONS = {65, 67, 69, 80, 81}


class EscPosParseError(ValueError):
    """The bytes are not ESC/POS this parser understands (or they end mid-command)."""


class _Incomplete(Exception):
    """More bytes are needed to finish the current command."""


@dataclass(frozen=True)
class Line:
    text: str
    align: int = 0
    bold: bool = False
    width: int = 1
    height: int = 1


@dataclass(frozen=True)
class QrCode:
    data: str
    module_size: int
    correction: int


@dataclass(frozen=True)
class RasterImage:
    width_bytes: int
    height: int
    rows: bytes = field(repr=False)
    align: int = 0


@dataclass(frozen=True)
class Cut:
    partial: bool


@dataclass(frozen=True)
class FeedLines:
    lines: int


@dataclass(frozen=True)
class Initialize:
    pass


Element = Union[Line, QrCode, RasterImage, Cut, FeedLines, Initialize]


@dataclass
class _Mode:
    chinese: bool = False
    align: int = 0
    bold: bool = False
    width: int = 1
    height: int = 1


def _need(data: bytes | bytearray, pos: int, count: int) -> None:
    if pos + count > len(data):
        raise _Incomplete


def _gb18030_char_length(data: bytes | bytearray, pos: int) -> int:
    first = data[pos]
    if first < 0x80:
        return 1
    if first == 0x80 or first == 0xFF:
        raise EscPosParseError(f"byte 0x{first:02X} at {pos} cannot start a GB18030 character")
    _need(data, pos, 2)
    second = data[pos + 1]
    if 0x30 <= second <= 0x39:
        _need(data, pos, 4)
        return 4
    if 0x40 <= second <= 0xFE and second != 0x7F:
        return 2
    raise EscPosParseError(f"byte 0x{second:02X} at {pos + 1} is not a GB18030 trail byte")


class EscPosParser:
    """Incremental: `feed()` returns the DLE EOT n requests met, in order."""

    def __init__(self) -> None:
        self.elements: list[Element] = []
        self._buffer = bytearray()
        self._mode = _Mode()
        self._line = ""
        self._line_mode: _Mode | None = None
        self._qr_store: tuple[str, int, int] = ("", 3, 48)  # data, module size, correction
        self.consumed = 0

    # --- stream ------------------------------------------------------------------

    def feed(self, data: bytes) -> list[int]:
        self._buffer += data
        requests: list[int] = []
        pos = 0
        try:
            while pos < len(self._buffer):
                pos = self._step(self._buffer, pos, requests)
        except _Incomplete:
            pass
        del self._buffer[:pos]
        self.consumed += pos
        return requests

    def finish(self) -> list[Element]:
        """End of the stream: anything left over is a truncated command."""
        if self._buffer:
            start = bytes(self._buffer[:8]).hex(" ")
            raise EscPosParseError(f"stream ends inside a command: {start}")
        self._flush_line()
        return self.elements

    # --- one command ---------------------------------------------------------------

    def _step(self, data: bytearray, pos: int, requests: list[int]) -> int:
        byte = data[pos]
        if byte == LF:
            self._end_line()
            return pos + 1
        if byte == CR:
            return pos + 1
        if byte == ESC:
            return self._esc(data, pos)
        if byte == GS:
            return self._gs(data, pos)
        if byte == FS:
            _need(data, pos, 2)
            if data[pos + 1] == 0x26:
                self._mode.chinese = True
            elif data[pos + 1] == 0x2E:
                self._mode.chinese = False
            else:
                raise EscPosParseError(f"unsupported command FS 0x{data[pos + 1]:02X} at {pos}")
            return pos + 2
        if byte == DLE:
            _need(data, pos, 3)
            if data[pos + 1] != 0x04 or data[pos + 2] not in (1, 2, 3, 4):
                raise EscPosParseError(f"unsupported real-time command DLE "
                                       f"{bytes(data[pos + 1:pos + 3]).hex(' ')} at {pos}")
            requests.append(data[pos + 2])
            return pos + 3
        if byte < 0x20 or byte == 0x7F:
            raise EscPosParseError(f"unexpected control byte 0x{byte:02X} at {pos}")
        return self._text(data, pos)

    def _text(self, data: bytearray, pos: int) -> int:
        if self._line_mode is None:
            self._line_mode = _Mode(**self._mode.__dict__)
        if not self._mode.chinese:
            self._line += bytes([data[pos]]).decode("cp437")
            return pos + 1
        length = _gb18030_char_length(data, pos)
        try:
            self._line += bytes(data[pos:pos + length]).decode("gb18030")
        except UnicodeDecodeError:
            raise EscPosParseError(f"invalid GB18030 sequence at {pos}") from None
        return pos + length

    def _esc(self, data: bytearray, pos: int) -> int:
        _need(data, pos, 2)
        op = data[pos + 1]
        if op == 0x40:                      # ESC @
            self._flush_line()
            self._mode = _Mode()
            self.elements.append(Initialize())
            return pos + 2
        _need(data, pos, 3)
        arg = data[pos + 2]
        if op == 0x61:                      # ESC a n
            if arg not in (0, 1, 2, 48, 49, 50):
                raise EscPosParseError(f"ESC a {arg} is not a justification")
            self._mode.align = arg % 48
        elif op == 0x45:                    # ESC E n
            self._mode.bold = bool(arg & 1)
        elif op == 0x64:                    # ESC d n
            self._flush_line()
            self.elements.append(FeedLines(arg))
        else:
            raise EscPosParseError(f"unsupported command ESC 0x{op:02X} at {pos}")
        return pos + 3

    def _gs(self, data: bytearray, pos: int) -> int:
        _need(data, pos, 2)
        op = data[pos + 1]
        if op == 0x21:                      # GS ! n
            _need(data, pos, 3)
            self._mode.width = (data[pos + 2] >> 4) + 1
            self._mode.height = (data[pos + 2] & 0x0F) + 1
            if self._mode.width > 8 or self._mode.height > 8:
                raise EscPosParseError(f"GS ! 0x{data[pos + 2]:02X} is out of range")
            return pos + 3
        if op == 0x56:                      # GS V m [n]
            _need(data, pos, 3)
            m = data[pos + 2]
            if m in (0, 1, 48, 49):
                end = pos + 3
            elif m in (65, 66):
                _need(data, pos, 4)
                end = pos + 4
            else:
                raise EscPosParseError(f"GS V {m} is not a cut mode")
            self._flush_line()
            self.elements.append(Cut(partial=m in (1, 49, 66)))
            return end
        if op == 0x76:                      # GS v 0 m xL xH yL yH d...
            _need(data, pos, 8)
            if data[pos + 2] != 0x30 or data[pos + 3] not in (0, 1, 2, 3, 48, 49, 50, 51):
                raise EscPosParseError(f"unsupported raster command at {pos}")
            width = data[pos + 4] | data[pos + 5] << 8
            height = data[pos + 6] | data[pos + 7] << 8
            if width == 0 or height == 0:
                raise EscPosParseError("raster image with zero size")
            _need(data, pos, 8 + width * height)
            self._flush_line()
            rows = bytes(data[pos + 8:pos + 8 + width * height])
            self.elements.append(RasterImage(width, height, rows, self._mode.align))
            return pos + 8 + width * height
        if op == 0x28:                      # GS ( k pL pH cn fn ...
            return self._qr(data, pos)
        raise EscPosParseError(f"unsupported command GS 0x{op:02X} at {pos}")

    def _qr(self, data: bytearray, pos: int) -> int:
        _need(data, pos, 7)
        if data[pos + 2] != 0x6B:
            raise EscPosParseError(f"unsupported command GS ( 0x{data[pos + 2]:02X} at {pos}")
        length = data[pos + 3] | data[pos + 4] << 8
        if length < 2:
            raise EscPosParseError("GS ( k with a parameter length below 2")
        _need(data, pos, 5 + length)
        cn, fn = data[pos + 5], data[pos + 6]
        params = bytes(data[pos + 7:pos + 5 + length])
        if cn != 0x31 or fn not in QR_FUNCTIONS:
            raise EscPosParseError(f"unsupported 2D code function cn={cn} fn={fn}")
        stored, module, correction = self._qr_store
        if fn == 67 and len(params) == 1:
            module = params[0]
        elif fn == 69 and len(params) == 1:
            correction = params[0]
        elif fn == 80 and params[:1] == b"\x30":
            try:
                stored = params[1:].decode("ascii")
            except UnicodeDecodeError:
                raise EscPosParseError("QR data is not ASCII") from None
        elif fn == 81 and params == b"\x30":
            self._flush_line()
            self.elements.append(QrCode(stored, module, correction))
        elif fn != 65:
            raise EscPosParseError(f"malformed QR function {fn} parameters")
        self._qr_store = (stored, module, correction)
        return pos + 5 + length

    # --- lines ---------------------------------------------------------------------

    def _end_line(self) -> None:
        mode = self._line_mode or self._mode
        self.elements.append(Line(self._line, mode.align, mode.bold, mode.width, mode.height))
        self._line, self._line_mode = "", None

    def _flush_line(self) -> None:
        if self._line:
            self._end_line()


def parse(data: bytes) -> list[Element]:
    """Parse one complete job; a truncated or unknown command raises `EscPosParseError`."""
    parser = EscPosParser()
    requests = parser.feed(data)
    if requests:
        raise EscPosParseError("a print job must not contain status requests")
    return parser.finish()


# --- rendering for people -------------------------------------------------------------

def to_text(elements: list[Element]) -> str:
    out: list[str] = []
    for element in elements:
        if isinstance(element, Line):
            out.append(element.text)
        elif isinstance(element, QrCode):
            out.append(f"[QR {element.data}]")
        elif isinstance(element, RasterImage):
            out.append(f"[image {element.width_bytes * 8}x{element.height}]")
        elif isinstance(element, Cut):
            out.append("[partial cut]" if element.partial else "[full cut]")
        elif isinstance(element, FeedLines):
            out.extend([""] * element.lines)
    return "\n".join(out) + "\n"


FONT_CANDIDATES = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                   "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")


def to_png(elements: list[Element], path: Path | str, width_mm: int = 80) -> Path:
    """Draw the paper roll: text in a CJK font, QR codes and raster images at printer dots."""
    from PIL import Image, ImageDraw, ImageFont

    dots = PAPER_DOTS.get(width_mm, 576)
    font_path = next((p for p in FONT_CANDIDATES if Path(p).exists()), None)

    def font(size: int):
        return ImageFont.truetype(font_path, size) if font_path else ImageFont.load_default()

    pieces: list[Image.Image] = []
    for element in elements:
        if isinstance(element, Line):
            size = 24 * element.height
            piece = Image.new("L", (dots, size + 6), 255)
            draw = ImageDraw.Draw(piece)
            face = font(size)
            text_width = draw.textlength(element.text, font=face)
            x = {0: 0, 1: (dots - text_width) / 2, 2: dots - text_width}[element.align]
            draw.text((max(0, x), 0), element.text, font=face, fill=0)
            pieces.append(piece)
        elif isinstance(element, (QrCode, RasterImage)):
            if isinstance(element, QrCode):
                picture = qr_bitmap(element.data, max(1, element.module_size))
            else:
                picture = Image.frombytes("1", (element.width_bytes * 8, element.height),
                                          bytes(b ^ 0xFF for b in element.rows)).convert("L")
            piece = Image.new("L", (dots, picture.height), 255)
            piece.paste(picture.crop((0, 0, min(dots, picture.width), picture.height)),
                        ((dots - min(dots, picture.width)) // 2, 0))
            pieces.append(piece)
        elif isinstance(element, FeedLines):
            pieces.append(Image.new("L", (dots, 30 * element.lines), 255))
        elif isinstance(element, Cut):
            piece = Image.new("L", (dots, 12), 255)
            ImageDraw.Draw(piece).line([(0, 6), (dots, 6)], fill=128)
            pieces.append(piece)
    roll = Image.new("L", (dots, max(1, sum(p.height for p in pieces))), 255)
    y = 0
    for piece in pieces:
        roll.paste(piece, (0, y))
        y += piece.height
    target = Path(path)
    roll.save(target, "PNG")
    return target
