"""Builds the Qt Quick shell around a `KioskCore`: window, context objects, session.

`prepare_environment()` must run before the QGuiApplication exists (input method,
controls style, offscreen platform for headless runs). `ShellApp` owns the view, the
`Shell`, `Navigator`, `Session`, `Theme`, `Voice` and translations.
"""
from __future__ import annotations

import logging
import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import ui.pyside_import_hook  # noqa: F401  (first: every module imported after PySide pays it)
from PySide6.QtCore import QCoreApplication, QObject, QSize, QTimer
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtQuick import QQuickView

from kiosk.screen_blank import ScreenBlanking
from kiosk.session import Session, WipeReason
from ui.bridge import QtClock, QtThreadBridge
from ui.i18n import Translations
from ui.navigator import JourneyContext, Navigator, QML_DIR, SHELL_SCREENS, \
    load_journey_modules, registered_journeys
from ui.qml_preload import compile_ahead
from ui.qml_warnings import log_qml_warnings
from ui.shell import Shell
from ui.speech import Voice
from ui.theme import Theme
from ui.tidy_after_visit import TidyAfterVisit

if TYPE_CHECKING:  # or the snapshot kiosk.config_snapshot.read gives (no pydantic before the
    from kiosk.config import KioskConfig  # first frame)
    # PySide initialises each class named in an import (about 4 M instructions each): here
    # they are annotations only; the touch watcher imports QEvent when the core starts
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QImage
    from PySide6.QtQuick import QQuickItem

log = logging.getLogger(__name__)

SIZES = {"portrait": QSize(1080, 1920), "landscape": QSize(1920, 1080)}


class ShellError(RuntimeError):
    pass


def prepare_environment(*, headless: bool = False) -> None:
    """Environment Qt reads once, when the application object is created."""
    os.environ["QT_IM_MODULE"] = "qtvirtualkeyboard"
    os.environ.setdefault("QT_VIRTUALKEYBOARD_DESKTOP_DISABLE", "1")  # our InputPanel only
    os.environ.setdefault("QT_QUICK_CONTROLS_STYLE", "Basic")
    if headless:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def application(argv: list[str] | None = None, *, headless: bool = False) -> QGuiApplication:
    existing = QGuiApplication.instance()
    if existing is not None:
        return existing  # type: ignore[return-value]
    prepare_environment(headless=headless)
    app = QGuiApplication(argv or ["kiosk"])
    app.setApplicationName("gov-kiosk")
    return app


class _TouchWatcher(QObject):
    """Every press anywhere on the window counts as the citizen being there; the press that
    wakes a blank screen does nothing else (swallowed with the rest of that touch)."""

    def __init__(self, session: Session, screen: ScreenBlanking) -> None:
        super().__init__()
        self._session = session
        self._screen = screen
        self._swallowing = False
        # PySide makes QEvent.Type (some 170 members) a Python enum when first used: 14 M
        # instructions, which `kiosk run` spends after the first frame (ShellApp)
        from PySide6.QtCore import QEvent
        kind = QEvent.Type
        self._presses = (kind.MouseButtonPress, kind.TouchBegin, kind.KeyPress)
        #: what follows the press that woke the screen, up to the finger's (or key's) release
        self._after_a_press = (kind.MouseMove, kind.MouseButtonRelease,
                               kind.MouseButtonDblClick, kind.TouchUpdate, kind.TouchEnd,
                               kind.TouchCancel, kind.KeyRelease)
        self._releases = (kind.MouseButtonRelease, kind.TouchEnd, kind.TouchCancel,
                          kind.KeyRelease)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        kind = event.type()
        if self._swallowing and kind in self._after_a_press:
            self._swallowing = kind not in self._releases
            return True
        if kind in self._presses:
            if self._screen.touched():
                self._swallowing = True
                return True
            self._session.touch()
        return False


