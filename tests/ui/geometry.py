"""What a 70-year-old must be able to see and reach on the screen being shown, measured on
the live scene and on its rendered pixels.

`problems(shell)` returns plain-word findings for the current screen:
- the primary action and every touch target lie inside the window, not under the fixed
  bar, the status line or the keyboard (items inside a scrolling area count when the
  area itself is unobstructed: scrolling or paging brings them into view);
- the primary action is not in a scrolling area, sits bottom-centre just above the bar
  (or the keyboard), and no other control overlaps it;
- touch targets are at least 96 px;
- no text is elided, wider or taller than its box, or hidden outside the window / under
  the bar (unless inside a scrolling area);
- every text's contrast, measured from the rendered pixels, is at least 4.5:1 (7:1 in the
  high-contrast theme: `min_contrast`).
"""
from __future__ import annotations

from typing import Iterator

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage
from PySide6.QtQuick import QQuickItem

from ui.inspect import too_small, touch_targets, visible_items

MIN_TARGET = 96
MIN_CONTRAST = 4.5
MIN_CONTRAST_HIGH = 7.0     # WCAG 1.4.6, what the high-contrast theme promises
SLACK = 1.0   # px of layout rounding


def scene_rect(item: QQuickItem) -> QRectF:
    return item.mapRectToScene(QRectF(0, 0, item.width(), item.height()))


def keys_laid_out(shell) -> bool:
    """The keyboard is up with its layout's keys, each a touch target (while its layout
    loads it shows no keys at all, so "none too small" alone is no proof)."""
    shell.settle()
    keyboard = shell.find("keyboard")
    return keyboard is not None \
        and any(t.keyboard_key for t in touch_targets(keyboard)) \
        and not too_small(keyboard, shell.theme.touchTarget)


def _ancestors(item: QQuickItem) -> Iterator[QQuickItem]:
    parent = item.parentItem()
    while parent is not None:
        yield parent
        parent = parent.parentItem()


def scroller_of(item: QQuickItem) -> QQuickItem | None:
    """The scrolling area (Flickable, ListView...) the item moves in, if any."""
    return next((a for a in _ancestors(item) if a.inherits("QQuickFlickable")), None)


def _inside(inner: QRectF, outer: QRectF) -> bool:
    return (inner.left() >= outer.left() - SLACK and inner.top() >= outer.top() - SLACK
            and inner.right() <= outer.right() + SLACK
            and inner.bottom() <= outer.bottom() + SLACK)


def _overlaps(a: QRectF, b: QRectF) -> bool:
    overlap = a.intersected(b)
    return overlap.width() > SLACK and overlap.height() > SLACK


def _name(item: QQuickItem) -> str:
    text = item.property("text")
    label = item.objectName() or (str(text).replace("\n", " ")[:30] if text else "") or \
        item.metaObject().className()
    return repr(label)


