"""The face check guides: the oval stands out from the camera picture (>= 3:1), the picture
shows only inside it, the instruction sits at the oval, the ring fills while a good frame is
held, and with no face seen it asks the citizen to stand in front of the screen."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF

from devices.face.guidance import Guidance, text
from kiosk.journeys.ports import FaceGuidance
from tests.ui.journeys.walk_ui import to_face_check
from tests.ui.geometry import measured_contrast


def _face_check(kiosk, qtbot, picture):
    kiosk.start("apply")
    to_face_check(kiosk, kiosk.vm.services.catalogue.kiosk_items()[0])
    assert kiosk.screen == "apply.identify_face_check"
    kiosk.services.face.preview = lambda: picture
    with qtbot.waitSignal(kiosk.vm.previewChanged, timeout=2000):
        pass
    kiosk.shell.settle()


def _guide(kiosk, instruction, progress=0.0):
    words = (text(instruction, "zh_CN"), text(instruction, "en_US"))
    kiosk.services.face.on_guidance(FaceGuidance(instruction, progress, *words))
    kiosk.shell.settle()


def _pixel(image, item, x, y):
    point = item.mapToScene(QPointF(x, y)).toPoint()
    colour = image.pixelColor(point)
    return np.array([[[colour.blue(), colour.green(), colour.red()]]], np.uint8)


@pytest.mark.parametrize("level", [128, 220])   # a grey hall; a well-lit face or wall
def test_the_oval_stands_out_from_the_picture(kiosk, qtbot, level):
    _face_check(kiosk, qtbot, np.full((480, 640, 3), level, np.uint8))
    ring = kiosk.shell.find("face_ring")
    gap = kiosk.shell.theme.property("gap")
    image = kiosk.shell.grab()
    track = _pixel(image, ring, gap * 0.8, ring.height() / 2)      # the guide's left side
    inside = _pixel(image, ring, ring.width() / 2, ring.height() / 2)
    contrast = measured_contrast(np.concatenate([track, inside], axis=1))
    assert contrast >= 3, contrast


def test_the_picture_shows_only_inside_the_oval(kiosk, qtbot):
    _face_check(kiosk, qtbot, np.full((480, 640, 3), 128, np.uint8))
    ring = kiosk.shell.find("face_ring")
    red = np.zeros((480, 640, 3), np.uint8)
    red[:, :, 2] = 220
    kiosk.services.face.preview = lambda: red
    with qtbot.waitSignal(kiosk.vm.previewChanged, timeout=2000):
        pass
    kiosk.shell.settle()
    image = kiosk.shell.grab()
    leaks = [y for y in range(0, int(ring.height()), 4)
             for x in (ring.width() - 1, ring.width() - 2, ring.width() - 3, 0, 1, 2)
             if _pixel(image, ring, x, y)[0, 0, 2] > 180 and _pixel(image, ring, x, y)[0, 0, 1] < 100]
    assert leaks == []


def _box(item):
    """(left, top, right, bottom) in the window."""
    top_left = item.mapToScene(QPointF(0, 0))
    bottom_right = item.mapToScene(QPointF(item.width(), item.height()))
    return top_left.x(), top_left.y(), bottom_right.x(), bottom_right.y()


@pytest.mark.parametrize("orientation, elder, language", [
    ("portrait", False, "zh_CN"), ("landscape", True, "en_US")])
def test_the_instruction_sits_at_the_oval(make_kiosk, qtbot, orientation, elder, language):
    kiosk = make_kiosk(orientation=orientation)
    kiosk.shell.shell.setElderMode(elder)
    kiosk.shell.shell.setLanguage(language)
    _face_check(kiosk, qtbot, np.full((480, 640, 3), 128, np.uint8))
    _guide(kiosk, Guidance.TOO_FAR.value)
    gap = kiosk.shell.theme.property("gap")
    ring_left, ring_top, ring_right, ring_bottom = _box(kiosk.shell.find("face_ring"))
    left, top, right, bottom = _box(kiosk.shell.find("face_instruction"))
    if orientation == "portrait":     # right above the oval
        assert 0 <= ring_top - bottom <= 2 * gap
    else:                             # right beside it, within its height
        assert 0 <= left - ring_right <= 2 * gap
        assert ring_top <= top and bottom <= ring_bottom


def test_the_ring_fills_while_a_good_frame_is_held(kiosk, qtbot):
    _face_check(kiosk, qtbot, np.full((480, 640, 3), 128, np.uint8))
    ring = kiosk.shell.find("face_ring")
    gap = kiosk.shell.theme.property("gap")
    _guide(kiosk, Guidance.OK.value, progress=0.5)
    image = kiosk.shell.grab()
    right = _pixel(image, ring, ring.width() - gap, ring.height() / 2)   # filled half
    left = _pixel(image, ring, gap, ring.height() / 2)                   # still to fill
    assert right.mean() > 200 and left.mean() < 80


def test_no_face_seen_asks_to_stand_in_front_of_the_screen(kiosk, qtbot):
    _face_check(kiosk, qtbot, np.full((480, 640, 3), 128, np.uint8))
    _guide(kiosk, Guidance.NO_FACE.value)
    assert "站到屏幕正前方" in kiosk.shell.find("face_instruction").property("text")
    kiosk.shell.shell.setLanguage("en_US")
    kiosk.shell.settle()
    assert "stand in front of the screen" in kiosk.shell.find("face_instruction").property("text")
