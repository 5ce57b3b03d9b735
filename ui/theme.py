"""Sizes and colours every screen uses; they follow elder mode (大字版), high contrast
(高对比度) and orientation.

Numbers come from the screen guidance (docs UI.md): touch targets >= 96 px (120 px in
elder mode) with 16 px gaps, body text >= 28 px (40 px elder), titles >= 48 px,
contrast >= 4.5:1 (the standard palette is >= 7:1 for text on white); the high-contrast
palette (light on black, as WCAG 1.4.6 asks: >= 7:1 for every text) is checked at 7:1 on
the rendered screens by the geometry test.
"""
from __future__ import annotations

from PySide6.QtCore import Property, QObject, Signal

FONT_FAMILY = "Noto Sans CJK SC"  # Debian fonts-noto-cjk; covers every Chinese string we show

NORMAL = {"touchTarget": 96, "bodyPx": 30, "smallPx": 28, "titlePx": 52, "hugePx": 96,
          "gap": 16}
ELDER = {"touchTarget": 120, "bodyPx": 42, "smallPx": 40, "titlePx": 64, "hugePx": 120,
         "gap": 24}


# a calm government look: white ground, one accent for actions, one for warnings
STANDARD_COLOURS = {
    "background": "#ffffff", "surface": "#eef3f8",
    "text": "#1a1a1a",                  # 17:1 on white
    "mutedText": "#3d4650",             # 9.9:1 on white
    "accent": "#0b4f9c",                # 8.3:1 with white text
    "onAccent": "#ffffff",
    "warning": "#8a3b00",               # 7.6:1 on white
    "warningSurface": "#fff1e0",
    "disabled": "#5c6670",              # 5.9:1 on surface
    "paper": "#ffffff",                 # the signature pad: black ink on white in any theme
    "onPaper": "#3d4650",               # 9.9:1 on paper
}
# light on black, yellow for actions (every pair >= 7:1, most far above)
HIGH_CONTRAST_COLOURS = {
    "background": "#000000", "surface": "#141414",
    "text": "#ffffff",                  # 18:1 on surface
    "mutedText": "#e6e6e6",             # 14.8:1 on surface
    "accent": "#ffd60a",                # 14.9:1 with black text, 13:1 on surface
    "onAccent": "#000000",
    "warning": "#ffb347",               # 11.8:1 on black
    "warningSurface": "#2b1a00",        # warning on it 9.4:1
    "disabled": "#bdbdbd",              # 9.8:1 on surface
    "paper": "#ffffff",
    "onPaper": "#000000",               # 21:1 on paper
}


def _palette_colour(key: str, changed: Signal) -> Property:
    """A colour of the palette in use (standard or high contrast) as a QML property."""
    return Property(str, lambda self: self._colour(key), notify=changed)


class Theme(QObject):
    changed = Signal()

    def __init__(self, elder_mode: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._elder = elder_mode
        self._high_contrast = False

    def set_elder_mode(self, elder: bool) -> None:
        if elder != self._elder:
            self._elder = elder
            self.changed.emit()

    def set_high_contrast(self, on: bool) -> None:
        if on != self._high_contrast:
            self._high_contrast = on
            self.changed.emit()

    def _size(self, key: str) -> int:
        return (ELDER if self._elder else NORMAL)[key]

    def _colour(self, key: str) -> str:
        return (HIGH_CONTRAST_COLOURS if self._high_contrast else STANDARD_COLOURS)[key]

    touchTarget = Property(int, lambda self: self._size("touchTarget"), notify=changed)
    bodyPx = Property(int, lambda self: self._size("bodyPx"), notify=changed)
    smallPx = Property(int, lambda self: self._size("smallPx"), notify=changed)
    titlePx = Property(int, lambda self: self._size("titlePx"), notify=changed)
    hugePx = Property(int, lambda self: self._size("hugePx"), notify=changed)
    gap = Property(int, lambda self: self._size("gap"), notify=changed)
    fontFamily = Property(str, lambda self: FONT_FAMILY, constant=True)
    highContrast = Property(bool, lambda self: self._high_contrast, notify=changed)
    background = _palette_colour("background", changed)
    surface = _palette_colour("surface", changed)
    text = _palette_colour("text", changed)
    mutedText = _palette_colour("mutedText", changed)
    accent = _palette_colour("accent", changed)
    onAccent = _palette_colour("onAccent", changed)
    warning = _palette_colour("warning", changed)
    warningSurface = _palette_colour("warningSurface", changed)
    disabled = _palette_colour("disabled", changed)
    paper = _palette_colour("paper", changed)
    onPaper = _palette_colour("onPaper", changed)
