"""Walks a scenario (kiosk/scenario.py) through the real shell, offscreen or on screen.

Steps act the way a citizen or a technician would: `tap` clicks the centre of the
visible item with that objectName through the window (so the idle timer sees it), after
paging its scrolling area to it if it is out of view,
`type` commits text to the focused input as the virtual keyboard does, `device` calls
the simulator, `advance_clock` moves the TestClock. Two pseudo-devices belong to the
demo rather than the registry: `network` (`cut` / `restore` the line to the embedded
district server) and `clock` (`run`: let the TestClock run in camera-frame ticks, a
few times slower than real time so the face pipeline sees every frame even on a busy
machine, for up to `seconds` of clock, stopping once `until_screen` shows; what a face
check with liveness challenges needs, since a blink is a few frames long). A PNG is
saved for every screen reached (a new screen, language or text size) and for every
`screenshot` step. The first step that fails raises `StepFailed` naming its number and
what went wrong.
"""
from __future__ import annotations

import logging
import re
import threading
import time
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QEventLoop, QPointF
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest

from kiosk.scenario import (AdvanceClock, DeviceAction, ExpectScreen, Scenario, ScenarioError,
                            Screenshot, Step, Tap, TypeText, WaitFor, run_device_step)
from ui.app import ShellApp
from ui.input_events import click, commit_text, focus

log = logging.getLogger(__name__)


class StepFailed(RuntimeError):
    def __init__(self, number: int, step: Step, problem: str) -> None:
        self.number, self.step, self.problem = number, step, problem
        super().__init__(f"step {number} ({describe(step)}) failed: {problem}")


def describe(step: Step) -> str:
    fields = step.model_dump(exclude={"op"}, exclude_defaults=True)
    return f"{step.op} " + ", ".join(f"{k}={v!r}" for k, v in fields.items())


def process_events() -> None:
    QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)


