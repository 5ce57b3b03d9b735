"""Walking the live QML tree: what a citizen can touch, and whether it is big enough.

Used by the tests (every screen, both orientations, elder mode) and available to the
journeys' tests for their own screens.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from PySide6.QtQuick import QQuickItem

#: item classes a finger acts on
TOUCH_CLASSES = ("QQuickAbstractButton", "QQuickMouseArea", "QQuickTextInput",
                 "QQuickTextEdit", "QQuickFlickable")


@dataclass(frozen=True)
class TouchTarget:
    item: QQuickItem
    name: str
    width: float
    height: float
    keyboard_key: bool = False

    def describe(self) -> str:
        return f"{self.name} ({self.width:.0f} x {self.height:.0f} px)"


def visible_items(root: QQuickItem) -> Iterator[QQuickItem]:
    if not root.isVisible() or root.opacity() == 0:
        return
    yield root
    for child in root.childItems():
        yield from visible_items(child)


def _is_keyboard_key(item: QQuickItem) -> bool:
    # virtual keyboard keys (BaseKey) carry the Qt key code they send; filler keys are
    # blank spacers that do nothing when touched
    return (isinstance(item.property("key"), int) and item.property("functionKey") is not None
            and not item.metaObject().className().startswith("FillerKey"))


def _is_touch_target(item: QQuickItem) -> bool:
    if any(item.inherits(cls) for cls in TOUCH_CLASSES):
        return bool(item.isEnabled()) and not item.inherits("QQuickFlickable")
    return _is_keyboard_key(item)


def touch_targets(root: QQuickItem) -> list[TouchTarget]:
    targets = []
    for item in visible_items(root):
        if _is_touch_target(item):
            label = item.objectName() or str(item.property("text") or "") or \
                item.metaObject().className()
            targets.append(TouchTarget(item, label, item.width(), item.height(),
                                       _is_keyboard_key(item)))
    return targets


#: a QWERTY row is ten keys across the screen: on a 1080 px-wide portrait screen a key
#: can be at most 108 px wide, so elder mode's 120 px applies to key height only
KEY_ROW = 10


def too_small(root: QQuickItem, minimum: float) -> list[TouchTarget]:
    """Touch targets under `minimum` px in width or height (a half-pixel of layout slack).

    Keyboard keys must be `minimum` tall and as wide as a ten-key row allows (at least
    the normal 96 px)."""
    screen_width = root.width()
    small = []
    for target in touch_targets(root):
        min_width = minimum
        if target.keyboard_key:
            min_width = min(minimum, max(96.0, screen_width / KEY_ROW - 1))
        if target.width < min_width - 0.5 or target.height < minimum - 0.5:
            small.append(target)
    return small
