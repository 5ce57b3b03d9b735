"""Layout blocks and their rendering to ESC/POS bytes for one paper profile.

Documents (documents.py) are templates that produce blocks; this module turns blocks
into bytes: attributes are sent only when they change, text is wrapped by display
columns (a hanzi or full-width mark takes two), QR codes go native (GS ( k) or as a
raster image (GS v 0) per the printer's capability, and every job ends in a partial cut.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Sequence, Union

import qrcode
from PIL import Image as PilImage

from devices.printer import escpos_commands as cmd
from devices.printer.escpos_commands import Align

#: 58 mm paper prints 384 dots (32 columns of font A), 80 mm prints 576 dots (48 columns).
PAPER_DOTS = {58: 384, 80: 576}
FONT_A_DOTS = 12


@dataclass(frozen=True)
class PaperProfile:
    width_mm: Literal[58, 80] = 80
    native_qr: bool = True
    qr_module: int = 6

    @property
    def dots(self) -> int:
        return PAPER_DOTS[self.width_mm]

    @property
    def columns(self) -> int:
        return self.dots // FONT_A_DOTS


@dataclass(frozen=True)
class Text:
    text: str
    align: Align = Align.LEFT
    bold: bool = False
    size: int = 1           # character magnification (width and height)


@dataclass(frozen=True)
class Rule:
    char: str = "-"


@dataclass(frozen=True)
class Field:
    label: str
    value: str
    separator: str = "："      # English documents pass ": "


@dataclass(frozen=True)
class Qr:
    data: str


@dataclass(frozen=True)
class Picture:
    image: PilImage.Image = field(compare=False)


@dataclass(frozen=True)
class Feed:
    lines: int = 1


Block = Union[Text, Rule, Field, Qr, Picture, Feed]


def display_width(value: str) -> int:
    """Columns in Chinese mode: every two-byte GB18030 character (hanzi, full-width and
    "ambiguous" marks such as “ ”) prints double width."""
    return sum(1 if ord(ch) < 0x80 else 2 for ch in value)


def wrap(value: str, columns: int) -> list[str]:
    """Split into lines of at most `columns` display columns: CJK wraps anywhere (it has no
    spaces); a Latin word that would be cut moves whole to the next line, the space it
    followed dropped."""
    lines, current = [], ""
    for ch in value:
        if display_width(current + ch) > columns and current:
            head, space, word = current.rpartition(" ")
            if ch == " ":
                lines.append(current)
                current = ""
                continue
            if space and head.strip() and word.isascii() and ch.isascii():
                lines.append(head)
                current = word
            else:
                lines.append(current)
                current = ""
        current += ch
    if current or not lines:
        lines.append(current)
    return lines


def bitmap_to_raster(image: PilImage.Image, max_dots: int) -> tuple[int, int, bytes]:
    """A picture as GS v 0 rows (1 = black), scaled down to fit and padded to whole bytes."""
    mono = image.convert("L")
    if mono.width > max_dots:
        height = max(1, round(mono.height * max_dots / mono.width))
        mono = mono.resize((max_dots, height))
    width_bytes = (mono.width + 7) // 8
    canvas = PilImage.new("L", (width_bytes * 8, mono.height), 255)
    canvas.paste(mono, (0, 0))
    bits = canvas.point(lambda v: 255 if v >= 128 else 0).convert("1")
    rows = bytes(b ^ 0xFF for b in bits.tobytes())  # PIL "1": 1 = white; ESC/POS: 1 = black
    return width_bytes, canvas.height, rows


def qr_bitmap(data: str, module: int) -> PilImage.Image:
    """The QR code (model 2, level M, 4-module quiet zone) as a picture, `module` dots a module."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4, box_size=1)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    image = PilImage.new("L", (size * module, size * module), 255)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                image.paste(0, (x * module, y * module, (x + 1) * module, (y + 1) * module))
    return image


class _Writer:
    def __init__(self, profile: PaperProfile) -> None:
        self.profile = profile
        self.out: list[bytes] = [cmd.initialize(), cmd.chinese_mode_on()]  # whole commands
        self.align, self.bold, self.size = Align.LEFT, False, 1

    def attributes(self, align: Align, bold: bool, size: int) -> None:
        if align != self.align:
            self.out.append(cmd.align(align))
            self.align = align
        if bold != self.bold:
            self.out.append(cmd.bold(bold))
            self.bold = bold
        if size != self.size:
            self.out.append(cmd.char_size(size, size))
            self.size = size

    def lines(self, value: str, align: Align = Align.LEFT, bold: bool = False,
              size: int = 1) -> None:
        self.attributes(align, bold, size)
        for line in wrap(value, self.profile.columns // size):
            self.out.append(cmd.text(line) + cmd.line_feed())

    def picture(self, image: PilImage.Image) -> None:
        self.attributes(Align.CENTER, self.bold, self.size)
        self.out.append(cmd.raster_image(*bitmap_to_raster(image, self.profile.dots)))

    def block(self, block: Block) -> None:
        if isinstance(block, Text):
            self.lines(block.text, block.align, block.bold, block.size)
        elif isinstance(block, Rule):
            self.lines(block.char * self.profile.columns)
        elif isinstance(block, Field):
            self.lines(f"{block.label}{block.separator}{block.value}")
        elif isinstance(block, Qr):
            if self.profile.native_qr:
                self.attributes(Align.CENTER, self.bold, self.size)
                self.out.append(cmd.qr_native(block.data, module_size=self.profile.qr_module))
            else:
                self.picture(qr_bitmap(block.data, self.profile.qr_module))
        elif isinstance(block, Picture):
            self.picture(block.image)
        elif isinstance(block, Feed):
            self.out.append(cmd.feed_lines(block.lines))
        else:  # pragma: no cover - the Block union is closed
            raise TypeError(f"not a layout block: {block!r}")


def render_commands(blocks: Sequence[Block], profile: PaperProfile) -> list[bytes]:
    """One print job as whole commands (a driver may only pause between them: a status
    request inside a two-byte character or an image would be printed as data)."""
    writer = _Writer(profile)
    for block in blocks:
        writer.block(block)
    writer.out.append(cmd.partial_cut())
    return writer.out


def render(blocks: Sequence[Block], profile: PaperProfile) -> bytes:
    """One print job: initialise, Chinese mode, the blocks, a partial cut."""
    return b"".join(render_commands(blocks, profile))