class ScenarioRunner:
    #: one tick of `clock: run`: a frame of the simulated camera (15 fps), and the longest
    #: real time given to the face camera to offer that frame to the face step (it is not
    #: streaming, or is reopening); then the runner waits for the face child to finish the
    #: frame (it drops frames that arrive while it is busy, and one dropped frame can hide a
    #: blink: a slow machine would fail the check)
    CLOCK_TICK_S = 1 / 15
    CLOCK_TICK_REAL_MS = 200
    #: the longest the runner waits for the face child on one tick (it is loading its
    #: models, or the machine is very slow)
    FACE_WAIT_S = 30.0
    #: how often the runner looks whether the face child has answered: a frame takes it a
    #: few tens of milliseconds, so the 5 ms of other waits would add a tenth to every tick
    FACE_POLL_MS = 1

    def __init__(self, shell: ShellApp, *, devices: Any = None, clock: Any = None,
                 screenshots: Path | None = None,
                 set_network_cut: Callable[[bool], None] | None = None,
                 face_busy: Callable[[], bool] = lambda: False,
                 face_frames: Callable[[Callable[[Any], None]], Callable[[], None]]
                 = lambda _listener: lambda: None) -> None:
        self.shell = shell
        self.face_busy = face_busy
        #: subscribes a listener to the face camera's frames (called after the face step's
        #: own listener has been offered the frame); returns the unsubscribe
        self.face_frames = face_frames
        self.devices = devices
        self.clock = clock
        self.set_network_cut = set_network_cut
        self.screenshots = screenshots
        self.saved: list[Path] = []
        self._last_seen: tuple[str, str, bool] | None = None
        if screenshots is not None:
            screenshots.mkdir(parents=True, exist_ok=True)

    @classmethod
    def for_demo(cls, shell: ShellApp, demo: Any,
                 screenshots: Path | None = None) -> "ScenarioRunner":
        """A runner driving `kiosk demo`'s simulated devices, test clock, network switch and
        face child (launcher.demo.Demo)."""
        face = demo.core.face

        def face_frames(listener: Callable[[Any], None]) -> Callable[[], None]:
            camera = demo.core.devices.first_usable("face_camera")
            return (lambda: None) if camera is None else camera.subscribe_frames(listener)
        return cls(shell, devices=demo.core.devices, clock=demo.core.clock,
                   screenshots=screenshots, set_network_cut=demo.set_network_cut,
                   face_busy=lambda: face is not None and face.busy, face_frames=face_frames)

    def run(self, scenario: Scenario) -> list[Path]:
        """Run every step; returns the PNGs saved. Raises `StepFailed`."""
        self._settle()
        self._capture_if_new()
        for number, step in enumerate(scenario.steps, start=1):
            try:
                self._run_step(step)
            except StepFailed:
                raise
            except (ScenarioError, ValueError, LookupError, RuntimeError) as error:
                raise StepFailed(number, step, str(error)) from None
            self._settle()
            self._capture_if_new()
            log.info("scenario step done", extra={"step": number, "op": step.op,
                                                  "screen": self.shell.screen_name})
        return self.saved

    # --- steps -------------------------------------------------------------------

    def _run_step(self, step: Step) -> None:
        if isinstance(step, Tap):
            self.tap(step.target)
        elif isinstance(step, TypeText):
            self.type_text(step.text, step.target)
        elif isinstance(step, ExpectScreen):
            if self.shell.screen_name != step.screen:
                raise RuntimeError(f"expected screen {step.screen!r}, "
                                   f"showing {self.shell.screen_name!r}")
        elif isinstance(step, DeviceAction) and step.device in self.PSEUDO_DEVICES:
            try:
                self.PSEUDO_DEVICES[step.device](self, step.action, **step.args)
            except TypeError as error:  # an argument the pseudo-device does not take
                raise ValueError(f"{step.device}: {error}") from None
        elif isinstance(step, (DeviceAction, AdvanceClock)):
            run_device_step(step, self.devices, self.clock)
        elif isinstance(step, WaitFor):
            self.wait_for(step)
        elif isinstance(step, Screenshot):
            self.save(step.name)
        else:  # the schema and this runner must grow together
            raise RuntimeError(f"the runner does not know step {step.op!r}")

    def tap(self, object_name: str) -> None:
        self.shell.settle()
        item = self._item(object_name)
        if not item.isEnabled():
            raise RuntimeError(f"{object_name!r} is disabled")
        if self._scroll_into_view(item):
            self.shell.settle()
        centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2)).toPoint()
        click(self.shell.view, centre)

    def type_text(self, text: str, target: str | None) -> None:
        if target is not None:
            focus(self._item(target))
            self.shell.session.touch()
        focused = QGuiApplication.focusObject()
        if focused is None:
            raise RuntimeError("nothing has the keyboard focus; give the step a target")
        commit_text(focused, text)

    def network(self, action: str) -> None:
        if action not in ("cut", "restore"):
            raise ValueError(f"network: unknown action {action!r}; use cut or restore")
        if self.set_network_cut is None:
            raise RuntimeError("network steps need the demo (kiosk demo --headless)")
        self.set_network_cut(action == "cut")

    def run_clock(self, action: str, seconds: float = 30.0,
                  until_screen: str | None = None) -> None:
        if action != "run":
            raise ValueError(f"clock: unknown action {action!r}; use run")
        advance = getattr(self.clock, "advance", None)
        if advance is None:
            raise RuntimeError("clock steps need the test clock (run the demo headless)")
        offered = threading.Event()
        unsubscribe = self.face_frames(lambda _frame: offered.set())
        try:
            for _ in range(max(1, round(seconds / self.CLOCK_TICK_S))):
                if until_screen is not None and self.shell.screen_name == until_screen:
                    return
                offered.clear()
                advance(self.CLOCK_TICK_S)
                # the frame is offered on the camera's worker, the Qt thread plays no part
                offered.wait(self.CLOCK_TICK_REAL_MS / 1000)
                self._wait_until(lambda: not self.face_busy(), self.FACE_WAIT_S,
                                 poll_ms=self.FACE_POLL_MS)
        finally:
            unsubscribe()
        if until_screen is not None and self.shell.screen_name != until_screen:
            raise RuntimeError(f"screen {until_screen!r} not reached after {seconds:g} s of "
                               f"clock (showing {self.shell.screen_name!r})")

    def service_key(self, action: str) -> None:
        """The staff's service key (`[maintenance] service_key`), pressed on the kiosk."""
        if action != "press":
            raise ValueError(f"service_key: unknown action {action!r}; use press")
        QTest.keySequence(self.shell.view, QKeySequence(self.shell.shell.property("serviceKey")))

    PSEUDO_DEVICES: dict[str, Callable[..., None]] = {"network": network, "clock": run_clock,
                                                      "service_key": service_key}

    def wait_for(self, step: WaitFor) -> None:
        def reached() -> bool:
            if step.screen is not None and self.shell.screen_name != step.screen:
                return False
            return step.text is None or self._shows_text(step.text)
        if not self._wait_until(reached, step.timeout_s):
            what = " and ".join(filter(None, [step.screen and f"screen {step.screen!r}",
                                              step.text and f"text {step.text!r}"]))
            raise RuntimeError(f"{what} not reached within {step.timeout_s:g} s "
                               f"(showing {self.shell.screen_name!r} in "
                               f"{self.shell.shell.language}: {self._visible_text()[:600]!r})")

    # --- screenshots -------------------------------------------------------------

    def save(self, name: str) -> Path:
        if self.screenshots is None:
            return Path()
        self._settle()
        path = self.screenshots / f"{len(self.saved) + 1:02d}-{name}.png"
        if not self.shell.grab().save(str(path)):
            raise RuntimeError(f"could not write {path}")
        self.saved.append(path)
        return path

    def _capture_if_new(self) -> None:
        seen = (self.shell.screen_name, self.shell.shell.language, self.shell.shell.elderMode)
        if seen != self._last_seen:
            self._last_seen = seen
            name = re.sub(r"[^A-Za-z0-9_.-]", "_", seen[0]) + f"-{seen[1]}" + \
                ("-elder" if seen[2] else "")
            self.save(name)

    # --- helpers -------------------------------------------------------------------

    def _item(self, object_name: str) -> QQuickItem:
        item = self.shell.find(object_name)
        if item is None:
            raise LookupError(f"no visible item named {object_name!r} on screen "
                              f"{self.shell.screen_name!r}")
        return item

    @staticmethod
    def _scroll_into_view(item: QQuickItem) -> bool:
        """Page the scrolling area an item is in until the item shows whole, as a citizen
        pages to it before tapping. Returns whether anything moved."""
        scroller = item.parentItem()
        while scroller is not None and not scroller.inherits("QQuickFlickable"):
            scroller = scroller.parentItem()
        if scroller is None:
            return False
        top = item.mapToItem(scroller.property("contentItem"), QPointF(0, 0)).y()
        view_y, view_h = scroller.property("contentY"), scroller.height()
        if view_y <= top and top + item.height() <= view_y + view_h:
            return False
        scroller.setProperty("contentY", max(0.0, min(top - view_h / 2 + item.height() / 2,
                                                      scroller.property("contentHeight") - view_h)))
        return True

    def _shows_text(self, text: str) -> bool:
        return any(text in shown for shown in self._visible_texts())

    def _visible_texts(self) -> list[str]:
        shown: list[str] = []

        def walk(item: QQuickItem) -> None:
            if not item.isVisible():
                return
            value = item.property("text")
            if isinstance(value, str) and value:
                shown.append(value)
            for child in item.childItems():
                walk(child)
        walk(self.shell.view.contentItem())
        return shown

    def _visible_text(self) -> str:
        """What the screen says, for a failed step's message (the demo's people are made up)."""
        return " | ".join(self._visible_texts())

    @staticmethod
    def _wait_until(condition: Callable[[], bool], timeout_s: float, poll_ms: int = 5) -> bool:
        # real time on purpose: the runner waits for device workers and the server,
        # which run on their own threads; the Qt thread keeps processing events
        deadline = time.monotonic() + timeout_s
        while True:
            process_events()
            if condition():
                return True
            if time.monotonic() >= deadline:
                return False
            QTest.qWait(poll_ms)

    @staticmethod
    def _settle() -> None:
        for _ in range(3):
            process_events()
