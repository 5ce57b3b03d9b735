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

    def describe(self) -> str:
        return f"{self.name} ({self.width:.0f} x {self.height:.0f} px)"


def visible_items(root: QQuickItem) -> Iterator[QQuickItem]:
    if not root.isVisible() or root.opacity() == 0:
        return
    yield root
    for child in root.childItems():
        yield from visible_items(child)


def _is_touch_target(item: QQuickItem) -> bool:
    if any(item.inherits(cls) for cls in TOUCH_CLASSES):
        return bool(item.isEnabled()) and not item.inherits("QQuickFlickable")
    # virtual keyboard keys (BaseKey) carry the Qt key code they send
    return isinstance(item.property("key"), int) and item.property("functionKey") is not None


def touch_targets(root: QQuickItem) -> list[TouchTarget]:
    targets = []
    for item in visible_items(root):
        if _is_touch_target(item):
            label = item.objectName() or str(item.property("text") or "") or \
                item.metaObject().className()
            targets.append(TouchTarget(item, label, item.width(), item.height()))
    return targets


def too_small(root: QQuickItem, minimum: float) -> list[TouchTarget]:
    """Touch targets under `minimum` px in width or height (a half-pixel of layout slack)."""
    return [t for t in touch_targets(root) if min(t.width, t.height) < minimum - 0.5]
