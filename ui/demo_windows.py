"""Where the windowed demo puts its two windows: the kiosk, scaled to fit, and the
simulator control panel beside it, both inside the screen's available area.

The kiosk's layout is designed for 1080x1920 (or 1920x1080); a laptop screen is smaller.
The kiosk keeps that layout and is drawn scaled down (its root item scaled, so a tap lands
where the user sees the item), never reflowed into a window shape it was not designed for.
`true_size` keeps it 1:1, for a demo on a real kiosk screen.
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPoint, QSize, QSizeF
from PySide6.QtGui import QGuiApplication
from PySide6.QtQuick import QQuickItem, QQuickView

#: what a desktop's window manager adds around a window (title bar and borders); the
#: windows are placed by their frames, so each gets this much room on top of its content
DECORATION = QSize(16, 48)
#: space between the two windows
GAP = 8
#: the control panel's designed size, and the narrowest it is still usable at
PANEL_SIZE = QSize(760, 1000)
PANEL_MIN_WIDTH = 360


@dataclass(frozen=True)
class Rect:
    x: int
    y: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.x + self.width

    @property
    def bottom(self) -> int:
        return self.y + self.height

    def inside(self, area: "Rect") -> bool:
        return (area.x <= self.x and self.right <= area.right
                and area.y <= self.y and self.bottom <= area.bottom)

    def overlaps(self, other: "Rect") -> bool:
        return (self.x < other.right and other.x < self.right
                and self.y < other.bottom and other.y < self.bottom)


@dataclass(frozen=True)
class DemoLayout:
    """Frame rectangles (content plus `DECORATION`) and the kiosk's drawing scale."""
    kiosk: Rect
    panel: Rect
    scale: float

    def content(self, frame: Rect) -> QSize:
        return QSize(frame.width - DECORATION.width(), frame.height - DECORATION.height())


def side_by_side(available: Rect, kiosk_size: tuple[int, int], *,
                 true_size: bool = False) -> DemoLayout:
    """The kiosk (as large as fits, never enlarged) and the panel to its right, the pair
    centred horizontally at the top of `available`."""
    kiosk_w, kiosk_h = kiosk_size
    deco_w, deco_h = DECORATION.width(), DECORATION.height()
    if true_size:
        scale = 1.0
    else:
        room_w = available.width - GAP - (PANEL_MIN_WIDTH + deco_w) - deco_w
        room_h = available.height - deco_h
        scale = min(1.0, room_w / kiosk_w, room_h / kiosk_h)
    kiosk_frame_w = round(kiosk_w * scale) + deco_w
    kiosk_frame_h = round(kiosk_h * scale) + deco_h
    panel_w = max(PANEL_MIN_WIDTH, min(PANEL_SIZE.width(),
                                       available.width - kiosk_frame_w - GAP - deco_w))
    panel_h = min(PANEL_SIZE.height(), available.height - deco_h)
    pair_w = kiosk_frame_w + GAP + panel_w + deco_w
    x = available.x + max(0, (available.width - pair_w) // 2)
    kiosk = Rect(x, available.y, kiosk_frame_w, kiosk_frame_h)
    panel = Rect(kiosk.right + GAP, available.y, panel_w + deco_w, panel_h + deco_h)
    return DemoLayout(kiosk=kiosk, panel=panel, scale=scale)


def show_side_by_side(kiosk: QQuickView, panel: QQuickView, *, true_size: bool) -> DemoLayout:
    """Scale the kiosk's view to fit the primary screen beside the panel, place and show both."""
    screen = QGuiApplication.primaryScreen().availableGeometry()
    designed = kiosk.size()  # the orientation's size, which the shell gave its view
    layout = side_by_side(Rect(screen.x(), screen.y(), screen.width(), screen.height()),
                          (designed.width(), designed.height()), true_size=true_size)
    # the root keeps the designed size; the view no longer sizes it to the window
    root = kiosk.rootObject()
    root.setSize(QSizeF(designed))
    kiosk.setResizeMode(QQuickView.ResizeMode.SizeViewToRootObject)
    root.setTransformOrigin(QQuickItem.TransformOrigin.TopLeft)
    root.setScale(layout.scale)
    for view, frame in ((kiosk, layout.kiosk), (panel, layout.panel)):
        size = layout.content(frame)
        view.resize(size)
        if view is kiosk:  # a resized kiosk window would show its layout cut off
            view.setMinimumSize(size)
            view.setMaximumSize(size)
        view.setFramePosition(QPoint(frame.x, frame.y))
        view.show()
    return layout

