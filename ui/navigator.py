"""The navigator: which screen the kiosk shows, and the journey registration API.

Journey screens (`ui/journeys/`) plug in here
=============================================

A journey is a state machine in `kiosk/journeys/` (Qt-free). Its UI side is a
*view-model* (a QObject bridging the state machine to QML; `ui/journeys/viewmodel.py`
serves every journey) and one QML file per state. Register them from a module in the
`ui.journeys` package (every module in it is imported at start-up by
`load_journey_modules()`); `ui/journeys/screens.py` registers the kiosk's journeys::

    # ui/journeys/screens.py
    from ui.navigator import JourneyContext, register_journey

    def make(ctx: JourneyContext) -> JourneyViewModel:
        return JourneyViewModel(ApplyJourney, journey_services(ctx))

    register_journey("apply", make, {
        "browse": "apply/Browse.qml",          # relative to ui/journeys/
        "form": "apply/Form.qml",
        ...
    })

`name` is one of the configured journeys (`kiosk.availability.JOURNEY_REQUIREMENTS`: apply, query,
pickup, ticket, guide, rate); the attract tile `tile_<name>` starts it. Every screen
file must exist (checked at registration).

The view-model (a QObject) the factory returns must have:

* `state` -- a `Property(str, notify=stateChanged)`: the current state's name, a key
  of `screens`. The navigator shows that screen whenever `stateChanged` fires. A state
  without a screen is a bug: the navigator logs it and shows the out-of-service screen.
* `finished` -- a `Signal()` emitted when the journey is over; the navigator wipes
  the session and returns to the attract screen.
* `wipe()` -- forgets every piece of personal data the view-model (and its state
  machine) holds. The navigator registers the view-model with the `Session`, so the
  idle timeout and Home both call it.

Optional:

* `back()` -> bool -- the fixed bar's Back button calls it; return False (or leave it
  out) on the first screen and the navigator goes Home.
* `start()` -- called once, after the first screen is shown.

`JourneyContext` (given to the factory) carries `core` (the `KioskCore`: devices,
event sink, clock, config; `None` in UI-only tests), `session` (`kiosk.session.Session`),
`clock`, `availability` (this journey's `JourneyAvailability`, e.g. `degraded` when the
printer is out), `language` ("zh_CN" | "en_US" at start), `deliver(future, callback)`
(runs `callback(result_or_exception)` on the Qt thread when a device command or any
`concurrent.futures.Future` completes: the Qt thread never blocks on a device) and
`home()` (abandon the journey).

Each screen's QML root item gets, as properties set by the shell when it is loaded
(declare those you use):

* `property var viewModel` -- the view-model above,
and may declare, read by the shell:
* `property string prompt` -- the short spoken prompt (the screen's own text, through
  `qsTr`); spoken when the screen appears, if voice guidance is on;
* `property int step`, `property int stepCount`, `property string stepTitle` --
  rendered by the shell's step indicator ("2 / 5 核验人脸"); leave `stepCount` 0 to hide.

Journey screens are rooted in `common/JourneyScreen.qml`: its `primaryText`,
`primaryName` (the objectName), `primaryEnabled` and `primaryClicked` place the screen's
one primary action bottom-centre just above the fixed bar, the same on every screen; long
content goes in a `PagedFlickable` (scrolls, pages, says when more follows). Every
registered screen is rendered by `tests/ui/journeys/test_geometry.py` in standard and large
text, Chinese and English, portrait and landscape, reached by the scripts of
`tests/kiosk/journeys/test_end_everywhere.py`: a new screen needs a script step that reaches it.

Screens can use the context properties `theme` (sizes/colours that follow elder mode:
`theme.touchTarget`, `theme.bodyPx`, `theme.titlePx`, `theme.gap`, `theme.accent`...),
`shell` (`language`, `elderMode`, `voiceOn`, `say(text)`), `navigator`, and the
components of the `Kiosk` QML module (`import Kiosk`: `KioskButton`, `PrimaryButton`,
`BodyText`, `TitleText`, `Tile`). Give every tappable item an `objectName`
(scenarios tap by objectName) and make it at least `theme.touchTarget` px in both
directions (a test walks every screen's tree). Scenario screen names are
`<journey>.<state>` (e.g. `apply.reading`); the shell's own screens are `attract`,
`out_of_service` and `idle_warning` (an overlay).
"""
from __future__ import annotations

import importlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping, NamedTuple

from PySide6.QtCore import Property, QObject, QUrl, Signal, Slot

from kiosk.session import Session, WipeReason

if TYPE_CHECKING:   # annotations: neither is imported before the attract screen's first frame
    from concurrent.futures import Future

    from kiosk.availability import JourneyAvailability

log = logging.getLogger(__name__)

JOURNEYS_DIR = Path(__file__).resolve().parent / "journeys"
QML_DIR = Path(__file__).resolve().parent / "qml"

#: the shell's own screens (files under ui/qml/)
SHELL_SCREENS = {"attract": "Attract.qml", "out_of_service": "OutOfService.qml"}


class JourneyRegistrationError(ValueError):
    pass


# neither is a dataclass: defining one costs 2-4 M instructions, before the attract
# screen's first frame here (docs/benchmarks.md, start-up part 8)
class JourneyRegistration(NamedTuple):
    name: str
    view_model_factory: Callable[["JourneyContext"], QObject]
    screens: Mapping[str, Path]
    #: a staff journey (maintenance): no tile, and it starts while out of service
    staff: bool = False


class JourneyContext:
    def __init__(self, *, core: Any, session: Session, clock: Any,
                 availability: JourneyAvailability | None, language: Callable[[], str],
                 deliver: Callable[[Future, Callable[[Any], None]], None],
                 home: Callable[[], None], extras: dict[str, Any] | None = None) -> None:
        self.core = core
        self.session = session
        self.clock = clock
        self.availability = availability
        #: the language the citizen uses now (it may change during the journey)
        self.language = language
        self.deliver = deliver
        self.home = home
        self.extras: dict[str, Any] = {} if extras is None else extras


_REGISTRY: dict[str, JourneyRegistration] = {}


def register_journey(name: str, view_model_factory: Callable[[JourneyContext], QObject],
                     screens: Mapping[str, str | Path], *,
                     base_dir: Path | str = JOURNEYS_DIR, staff: bool = False) -> JourneyRegistration:
    """Register a journey's view-model factory and its state -> QML file map."""
    if not name.isidentifier():
        raise JourneyRegistrationError(f"journey name {name!r} must be an identifier")
    if not screens:
        raise JourneyRegistrationError(f"journey {name!r} registers no screens")
    resolved: dict[str, Path] = {}
    for state, file in screens.items():
        path = Path(base_dir, file).resolve()
        if not path.is_file():
            raise JourneyRegistrationError(f"journey {name!r} state {state!r}: screen file "
                                           f"{path} does not exist")
        resolved[str(state)] = path
    registration = JourneyRegistration(name, view_model_factory, resolved, staff)
    _REGISTRY[name] = registration
    return registration


def registered_journeys() -> dict[str, JourneyRegistration]:
    return dict(_REGISTRY)


def unregister_journey(name: str) -> None:
    """For tests that register throw-away journeys."""
    _REGISTRY.pop(name, None)


def load_journey_modules() -> list[str]:
    """Import every module of the `ui.journeys` package (they register themselves)."""
    import pkgutil  # here: 3 ms of CPU the attract screen's first frame need not wait for
    try:
        package = importlib.import_module("ui.journeys")
    except ModuleNotFoundError:
        return []
    loaded = []
    for module in pkgutil.iter_modules(package.__path__):
        if module.name.startswith("_"):
            continue
        try:
            importlib.import_module(f"ui.journeys.{module.name}")
            loaded.append(module.name)
        except Exception:  # one broken journey must not keep the kiosk from starting
            log.exception("journey module failed to load", extra={"journey": module.name})
    return loaded


