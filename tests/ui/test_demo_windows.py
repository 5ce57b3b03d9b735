"""The windowed demo's layout: the kiosk scaled to fit beside the control panel, both inside
the screen's available area (the screen less the desktop's panels), frames included."""
from __future__ import annotations

import pytest

from ui.demo_windows import PANEL_MIN_WIDTH, Rect, side_by_side

SCREENS = {
    "laptop 1366x768 under a 32 px top bar": Rect(0, 32, 1366, 736),
    "desktop 1920x1080": Rect(0, 0, 1920, 1080),
    "desktop 1920x1200, dock on the left": Rect(64, 0, 1856, 1200),
}
DESIGNED = {"portrait": (1080, 1920), "landscape": (1920, 1080)}


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("orientation", DESIGNED)
def test_both_windows_fit_the_screen_without_overlapping(screen, orientation):
    available = SCREENS[screen]
    layout = side_by_side(available, DESIGNED[orientation])
    assert layout.kiosk.inside(available) and layout.panel.inside(available), layout
    assert not layout.kiosk.overlaps(layout.panel), layout
    assert 0.3 < layout.scale < 1
    kiosk = layout.content(layout.kiosk)
    width, height = DESIGNED[orientation]
    assert abs(kiosk.width() - width * layout.scale) <= 1
    assert abs(kiosk.height() - height * layout.scale) <= 1
    assert layout.content(layout.panel).width() >= PANEL_MIN_WIDTH


def test_a_screen_larger_than_the_kiosk_shows_it_true_to_size():
    layout = side_by_side(Rect(0, 0, 3840, 2160), DESIGNED["portrait"])
    assert layout.scale == 1
    assert layout.content(layout.kiosk).height() == 1920


def test_true_size_keeps_the_kiosk_one_to_one_on_a_small_screen():
    layout = side_by_side(SCREENS["desktop 1920x1080"], DESIGNED["portrait"], true_size=True)
    assert layout.scale == 1
    assert (layout.content(layout.kiosk).width(), layout.content(layout.kiosk).height()) == \
        DESIGNED["portrait"]
