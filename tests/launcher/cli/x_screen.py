"""A real X screen for tests: Xvfb at a given size, and what a user sees and does on it
(top-level windows, a screenshot, a tap) through the X protocol (python-xlib, XTEST)."""
from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from typing import Callable, TypeVar

import pytest

from ui.demo_windows import Rect

T = TypeVar("T")


def xvfb_or_skip() -> str:
    """The Xvfb binary; a test without one skips (and fails under CI, which must have it)."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        reason = "Xvfb is not installed (bash scripts/install-debian-deps.sh installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return xvfb


@dataclass(frozen=True)
class Window:
    title: str
    frame: Rect


class XScreen:
    """Xvfb with one screen of `width`x`height`, started and stopped by the test."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        read_end, write_end = os.pipe()
        # -displayfd: Xvfb picks a free display and writes its number once it accepts clients
        self._process = subprocess.Popen(
            [xvfb_or_skip(), "-displayfd", str(write_end), "-screen", "0",
             f"{width}x{height}x24", "-nolisten", "tcp"],
            pass_fds=(write_end,), stderr=subprocess.DEVNULL)
        os.close(write_end)
        with os.fdopen(read_end) as ready:
            number = ready.readline().strip()
        if not number:
            self._process.kill()
            raise RuntimeError("Xvfb exited before accepting clients")
        self.display_name = f":{number}"
        from Xlib import display
        self._display = display.Display(self.display_name)
        self._root = self._display.screen().root
        self._net_wm_name = self._display.intern_atom("_NET_WM_NAME")
        self._utf8 = self._display.intern_atom("UTF8_STRING")

    def close(self) -> None:
        self._display.close()
        self._process.terminate()
        self._process.wait(10)

    def mapped_windows(self) -> list[Window]:
        """Top-level windows a user can see, with a title, in screen coordinates."""
        from Xlib import X
        from Xlib.error import BadDrawable, BadWindow
        found = []
        for child in self._root.query_tree().children:
            try:
                if child.get_attributes().map_state != X.IsViewable:
                    continue
                name = child.get_full_property(self._net_wm_name, self._utf8)
                if name is None:
                    continue
                geometry = child.get_geometry()
                origin = child.translate_coords(self._root, 0, 0)
            except (BadWindow, BadDrawable):
                continue   # a window that went away while the tree was read (Qt's short-lived)
            found.append(Window(name.value.decode("utf-8"),
                                Rect(-origin.x, -origin.y, geometry.width, geometry.height)))
        return found

    def screenshot(self):
        """The whole screen as a PIL image."""
        from PIL import Image
        from Xlib import X
        raw = self._root.get_image(0, 0, self.width, self.height, X.ZPixmap, 0xFFFFFFFF)
        return Image.frombytes("RGB", (self.width, self.height), raw.data, "raw", "BGRX")

    def tap(self, x: int, y: int) -> None:
        """Press and release the left button at (x, y), as a finger or a mouse does."""
        from Xlib import X
        from Xlib.ext import xtest
        xtest.fake_input(self._display, X.MotionNotify, x=x, y=y)
        xtest.fake_input(self._display, X.ButtonPress, 1)
        xtest.fake_input(self._display, X.ButtonRelease, 1)
        self._display.sync()


def wait_for(what: str, probe: Callable[[], T | None], timeout_s: float,
             alive: Callable[[], bool] = lambda: True) -> T:
    """Poll the screen until `probe` returns something; X gives no event for "drawn"."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        result = probe()
        if result:
            return result
        if not alive():
            raise AssertionError(f"the process exited while waiting for {what}")
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout_s:.0f} s waiting for {what}")