class Navigator(QObject):
    """Maps the current journey's state to a QML screen; the shell's Loader shows it."""

    screenChanged = Signal()
    viewModelChanged = Signal()
    journeyStarted = Signal(str)
    wentHome = Signal()

    def __init__(self, session: Session, make_context: Callable[[str], JourneyContext],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._make_context = make_context
        self._journey = ""
        self._view_model: QObject | None = None
        self._unregister_holder: Callable[[], None] | None = None
        self._screen_name = "attract"
        self._screen_url = QUrl.fromLocalFile(str(QML_DIR / SHELL_SCREENS["attract"]))
        self._out_of_service = False

    # --- what QML reads ------------------------------------------------------

    def _get_screen_url(self) -> QUrl:
        return self._screen_url

    def _get_screen_name(self) -> str:
        return self._screen_name

    def _get_view_model(self) -> QObject | None:
        return self._view_model

    def _get_journey(self) -> str:
        return self._journey

    screenUrl = Property(QUrl, _get_screen_url, notify=screenChanged)
    screenName = Property(str, _get_screen_name, notify=screenChanged)
    viewModel = Property(QObject, _get_view_model, notify=viewModelChanged)
    journey = Property(str, _get_journey, notify=viewModelChanged)

    # --- actions ----------------------------------------------------------------

    @Slot(str, result=bool)
    def startJourney(self, name: str) -> bool:
        registration = _REGISTRY.get(name)
        if registration is None or (self._out_of_service and not registration.staff):
            log.warning("journey not available", extra={"journey": name})
            return False
        self._drop_view_model()
        self._session.begin()
        view_model = registration.view_model_factory(self._make_context(name))
        self._view_model, self._journey = view_model, name
        self._unregister_holder = self._session.register(view_model)
        view_model.stateChanged.connect(self._follow_state)
        view_model.finished.connect(self.home)
        self.viewModelChanged.emit()
        self._follow_state()
        self.journeyStarted.emit(name)
        start = getattr(view_model, "start", None)
        if callable(start):
            start()
        return True

    def _committing(self) -> bool:
        """The journey is handing over what the citizen gave: Back and Home wait for it."""
        committing = bool(self._view_model is not None
                          and self._view_model.property("committing"))
        if committing:
            log.info("back/home ignored while the journey commits")
        return committing

    @Slot()
    def home(self) -> None:
        """Home (or the journey finished): wipe the session, show the attract screen."""
        if self._committing():
            return
        if self._session.state.value != "idle":
            self._session.end()  # -> on_wipe -> show_attract
        else:
            self.show_attract()

    @Slot()
    def back(self) -> None:
        if self._committing():
            return
        back = getattr(self._view_model, "back", None)
        if callable(back) and back():
            return
        self.home()

    def show_attract(self) -> None:
        """After a wipe: drop the journey and show the attract (or out-of-service) screen."""
        self._drop_view_model()
        self._show_shell("out_of_service" if self._out_of_service else "attract")
        self.wentHome.emit()

    def set_out_of_service(self, out: bool) -> None:
        if out == self._out_of_service:
            return
        self._out_of_service = out
        if self._view_model is None:
            self._show_shell("out_of_service" if out else "attract")

    def wiped(self, reason: WipeReason) -> None:
        log.info("returning to attract", extra={"reason": str(reason)})
        self.show_attract()

    # --- internals --------------------------------------------------------------

    def _show_shell(self, name: str) -> None:
        self._set_screen(name, QUrl.fromLocalFile(str(QML_DIR / SHELL_SCREENS[name])))

    def _set_screen(self, name: str, url: QUrl) -> None:
        if name == self._screen_name and url == self._screen_url:
            return
        self._screen_name, self._screen_url = name, url
        self.screenChanged.emit()

    def _follow_state(self) -> None:
        if self._view_model is None:
            return
        state = str(self._view_model.property("state"))
        path = _REGISTRY[self._journey].screens.get(state)
        if path is None:
            log.error("journey state has no screen", extra={"journey": self._journey,
                                                            "state": state})
            self._show_shell("out_of_service")
            return
        self._set_screen(f"{self._journey}.{state}", QUrl.fromLocalFile(str(path)))

    def _drop_view_model(self) -> None:
        if self._unregister_holder is not None:
            self._unregister_holder()
            self._unregister_holder = None
        if self._view_model is not None:
            try:
                self._view_model.stateChanged.disconnect(self._follow_state)
                self._view_model.finished.disconnect(self.home)
            except (RuntimeError, TypeError):
                pass
            self._view_model.deleteLater()
        self._view_model, self._journey = None, ""
        self.viewModelChanged.emit()
