"""The shell's state for QML: language, elder mode, voice, tiles, idle warning, help.

Everything here runs on the Qt thread. Core callbacks (device workers, clock timers)
arrive through the `QtThreadBridge`; slow work (storing a staff call) runs on a worker
and comes back as a signal.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot

from kiosk.session import Session
from ui.bridge import QtThreadBridge
from ui.i18n import Translations
from ui.qr import qr_data_url
from ui.speech import Voice
from ui.theme import Theme

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

    from kiosk.availability import JourneyAvailability
    from kiosk.config import KioskConfig

log = logging.getLogger(__name__)

WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def tile_model(journeys: list[str], availability: dict[str, JourneyAvailability],
               registered: set[str], roles_usable: dict[str, bool],
               server_reachable: bool, *, storage_ok: bool = True,
               checking: set[str] | None = frozenset()) -> list[dict[str, Any]]:
    """What each attract tile shows: offered or not, and which roles explain it. `checking`:
    roles whose devices have not yet said whether they work (None: the core is still
    loading, every tile waits); a tile they hold back says "checking", never "available"."""
    if checking is None:
        # nothing is known yet of any tile: what each journey needs is read once the core
        # runs (kiosk.availability is not imported before the attract screen's first frame)
        return [{"key": journey, "available": False, "checking": True, "missing": [],
                 "degraded": []} for journey in journeys]
    from kiosk.availability import JOURNEY_REQUIREMENTS
    tiles = []
    for journey in journeys:
        needs = JOURNEY_REQUIREMENTS[journey]
        state = availability.get(journey)
        missing = [r for r in needs.required if not roles_usable.get(r, False)]
        if needs.needs_server and not server_reachable:
            missing.append("server")
        if needs.needs_storage and not storage_ok:
            missing.append("storage")
        if journey not in registered and not missing:
            missing = ["not_installed"]
        degraded = [r for r in needs.degrades if not roles_usable.get(r, False)]
        if not server_reachable and needs.offline_note:
            degraded.append("offline")
        available = bool(state.available if state else not missing) and journey in registered
        waiting = bool(missing) and set(missing) <= checking
        if waiting:
            available, missing = False, []
        tiles.append({"key": journey, "available": available, "checking": waiting,
                      "missing": [] if available else missing, "degraded": degraded})
    return tiles


class Shell(QObject):
    languageChanged = Signal()
    elderModeChanged = Signal()
    highContrastChanged = Signal()
    voiceChanged = Signal()
    tilesChanged = Signal()
    idleChanged = Signal()
    timeChanged = Signal()
    helpChanged = Signal()
    hallChanged = Signal()
    screenBlankChanged = Signal()
    coreChanged = Signal()
    #: (screen name, prompt) every time a screen has been shown
    screenEntered = Signal(str, str)
    _staffCallDone = Signal(bool)

    def __init__(self, config: KioskConfig, *, core: Any, clock: Any, session: Session,
                 theme: Theme, voice: Voice, translations: Translations,
                 bridge: QtThreadBridge, registered: set[str], core_pending: bool = False,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._config = config
        self._online_hall_qr_url: str | None = None
        self._core = core
        self._clock = clock
        self._session = session
        self._theme = theme
        self._voice = voice
        self._translations = translations
        self._bridge = bridge
        self._registered = registered
        self._core_pending = core_pending   # the core loads after the first frame
        self._language = translations.language
        self._elder = False
        self._high_contrast = False
        self._voice_on = False
        self._tiles: list[dict[str, Any]] = []
        self._online = True
        #: staff are in maintenance (or entering or leaving it): the status line says so
        self._staff_at_work = False
        self._idle_warning = False
        self._idle_left = 0
        #: black at night between visits (kiosk/screen_blank.py)
        self._screen_blank = False
        self._help_shown = False
        self._help_queued = False
        self._time_text = ""
        self._date_text = ""
        self._session_left = 0
        self._screen = ""
        self._worker: ThreadPoolExecutor | None = None   # started by the first staff call
        self._staffCallDone.connect(self._on_staff_call_done)
        self.reset_preferences()
        self.refresh_availability()
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._update_time)
        self._tick.start()
        self._update_time()

    # --- properties -------------------------------------------------------------

    language = Property(str, lambda self: self._language, notify=languageChanged)
    elderMode = Property(bool, lambda self: self._elder, notify=elderModeChanged)
    voiceOn = Property(bool, lambda self: self._voice_on, notify=voiceChanged)
    highContrast = Property(bool, lambda self: self._high_contrast, notify=highContrastChanged)
    tiles = Property("QVariantList", lambda self: self._tiles, notify=tilesChanged)
    online = Property(bool, lambda self: self._online, notify=tilesChanged)
    staffAtWork = Property(bool, lambda self: self._staff_at_work, notify=tilesChanged)
    idleWarning = Property(bool, lambda self: self._idle_warning, notify=idleChanged)
    idleSecondsLeft = Property(int, lambda self: self._idle_left, notify=idleChanged)
    screenBlank = Property(bool, lambda self: self._screen_blank, notify=screenBlankChanged)
    helpShown = Property(bool, lambda self: self._help_shown, notify=helpChanged)
    helpQueued = Property(bool, lambda self: self._help_queued, notify=helpChanged)
    timeText = Property(str, lambda self: self._time_text, notify=timeChanged)
    #: "12月5日 星期六" / "Sat 5 Dec": the day, for a citizen who lost track of it
    dateText = Property(str, lambda self: self._date_text, notify=timeChanged)
    #: seconds until an untouched screen wipes the visit (0 between citizens)
    sessionSecondsLeft = Property(int, lambda self: self._session_left, notify=timeChanged)
    kioskName = Property(str, lambda self: self._config.kiosk.name, constant=True)
    kioskNameEn = Property(str, lambda self: self._config.kiosk.name_en, constant=True)
    hallAddress = Property(str, lambda self: self._config.kiosk.hall_address,
                           notify=hallChanged)
    hallAddressEn = Property(str, lambda self: self._config.kiosk.hall_address_en,
                             notify=hallChanged)
    hallPhone = Property(str, lambda self: self._config.kiosk.hall_phone, notify=hallChanged)
    #: other halls, nearest first: [{name, address, hours: {zh, en}, phone}]
    alternatives = Property("QVariantList", lambda self: [
        hall.model_dump(include={"name", "address", "hours", "phone"})
        for hall in self._config.kiosk.alternatives], notify=hallChanged)
    onlineHallUrl = Property(str, lambda self: self._config.ui.online_hall_url, constant=True)
    #: the core loads after the attract screen's first frame (ui.launch); what only a visit
    #: shows (the idle warning, help) is made when it has arrived
    corePending = Property(bool, lambda self: self._core_pending, notify=coreChanged)

    def _online_hall_qr(self) -> str:
        """Made when the out-of-service screen first shows it (qrcode imports PIL)."""
        if self._online_hall_qr_url is None:
            self._online_hall_qr_url = qr_data_url(self._config.ui.online_hall_url)
        return self._online_hall_qr_url
    onlineHallQr = Property(str, _online_hall_qr, constant=True)
    serviceKey = Property(str, lambda self: self._config.maintenance.service_key, constant=True)
    longPressMs = Property(int, lambda self: int(self._config.maintenance.long_press_s * 1000),
                           constant=True)

    #: the hidden entry to maintenance was used (a long press on the top-left corner or the
    #: service key); ShellApp asks the core and opens the staff entry when it may
    serviceEntryRequested = Signal()

    @Slot()
    def serviceEntry(self) -> None:
        self.serviceEntryRequested.emit()

    @property
    def current_screen(self) -> str:
        return "idle_warning" if self._idle_warning else self._screen

    def config_changed(self, config: KioskConfig) -> None:
        """The district changed the configuration (between sessions): hall details, the
        journeys offered and the preferences a new citizen starts with follow."""
        self._config = config
        self.hallChanged.emit()
        self.reset_preferences()
        self.refresh_availability()

    # --- citizen preferences (kept for the visit, reset when it times out) -----------

    def _default_preferences(self) -> tuple[str, bool, bool, bool]:
        kiosk = self._config.kiosk
        # every visit starts in the standard colours; high contrast is the citizen's choice
        return kiosk.language, kiosk.elder_mode, kiosk.voice_guidance or kiosk.elder_mode, False

    def preferences_changed(self) -> bool:
        """The citizen chose another language, text size, voice or contrast this visit."""
        return (self._language, self._elder, self._voice_on, self._high_contrast) \
            != self._default_preferences()

    def reset_preferences(self) -> None:
        language, elder, voice, high_contrast = self._default_preferences()
        self._apply_language(language)
        self._apply_elder(elder)
        self._apply_voice(voice)
        self._apply_high_contrast(high_contrast)

    @Slot(str)
    def setLanguage(self, language: str) -> None:
        self._session.begin()
        self._apply_language(language)
        self.say_current_prompt()

    @Slot(bool)
    def setElderMode(self, elder: bool) -> None:
        self._session.begin()
        self._apply_elder(elder)
        if elder:
            self._apply_voice(True)  # voice guidance is on by default in elder mode

    @Slot(bool)
    def setHighContrast(self, on: bool) -> None:
        self._session.begin()
        self._apply_high_contrast(on)

    @Slot(bool)
    def setVoiceOn(self, on: bool) -> None:
        self._session.begin()
        self._apply_voice(on)

    def _apply_language(self, language: str) -> None:
        if language == self._language and self._translations.language == language:
            return
        self._translations.set_language(language)
        self._voice.set_language(language)
        self._language = language
        self.languageChanged.emit()
        self._update_time()

    def _apply_elder(self, elder: bool) -> None:
        if elder != self._elder:
            self._elder = elder
            self._theme.set_elder_mode(elder)
            self.elderModeChanged.emit()

    def _apply_high_contrast(self, on: bool) -> None:
        if on != self._high_contrast:
            self._high_contrast = on
            self._theme.set_high_contrast(on)
            self.highContrastChanged.emit()

    def _apply_voice(self, on: bool) -> None:
        if on != self._voice_on:
            self._voice_on = on
            self._voice.enabled = on
            if not on:
                self._voice.stop()
            self.voiceChanged.emit()

    # --- screens and voice -----------------------------------------------------------

    @Slot(str, str)
    def screenShown(self, name: str, prompt: str) -> None:
        self._screen = name
        self._last_prompt = prompt
        self._voice.say(prompt)
        self.screenEntered.emit(name, prompt)

    def say_current_prompt(self) -> None:
        # the loaded screen's prompt re-evaluates on retranslate; the root reports it again
        self.promptRequested.emit()

    promptRequested = Signal()

    @Slot(str)
    def say(self, text: str) -> None:
        self._voice.say(text)

    @Slot(str)
    def sayAgain(self, prompt: str) -> None:
        """The replay-voice button: the current screen's prompt once more, also with voice
        guidance off (a citizen who missed the words asks for them)."""
        self._session.begin()
        self._voice.repeat(prompt)

    @Slot()
    def stopSpeaking(self) -> None:
        self._voice.stop()

    # --- availability ------------------------------------------------------------------

    def attach_core(self, core: Any, registered: set[str]) -> None:
        """The core (and the journeys) loaded after the first frame: tiles follow the devices."""
        self._core, self._registered, self._core_pending = core, registered, False
        self._config = core.config
        self.refresh_availability()
        self.coreChanged.emit()

    def refresh_availability(self) -> None:
        journeys = list(self._config.kiosk.journeys)
        checking: set[str] | None
        if self._core is None:
            availability: dict[str, JourneyAvailability] = {}
            roles_usable = {role: True for role in self._config.roles}
            online = storage_ok = True
            staff_at_work = False
            checking = None if self._core_pending else set()
        else:
            availability = self._core.availability()
            states = [self._core.devices.role_state(role) for role in self._config.roles]
            roles_usable = {state.role: state.usable for state in states}
            checking = {state.role for state in states if state.checking}
            online = bool(self._core.server_reachable)
            service = self._core.service.snapshot()
            storage_ok = service.withdrawn("needs_storage") is None
            from kiosk.service_state import Mode   # with the core: after the first frame
            staff_at_work = service.mode in (Mode.MAINTENANCE, Mode.LEAVING)
        tiles = tile_model(journeys, availability, self._registered, roles_usable, online,
                           storage_ok=storage_ok, checking=checking)
        if (tiles, online, staff_at_work) != (self._tiles, self._online, self._staff_at_work):
            self._tiles, self._online, self._staff_at_work = tiles, online, staff_at_work
            self.tilesChanged.emit()

    def out_of_service(self) -> bool:
        """Nothing the kiosk is configured for can be offered (devices or server down, the
        service state out of service or in maintenance)."""
        if self._core is None:
            return False
        if not self._core.service.snapshot().offers_journeys:
            return True
        if any(tile["checking"] for tile in self._tiles):
            return False
        return not any(a.available for a in self._core.availability().values())

    # --- idle -----------------------------------------------------------------------------

    def show_idle_warning(self, seconds_left: int) -> None:
        self._idle_warning, self._idle_left = True, seconds_left
        self.idleChanged.emit()

    def idle_tick(self, seconds_left: int) -> None:
        self._idle_left = seconds_left
        self.idleChanged.emit()

    def set_screen_blank(self, blank: bool) -> None:
        self._screen_blank = blank
        self.screenBlankChanged.emit()

    def hide_idle_warning(self) -> None:
        if self._idle_warning:
            self._idle_warning = False
            self.idleChanged.emit()

    @Slot()
    def extendSession(self) -> None:
        self._session.extend()

    # --- help: call staff ------------------------------------------------------------------

    @Slot(str)
    def callStaff(self, journey: str) -> None:
        """The citizen asked for help: show that staff are called and record the call
        (kind "staff_call", wire.v1.StaffCallPayload; no personal data)."""
        self._session.begin()
        self._help_shown, self._help_queued = True, False
        self.helpChanged.emit()
        sink = getattr(self._core, "event_sink", None)
        if sink is None:
            return
        payload = {"reason": "help", "journey": journey or None,
                   "at": self._clock.now().isoformat()}
        if self._worker is None:
            from concurrent.futures import ThreadPoolExecutor   # not before the first frame
            self._worker = ThreadPoolExecutor(1, thread_name_prefix="shell")
        future = self._worker.submit(sink.enqueue, "staff_call", payload)
        self._bridge.deliver(future, lambda r: self._staffCallDone.emit(
            not isinstance(r, BaseException)))

    def _on_staff_call_done(self, queued: bool) -> None:
        if not queued:
            log.error("staff call could not be stored")
        self._help_queued = queued
        self.helpChanged.emit()

    @Slot()
    def closeHelp(self) -> None:
        self._help_shown = False
        self.helpChanged.emit()

    def close(self) -> None:
        self._tick.stop()
        if self._worker is not None:
            self._worker.shutdown(wait=False)

    def _update_time(self) -> None:
        now = self._clock.now().astimezone()
        if self._language == "en_US":
            day = f"{WEEKDAYS_EN[now.weekday()]} {now.day} {now:%b}"
        else:
            day = f"{now.month}月{now.day}日 {WEEKDAYS_ZH[now.weekday()]}"
        shown = (now.strftime("%H:%M"), day, self._session.seconds_until_wipe())
        if shown != (self._time_text, self._date_text, self._session_left):
            self._time_text, self._date_text, self._session_left = shown
            self.timeChanged.emit()
