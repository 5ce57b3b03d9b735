"""`kiosk demo --windowed` on a laptop and on a desktop screen (a real X server, Xvfb):
the kiosk and the simulator control panel are both on screen, side by side, the kiosk
draws its attract screen and a tap on a tile opens the next screen."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from launcher.cli import EXIT_CONFIG, main
from tests.launcher.cli.x_screen import Window, XScreen, wait_for
from ui.demo_windows import Rect

REPO = Path(__file__).resolve().parents[3]
PANEL_TITLE = "Simulator control panel"
#: a point inside the first tile (办事 Apply) of the attract screen, as a fraction of the
#: kiosk window, in both orientations
FIRST_TILE = (0.15, 0.28)
#: the demo starts devices, the embedded server and the QML engine (on a busy machine)
START_TIMEOUT_S = 120


@pytest.fixture
def demo_on(tmp_path):
    started = []

    def start(width: int, height: int, *args: str):
        screen = XScreen(width, height)
        env = {k: v for k, v in os.environ.items()
               if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
        env.update(DISPLAY=screen.display_name, PYTHONPATH=str(REPO))
        log = (tmp_path / f"demo-{width}x{height}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "launcher", "--data-dir", str(tmp_path / "data"),
             "demo", "--windowed", *args],
            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
        started.append((screen, process))
        return screen, process

    yield start
    for screen, process in started:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        screen.close()


def kiosk_and_panel(screen: XScreen) -> tuple[Window, Window] | None:
    windows = screen.mapped_windows()
    panels = [w for w in windows if w.title.startswith(PANEL_TITLE)]
    kiosks = [w for w in windows if not w.title.startswith(PANEL_TITLE)]
    if len(panels) == 1 and len(kiosks) == 1:
        return kiosks[0], panels[0]
    return None


def pixels_of(screen: XScreen, window: Window):
    frame = window.frame
    return screen.screenshot().crop((frame.x, frame.y, frame.right, frame.bottom))


def drawn(image) -> bool:
    """Not black, not blank: a light page with text and tiles on it."""
    grey = image.convert("L")
    histogram = grey.histogram()
    total = image.width * image.height
    black = sum(histogram[:16]) / total
    light = sum(histogram[200:]) / total
    dark_ink = sum(histogram[:120]) / total
    return black < 0.02 and light > 0.5 and dark_ink > 0.01


def changed_share(before, after) -> float:
    from PIL import ImageChops
    difference = ImageChops.difference(before.convert("L"), after.convert("L"))
    histogram = difference.histogram()
    return sum(histogram[40:]) / (before.width * before.height)


@pytest.mark.slow
@pytest.mark.parametrize("width,height,orientation", [
    (1366, 768, "portrait"), (1366, 768, "landscape"), (1920, 1080, "portrait")])
def test_kiosk_and_panel_fit_side_by_side_and_the_kiosk_answers_a_tap(
        demo_on, width, height, orientation):
    screen, process = demo_on(width, height, "--orientation", orientation)
    alive = lambda: process.poll() is None  # noqa: E731
    kiosk, panel = wait_for("the kiosk and the panel windows",
                            lambda: kiosk_and_panel(screen), START_TIMEOUT_S, alive)

    for window in (kiosk, panel):
        assert window.frame.inside(Rect(0, 0, width, height)), window
    assert not kiosk.frame.overlaps(panel.frame), (kiosk, panel)
    kiosk_frame = kiosk.frame
    assert (kiosk_frame.width < kiosk_frame.height) == (orientation == "portrait"), kiosk
    # the kiosk keeps its designed proportions (9:16) when scaled down
    long_side = max(kiosk_frame.width, kiosk_frame.height)
    short_side = min(kiosk_frame.width, kiosk_frame.height)
    assert abs(long_side / short_side - 1920 / 1080) < 0.02, kiosk

    attract = wait_for("the attract screen drawn in the kiosk window",
                       lambda: (lambda image: image if drawn(image) else None)(
                           pixels_of(screen, kiosk)), START_TIMEOUT_S, alive)
    # a new screen redraws several per cent of the window; the clock's minute changing far less
    screen.tap(kiosk_frame.x + round(kiosk_frame.width * FIRST_TILE[0]),
               kiosk_frame.y + round(kiosk_frame.height * FIRST_TILE[1]))
    wait_for("the next screen after tapping the first tile",
             lambda: (lambda image: drawn(image) and changed_share(attract, image) > 0.03)(
                 pixels_of(screen, kiosk)), 30, alive)


def test_a_missing_display_library_is_named_before_qt_starts(capsys, tmp_path,
                                                             broken_platform_plugin):
    code = main(["--data-dir", str(tmp_path), "demo", "--windowed"])
    assert code == EXIT_CONFIG
    error = capsys.readouterr().err
    assert "libkiosk-gone.so.4" in error and "scripts/install-debian-deps.sh" in error
