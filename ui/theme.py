"""Sizes and colours every screen uses; they follow elder mode (大字版) and orientation.

Numbers come from the screen guidance (docs UI.md): touch targets >= 96 px (120 px in
elder mode) with 16 px gaps, body text >= 28 px (40 px elder), titles >= 48 px,
contrast >= 4.5:1 (the palette below is >= 7:1 for text).
"""
from __future__ import annotations

from PySide6.QtCore import Property, QObject, Signal

FONT_FAMILY = "Noto Sans CJK SC"  # Debian fonts-noto-cjk; covers every Chinese string we show

NORMAL = {"touchTarget": 96, "bodyPx": 30, "smallPx": 28, "titlePx": 52, "hugePx": 96,
          "gap": 16}
ELDER = {"touchTarget": 120, "bodyPx": 42, "smallPx": 40, "titlePx": 64, "hugePx": 120,
         "gap": 24}


class Theme(QObject):
    changed = Signal()

    def __init__(self, elder_mode: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._elder = elder_mode

    def set_elder_mode(self, elder: bool) -> None:
        if elder != self._elder:
            self._elder = elder
            self.changed.emit()

    def _size(self, key: str) -> int:
        return (ELDER if self._elder else NORMAL)[key]

    touchTarget = Property(int, lambda self: self._size("touchTarget"), notify=changed)
    bodyPx = Property(int, lambda self: self._size("bodyPx"), notify=changed)
    smallPx = Property(int, lambda self: self._size("smallPx"), notify=changed)
    titlePx = Property(int, lambda self: self._size("titlePx"), notify=changed)
    hugePx = Property(int, lambda self: self._size("hugePx"), notify=changed)
    gap = Property(int, lambda self: self._size("gap"), notify=changed)
    fontFamily = Property(str, lambda self: FONT_FAMILY, constant=True)
    # a calm government look: white ground, one accent for actions, one for warnings
    background = Property(str, lambda self: "#ffffff", constant=True)
    surface = Property(str, lambda self: "#eef3f8", constant=True)
    text = Property(str, lambda self: "#1a1a1a", constant=True)          # 17:1 on white
    mutedText = Property(str, lambda self: "#3d4650", constant=True)     # 9.9:1 on white
    accent = Property(str, lambda self: "#0b4f9c", constant=True)        # 8.3:1 with white text
    onAccent = Property(str, lambda self: "#ffffff", constant=True)
    warning = Property(str, lambda self: "#8a3b00", constant=True)       # 7.6:1 on white
    warningSurface = Property(str, lambda self: "#fff1e0", constant=True)
    disabled = Property(str, lambda self: "#5c6670", constant=True)      # 5.9:1 on surface