class ShellApp:
    def __init__(self, config: KioskConfig, *, core: Any = None, clock: Any = None,
                 speech_engine: str | None = None, orientation: str | None = None,
                 cache_dir: Path | None = None, core_pending: bool = False) -> None:
        """`core_pending`: the attract screen first, its tiles saying "checking"; the core
        and the journeys arrive through `attach_core` (see `ui.launch.run_kiosk`)."""
        if QGuiApplication.instance() is None:
            raise ShellError("create the application first (ui.app.application())")
        self.config = config
        self.core = core
        base_clock = clock or (core.clock if core is not None else None)
        if base_clock is None:
            from foundation.clock import SystemClock
            base_clock = SystemClock()
        self.base_clock = base_clock
        self.bridge = QtThreadBridge()
        self.clock = QtClock(base_clock, self.bridge)
        if not core_pending:
            load_journey_modules()
        self.registered = set(registered_journeys())

        self.view = QQuickView()
        self.view.setTitle(config.kiosk.name)
        self.view.setResizeMode(QQuickView.ResizeMode.SizeRootObjectToView)
        self.view.setColor(QColor("white"))  # not Qt.GlobalColor: see ui/bridge.py
        engine = self.view.engine()
        engine.addImportPath(str(QML_DIR))
        log_qml_warnings(engine)
        self.theme = Theme(parent=self.view)
        engine_name = config.ui.speech_engine if speech_engine is None else speech_engine
        self.voice = Voice(engine_name, config.ui.speech_rate, parent=self.view)
        self.translations = Translations(engine, cache_dir=cache_dir)
        self.session = Session(self.clock, idle_timeout_s=config.session.idle_timeout_s,
                               warning_s=config.session.idle_warning_s,
                               on_warning=self._on_idle_warning, on_tick=self._on_idle_tick,
                               on_extended=self._on_extended, on_wipe=self._on_wipe)
        self.shell = Shell(config, core=core, clock=self.clock, session=self.session,
                           theme=self.theme, voice=self.voice, translations=self.translations,
                           bridge=self.bridge, registered=self.registered,
                           core_pending=core_pending, parent=self.view)
        self.navigator = Navigator(self.session, self._journey_context, parent=self.view)
        self.tidy_after_visit = TidyAfterVisit(self.clock, self.in_session)
        self._unsubscribe: Callable[[], None] = lambda: None
        self._unfollow_config: Callable[[], None] = lambda: None
        if core is not None:
            self._follow(core)
        self._availability_changed()

        context = engine.rootContext()
        context.setContextProperty("theme", self.theme)
        context.setContextProperty("shell", self.shell)
        context.setContextProperty("navigator", self.navigator)
        self.shell.serviceEntryRequested.connect(self._service_entry)
        self.screen_blanking = ScreenBlanking(config.screen, clock=self.clock,
                                              session_active=self.in_session,
                                              on_change=self.shell.set_screen_blank,
                                              is_day_off=self._is_day_off)
        if not core_pending:
            self._watch_touches()
        self.screen_blanking.start()
        # compiled before anything can load them synchronously with the GIL held
        # (ui/qml_preload); with the core pending, the out-of-service screen, the overlays
        # of a visit and the keyboard (Qt Virtual Keyboard: a sixth of the first frame's
        # CPU) compile with the journeys' screens, after the first frame and before the core
        # can ask for them
        first_frame_qml = [QML_DIR / "Main.qml", QML_DIR / SHELL_SCREENS["attract"]]
        self._compiled = compile_ahead(engine, first_frame_qml + ([] if core_pending
                                                                 else _screens_after_attract()))
        self.view.setSource(str(QML_DIR / "Main.qml"))
        if self.view.status() != QQuickView.Status.Ready:
            errors = "; ".join(e.toString() for e in self.view.errors())
            raise ShellError(f"the shell's QML failed to load: {errors}")
        self.view.resize(SIZES[orientation or config.kiosk.orientation])

    def attach_core(self, core: Any) -> None:
        """The kiosk core, started after the first frame; the journeys load with it."""
        load_journey_modules()
        self.registered = set(registered_journeys())
        self._compiled += compile_ahead(self.view.engine(), _screens_after_attract())
        # the first frame drawn without it; no event reaches the window between the first
        # frame and the core's start (ui.launch runs both in one Qt callback)
        self._watch_touches()
        self.core, self.config = core, core.config   # validated: it replaces any snapshot
        self.shell.attach_core(core, self.registered)
        self._follow(core)
        self._availability_changed()

    def _watch_touches(self) -> None:
        self._touch_watcher = _TouchWatcher(self.session, self.screen_blanking)
        self.view.installEventFilter(self._touch_watcher)

    def _follow(self, core: Any) -> None:
        core.session_active = self.in_session       # read by the sync worker's thread
        self._unsubscribe = core.subscribe(lambda _a: self.bridge.call(self._availability_changed))
        self._unfollow_config = core.on_config_changed(
            lambda changed: self.bridge.call(lambda: self._config_changed(changed)))

    def after_first_frame(self, work: Callable[[], None]) -> None:
        """Run `work` on the Qt thread once the first frame is on the screen."""
        def first_frame() -> None:
            self.view.frameSwapped.disconnect(first_frame)
            QTimer.singleShot(0, work)
        self.view.frameSwapped.connect(first_frame)

    # --- showing ---------------------------------------------------------------

    def show(self, *, windowed: bool) -> None:
        if windowed:
            self.view.show()
        else:
            self.view.showFullScreen()

    def grab(self) -> QImage:
        return self.view.grabWindow()

    def settle(self) -> None:
        """Handle pending events and lay out (polish) the scene, as the next frame would.

        A tap must land where the citizen sees the item; grabbing the window runs the
        same polish-and-sync the render loop runs, without waiting for a frame."""
        QCoreApplication.processEvents()
        self.view.grabWindow()
        QCoreApplication.processEvents()

    @property
    def root(self) -> QQuickItem:
        return self.view.rootObject()

    @property
    def screen_name(self) -> str:
        if self.shell.idleWarning:
            return "idle_warning"
        return self.navigator.screenName

    def find(self, object_name: str) -> QQuickItem | None:
        """The visible item with this objectName (the first found, depth-first)."""
        return _find_visible(self.view.contentItem(), object_name)

    def close(self) -> None:
        self.screen_blanking.stop()
        self.tidy_after_visit.stop()
        self._unsubscribe()
        self._unfollow_config()
        self.shell.close()
        self.voice.stop()
        self.translations.remove()
        self.view.close()
        self.view.deleteLater()

    # --- wiring ------------------------------------------------------------------

    def _journey_context(self, journey: str) -> JourneyContext:
        availability = self.core.availability().get(journey) if self.core is not None else None
        return JourneyContext(core=self.core, session=self.session, clock=self.clock,
                              availability=availability, language=lambda: self.shell.language,
                              deliver=self.bridge.deliver, home=self.navigator.home)

    def _availability_changed(self) -> None:
        self.shell.refresh_availability()
        self.navigator.set_out_of_service(self.shell.out_of_service())
        service = getattr(self.core, "service", None)
        if self.navigator.journey == "maintenance" and service is not None:
            from kiosk.service_state import Mode   # with the core: after the first frame
            if service.mode in (Mode.IN_SERVICE, Mode.OUT_OF_SERVICE):
                self.navigator.home()   # the core left maintenance (its inactivity timeout)

    def _service_entry(self) -> None:
        """The hidden entry: the staff sign-in now, or once the citizen's session ends."""
        maintenance = getattr(self.core, "maintenance", None)
        if maintenance is None:
            return
        if maintenance.ask(session_active=self.in_session()):
            self.navigator.startJourney("maintenance")

    def _is_day_off(self, day: date) -> bool:
        """A weekend or holiday in the catalogue in use (a working day until the core runs)."""
        catalogue = getattr(self.core, "catalogue", None)
        return catalogue is not None and not catalogue.edition().calendar.is_working_day(day)

    def in_session(self) -> bool:
        return self.session.state.value != "idle"

    def _config_changed(self, config: KioskConfig) -> None:
        self.session.idle_timeout_s = float(config.session.idle_timeout_s)
        self.session.warning_s = float(config.session.idle_warning_s)
        self.screen_blanking.settings_changed(config.screen)
        self.shell.config_changed(config)

    def _on_idle_warning(self, seconds_left: int) -> None:
        self.shell.show_idle_warning(seconds_left)

    def _on_idle_tick(self, seconds_left: int) -> None:
        self.shell.idle_tick(seconds_left)

    def _on_extended(self) -> None:
        self.shell.hide_idle_warning()

    def _on_wipe(self, reason: WipeReason) -> None:
        self.shell.hide_idle_warning()
        self.shell.closeHelp()
        if reason is WipeReason.FINISHED and self.shell.preferences_changed():
            # Home, or a journey done: the citizen is still here, so the language and text
            # size they chose stay for the visit, which ends when the idle timeout runs out
            self.session.begin()
            self.navigator.wiped(reason)
            return
        self.shell.reset_preferences()
        self.navigator.wiped(reason)
        self.tidy_after_visit.visit_ended()
        if self.core is not None:
            self.core.session_ended()   # the visit is over: a quiet moment for new state
        maintenance = getattr(self.core, "maintenance", None)
        if maintenance is not None and maintenance.session_ended():
            self.navigator.startJourney("maintenance")   # asked for during that session


def _screens_after_attract() -> list[Path]:
    """What the kiosk can show once the core runs: the out-of-service screen, the overlays
    of a visit (idle warning, help), the journeys' screens and the keyboard their text
    fields show."""
    return [QML_DIR / SHELL_SCREENS["out_of_service"], QML_DIR / "IdleWarning.qml",
            QML_DIR / "HelpOverlay.qml", QML_DIR / "Keyboard.qml",
            *sorted({path for registration in registered_journeys().values()
                     for path in registration.screens.values()})]


def _find_visible(item: QQuickItem, object_name: str) -> QQuickItem | None:
    if not item.isVisible():
        return None
    if item.objectName() == object_name:
        return item
    for child in item.childItems():
        found = _find_visible(child, object_name)
        if found is not None:
            return found
    return None