def _image_array(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    width, height = image.width(), image.height()
    data = np.frombuffer(image.constBits(), dtype=np.uint8,
                         count=image.bytesPerLine() * height)
    # copied while the image is alive: the buffer goes with it
    return data.reshape(height, image.bytesPerLine() // 4, 4)[:, :width, :3].copy()  # B, G, R


def _luminance(bgr: np.ndarray) -> np.ndarray:
    c = bgr[..., ::-1].astype(np.float64) / 255.0
    c = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * c[..., 0] + 0.7152 * c[..., 1] + 0.0722 * c[..., 2]


def measured_contrast(pixels: np.ndarray) -> float:
    """Contrast between the region's background (its most common colour) and its ink (the
    colour, present in at least a few pixels, that differs most from it)."""
    flat = pixels.reshape(-1, 3).astype(np.uint32)
    keys, counts = np.unique((flat[:, 0] << 16) | (flat[:, 1] << 8) | flat[:, 2],
                             return_counts=True)
    colours = np.stack([(keys >> 16) & 255, (keys >> 8) & 255, keys & 255], axis=-1)
    background = _luminance(colours[np.argmax(counts)])
    ink = _luminance(colours[counts >= 3]) if (counts >= 3).any() else _luminance(colours)
    lighter = np.maximum(ink, background)
    darker = np.minimum(ink, background)
    return float(((lighter + 0.05) / (darker + 0.05)).max())


class Frame:
    """The window's fixed parts: where the screen may put things."""

    def __init__(self, shell) -> None:
        root = shell.root
        self.window = QRectF(0, 0, root.width(), root.height())
        self.screen = shell.root.findChild(QQuickItem, "screen")
        bar = shell.root.findChild(QQuickItem, "nav_bar")
        status = shell.root.findChild(QQuickItem, "status_bar")
        keyboard = shell.find("keyboard")
        self.keyboard = scene_rect(keyboard) if keyboard is not None else None
        self.bar = scene_rect(bar)
        self.obstacles = [self.bar, scene_rect(status)] + \
            ([self.keyboard] if self.keyboard is not None else [])
        self.floor = min(r.top() for r in [self.bar] + ([self.keyboard] if self.keyboard
                                                          else []))

    def hidden(self, rect: QRectF) -> str | None:
        if not _inside(rect, self.window):
            return "outside the window"
        if _overlaps(rect, self.bar):
            return "under the fixed bar"
        if self.keyboard is not None and _overlaps(rect, self.keyboard):
            return "under the keyboard"
        if any(_overlaps(rect, r) for r in self.obstacles):
            return "under the status line"
        return None


def _reach_problems(frame: Frame, item: QQuickItem, what: str) -> list[str]:
    scroller = scroller_of(item)
    if scroller is not None:  # scrolling or paging brings it into view
        where = frame.hidden(scene_rect(scroller))
        return [f"{what} {_name(item)}: its scrolling area is {where}"] if where else []
    where = frame.hidden(scene_rect(item))
    return [f"{what} {_name(item)} is {where}"] if where else []


def _primary_problems(frame: Frame, item: QQuickItem, gap: float) -> list[str]:
    if scroller_of(item) is not None:
        return [f"primary action {_name(item)} scrolls away with the content"]
    rect = scene_rect(item)
    out = []
    if abs(rect.center().x() - frame.window.center().x()) > 2:
        out.append(f"primary action {_name(item)} is not centred "
                   f"(centre at x={rect.center().x():.0f} of {frame.window.width():.0f})")
    above = frame.floor - rect.bottom()
    if not -SLACK <= above <= 2 * gap + SLACK:
        out.append(f"primary action {_name(item)} is not just above the bar "
                   f"({above:.0f} px above it)")
    return out


def _is_text(item: QQuickItem) -> bool:
    return item.inherits("QQuickText") and bool(str(item.property("text") or "").strip())


def _text_problems(frame: Frame, item: QQuickItem) -> list[str]:
    out = []
    if item.property("truncated"):
        out.append(f"text {_name(item)} is elided")
    content_w = float(item.property("contentWidth") or 0)
    content_h = float(item.property("contentHeight") or 0)
    if content_w > item.width() + SLACK:
        out.append(f"text {_name(item)} is wider than its box "
                   f"({content_w:.0f} > {item.width():.0f} px)")
    if content_h > item.height() + SLACK and item.height() > 0:
        out.append(f"text {_name(item)} is taller than its box "
                   f"({content_h:.0f} > {item.height():.0f} px)")
    return out


def _visible_part(frame: Frame, item: QQuickItem) -> QRectF:
    """The part of the item on the glass: inside the window and its clipping ancestors,
    and (for the screen's items) above the bar or the keyboard."""
    rect = scene_rect(item).intersected(frame.window)
    if frame.screen.isAncestorOf(item):
        rect = rect.intersected(QRectF(0, 0, frame.window.width(), frame.floor))
    for ancestor in _ancestors(item):
        if ancestor.clip():
            rect = rect.intersected(scene_rect(ancestor))
    return rect


def contrast_problems(frame: Frame, image: np.ndarray, item: QQuickItem,
                      minimum: float = MIN_CONTRAST) -> list[str]:
    rect = _visible_part(frame, item)
    whole = scene_rect(item)
    if rect.width() < 4 or rect.height() < whole.height() - SLACK:
        return []  # scrolled partly out of view: measured where it is shown whole
    top, left = int(rect.top()), int(rect.left())
    bottom = min(int(rect.bottom()), image.shape[0])
    right = min(int(rect.right()), image.shape[1])
    ratio = measured_contrast(image[top:bottom, left:right])
    if ratio < minimum:
        return [f"text {_name(item)} contrast {ratio:.1f}:1"]
    return []


def _render(shell) -> np.ndarray:
    """Lay out the scene as the next frame would, then render it (a grab polishes, and
    what the layout changes in answer is laid out by the second)."""
    shell.settle()
    return _image_array(shell.grab())


def typing_problems(shell, field: QQuickItem) -> list[str]:
    """With the keyboard up, the field being typed in is whole in view."""
    frame = Frame(shell)
    rect = scene_rect(field)
    shown = _visible_part(frame, field)
    where = frame.hidden(rect)
    if where:
        return [f"the field being typed in, {_name(field)}, is {where}"]
    if shown.height() < rect.height() - SLACK or shown.width() < rect.width() - SLACK:
        return [f"the field being typed in, {_name(field)}, is cut off "
                f"({shown.height():.0f} of {rect.height():.0f} px shown)"]
    return []


def problems(shell, *, gap: float, min_contrast: float = MIN_CONTRAST) -> list[str]:
    """Everything wrong with the screen as it is shown now (see the module docstring)."""
    image = _render(shell)
    frame = Frame(shell)
    found: list[str] = []
    screen = frame.screen
    targets = touch_targets(screen)
    for target in targets:
        found += _reach_problems(frame, target.item, "control")
        if target.item.property("primary") is True:
            found += _primary_problems(frame, target.item, gap)
            found += [f"control {_name(other.item)} overlaps the primary action"
                      for other in targets
                      if other.item is not target.item
                      and not other.item.isAncestorOf(target.item)
                      and not target.item.isAncestorOf(other.item)
                      and _overlaps(_visible_part(frame, other.item),
                                    scene_rect(target.item))]
    found += [f"touch target {t.describe()} is under {MIN_TARGET} px"
              for t in too_small(shell.view.contentItem(), MIN_TARGET)]
    keyboard = shell.find("keyboard")
    keyboard_items = set(visible_items(keyboard)) if keyboard is not None else set()
    on_screen = set(visible_items(screen))
    for item in visible_items(shell.view.contentItem()):
        if item in keyboard_items or not _is_text(item):
            continue
        found += _text_problems(frame, item)
        if item in on_screen and scroller_of(item) is None:
            where = frame.hidden(scene_rect(item))
            if where:
                found.append(f"text {_name(item)} is {where}")
        found += contrast_problems(frame, image, item, min_contrast)
    return found
