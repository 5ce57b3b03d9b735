"""The scan screen guides: it names the material, draws the page's edges the document
camera found over its live picture, counts down the automatic picture (or says what keeps
it from being taken), and takes the picture at once on a tap."""
from __future__ import annotations

import numpy as np
import pytest
import yaml
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor

from kiosk.journeys.ports import FaceOutcome, ScanView
from tests.kiosk.journeys.fakes import scanned
from tests.ui import geometry
from tests.ui.conftest import tap
from tests.ui.journeys.walk_ui import fill_the_form, to_face_check

PAGE = ((0.2, 0.2), (0.8, 0.2), (0.8, 0.8), (0.2, 0.8))


def _scanning(make_kiosk, qtbot, orientation=None):
    from kiosk.catalogue import catalogue_from_mapping
    from tests.kiosk.journeys.conftest import FIXTURE
    catalogue = catalogue_from_mapping(yaml.safe_load(FIXTURE.read_text(encoding="utf-8")))
    kiosk = make_kiosk(catalogue, orientation=orientation)
    kiosk.start("apply")
    to_face_check(kiosk, catalogue.item("T-QZDJ-002"))
    kiosk.services.face.last.set_result(FaceOutcome(True, True))
    fill_the_form(kiosk, qtbot)
    kiosk.services.scanner.preview = lambda: np.full((480, 640, 3), 40, np.uint8)
    with qtbot.waitSignal(kiosk.vm.previewChanged, timeout=5000):
        kiosk.act("start_scan", "vaccine")
    assert kiosk.screen == "apply.scan"
    return kiosk


def _seen(kiosk, qtbot, view):
    with qtbot.waitSignal(kiosk.vm.dataChanged, timeout=5000):
        kiosk.services.scanner.on_view(view)
    kiosk.shell.settle()


def _text(kiosk, name):
    return kiosk.shell.find(name).property("text")


def test_the_page_edges_and_the_countdown_show_and_a_tap_takes_the_picture(make_kiosk, qtbot):
    kiosk = _scanning(make_kiosk, qtbot)
    assert "狂犬病免疫证明" in _text(kiosk, "scan_material")
    _seen(kiosk, qtbot, ScanView(PAGE, (), 3))
    assert "3 秒后自动拍摄" in _text(kiosk, "scan_status")
    picture = kiosk.shell.find("scan_preview")
    painted_w, painted_h = picture.property("paintedWidth"), picture.property("paintedHeight")
    left = (picture.width() - painted_w) / 2
    top = (picture.height() - painted_h) / 2
    image = kiosk.shell.grab()

    def colour(x, y):
        return image.pixelColor(picture.mapToScene(QPointF(left + x * painted_w,
                                                           top + y * painted_h)).toPoint())
    edge, inside = colour(0.5, 0.2), colour(0.5, 0.5)      # the top edge; the dark desk
    assert edge.name() == QColor(kiosk.shell.theme.property("accent")).name()
    assert inside.blue() < 60

    assert _text(kiosk, "scan_take_now") == "现在拍摄"
    _seen(kiosk, qtbot, ScanView(PAGE, ("glare",), None))
    kiosk.shell.shell.setLanguage("en_US")
    kiosk.shell.settle()
    assert "Glare" in _text(kiosk, "scan_status")
    # the translation file's words, the same as the materials screen's button to this screen
    assert _text(kiosk, "scan_take_now") == "Scan now"
    tap(qtbot, kiosk.shell, "scan_take_now")
    assert kiosk.services.scanner.taken_now == 1
    kiosk.services.scanner.last.set_result(scanned())
    qtbot.waitUntil(lambda: kiosk.screen == "apply.materials", timeout=5000)


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_the_longest_words_fit_in_large_english(make_kiosk, qtbot, orientation):
    """test_geometry sees the screen before the camera finds a page; the countdown and a
    problem say more."""
    kiosk = _scanning(make_kiosk, qtbot, orientation)
    kiosk.shell.shell.setElderMode(True)
    kiosk.shell.shell.setLanguage("en_US")
    for view in (ScanView(PAGE, (), 3), ScanView(PAGE, ("too_small",), None)):
        _seen(kiosk, qtbot, view)
        assert geometry.problems(kiosk.shell, gap=kiosk.shell.theme.gap) == []
        words = geometry.scene_rect(kiosk.shell.find("scan_status"))
        assert words.bottom() <= geometry.scene_rect(kiosk.shell.find("scan_take_now")).top()
