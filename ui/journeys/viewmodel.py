"""One view-model class bridges any journey state machine to its QML screens.

`state` is the screen name (`present.screen_state`), `data` the snapshot the screens bind
to, `act(name, args)` the citizen's actions (only those the journey allows). A journey
may hand over to a follow-up when it completes (apply -> rating, guide -> apply); the
follow-up's screens are named with its prefix ("rate_level").
"""
from __future__ import annotations

import base64
import json
import logging
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable

from PySide6.QtCore import Property, QBuffer, QByteArray, QIODevice, QObject, QTimer, Signal, \
    Slot
from PySide6.QtGui import QImage

from kiosk.journeys.base import EndReason, Journey, JourneyActionRefused
from kiosk.journeys.ports import JourneyServices
from ui.journeys.present import screen_state, snapshot

log = logging.getLogger(__name__)

#: actions the screens may call, per journey (method names; "identify." for the embedded
#: identification; "page." for a maintenance page, whose class names its own `actions`)
ACTIONS = {
    "identify": {"choose_resident_id", "choose_passport", "enter_mrz", "scan_mrz", "retry_face",
                 "call_staff", "back", "accept_face_check", "decline_face_check"},
    "apply": {"open_category", "suggest", "search", "choose_item", "apply_now", "set_value", "next_page",
              "back", "use_on_file", "keep_on_file", "start_scan", "stop_scan", "take_picture", "defer", "skip",
              "undo", "materials_done", "choose_channel", "sign", "agree", "edit_page",
              "edit_materials", "submit", "finish"},
    "query": {"withdraw_certificate", "keep_certificate", "confirm_withdraw", "finish"},
    "supply": {"scan_receipt", "identify_me", "start_scan", "stop_scan", "take_picture", "undo",
               "materials_done", "back", "finish"},
    "pickup": {"choose_identify", "choose_code", "enter_code", "back", "try_again", "finish"},
    "ticket": {"choose_check_in", "enter_booking", "scan_booking", "choose_ticket", "take",
               "back", "finish"},
    "rate": {"choose_level", "toggle_indicator", "set_comment", "send", "skip", "finish"},
    "guide": {"ask", "open_hit", "open_item", "back", "apply_handoff"},
    "maintenance": {"sign_in", "use_card", "open_page", "leave"},
}

_background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="journey-background")


def run_in_background(fn: Callable[[], Any]) -> Future:
    return _background.submit(fn)


#: screens that show the live camera, and which port's preview they show
PREVIEWS = {"identify_face_check": "face", "face_check": "face", "scan": "scanner"}
PREVIEW_INTERVAL_MS = 200
PREVIEW_WIDTH = 480


def preview_data_url(image: Any) -> str:
    """A BGR frame (numpy) as a small JPEG data URL for an Image element; empty for None."""
    if image is None:
        return ""
    height, width = image.shape[:2]
    frame = QImage(image.data, width, height, image.strides[0], QImage.Format.Format_BGR888)
    frame = frame.scaledToWidth(PREVIEW_WIDTH)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    frame.save(buffer, "JPEG", 70)
    return "data:image/jpeg;base64," + bytes(data.toBase64()).decode()


def decode_signature(data_url: str) -> bytes:
    """The signature pad's `toDataURL()` PNG as bytes (empty for an empty pad)."""
    if not data_url:
        return b""
    _header, _sep, payload = data_url.partition(",")
    return base64.b64decode(payload)


class JourneyViewModel(QObject):
    stateChanged = Signal()
    dataChanged = Signal()
    previewChanged = Signal()
    finished = Signal()

    def __init__(self, journey_factory: Callable[[JourneyServices], Journey],
                 services: JourneyServices, *,
                 follow_up: Callable[[Journey, dict | None], tuple[str, Journey] | None]
                 = lambda journey, context: None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self._follow_up = follow_up
        self._prefix = ""
        self._wiping = False
        self._state = ""
        self._data: dict[str, Any] = {}
        self._json = "{}"
        #: the live camera picture while a face check or scan runs (personal: never kept)
        self._preview = ""
        self._preview_timer = QTimer(self)
        self._preview_timer.setInterval(PREVIEW_INTERVAL_MS)
        self._preview_timer.timeout.connect(self._refresh_preview)
        self._ended: list[Journey] = []
        #: what a follow-up refers to (case number for the rating), taken before the wipe
        self._handover: dict[str, str] | None = None
        self._attach(journey_factory(services))

    # --- journey plumbing ----------------------------------------------------------------

    def _attach(self, journey: Journey) -> None:
        self.journey = journey
        journey.subscribe(lambda _j: self.services.post(self._refresh))
        self._refresh()

    def _refresh(self) -> None:
        journey = self.journey
        if journey.ended and not self._wiping:
            if journey.end_reason is EndReason.COMPLETED:
                nxt = self._follow_up(journey, self._handover)
                self._handover = None
                if nxt is not None:
                    self._ended.append(journey)
                    self._prefix, follow = nxt
                    return self._attach(follow)
            self._publish()
            self.finished.emit()
            return
        self._publish()

    def _publish(self) -> None:
        state = self._prefix + screen_state(self.journey)
        self._data = snapshot(self.journey) if not self.journey.ended else {}
        self._json = json.dumps(self._data, ensure_ascii=False)
        self.dataChanged.emit()
        if state != self._state:
            self._state = state
            self._follow_preview()
            self.stateChanged.emit()

    def _preview_port(self) -> Any:
        source = PREVIEWS.get(screen_state(self.journey)) if not self.journey.ended else None
        return getattr(self.services, source, None) if source else None

    def _follow_preview(self) -> None:
        if self._preview_port() is not None:
            self._preview_timer.start()
        else:
            self._preview_timer.stop()
            self._set_preview("")

    # a declared slot: connected to a method that is not one, PySide gives each view-model a
    # meta-object of its own, and the QML engine keeps a property cache for each for good
    @Slot()
    def _refresh_preview(self) -> None:
        port = self._preview_port()
        preview = getattr(port, "preview", None)
        self._set_preview(preview_data_url(preview()) if callable(preview) else "")

    def _set_preview(self, url: str) -> None:
        if url != self._preview:
            self._preview = url
            self.previewChanged.emit()

    # --- what QML reads -------------------------------------------------------------------

    def _get_state(self) -> str:
        return self._state

    def _get_json(self) -> str:
        return self._json

    @property
    def snapshot(self) -> dict[str, Any]:
        """What the screens show now (the parsed `dataJson`)."""
        return self._data

    def _get_step(self) -> int:
        return int(self._data.get("step", {}).get("index", 0))

    def _get_step_count(self) -> int:
        return int(self._data.get("step", {}).get("count", 0))

    state = Property(str, _get_state, notify=stateChanged)
    # the snapshot crosses to QML as JSON text: PySide6 6.12 on Python 3.11 mis-counts
    # references to True/False when it converts nested maps holding them (the process
    # aborts at exit), so no Python container is converted on every change
    dataJson = Property(str, _get_json, notify=dataChanged)
    step = Property(int, _get_step, notify=dataChanged)
    preview = Property(str, lambda self: self._preview, notify=previewChanged)
    stepCount = Property(int, _get_step_count, notify=dataChanged)
    #: handing over what the citizen gave (submitting, sending, opening): no Back or Home now
    committing = Property(bool, lambda self: self.journey.is_committing, notify=dataChanged)

    # --- what QML calls -------------------------------------------------------------------

    @Slot(str, "QVariantList")
    def act(self, name: str, args: list) -> None:
        journey, method = self.journey, name
        allowed = ACTIONS.get(journey.name, ())
        if name.startswith("identify."):
            journey, method = getattr(self.journey, "identify", None), name.split(".", 1)[1]
            allowed = ACTIONS["identify"]
        elif name.startswith("page."):
            journey, method = getattr(self.journey, "page", None), name.split(".", 1)[1]
            allowed = getattr(journey, "actions", ())
        if journey is None or method not in allowed:
            log.error("screen asked for an action the journey does not offer",
                      extra={"journey": self.journey.name, "action": name})
            return
        if method == "finish" and hasattr(journey, "rating_context"):
            self._handover = journey.rating_context()
        if method == "sign":
            args = [decode_signature(str(args[0]) if args else "")]
        try:
            result = getattr(journey, method)(*args)
        except JourneyActionRefused as error:
            log.warning("action refused in this state", extra={"action": name,
                                                               "reason": str(error)})
            return
        if method == "apply_handoff":
            self._hand_over_to_apply(result)

    def _hand_over_to_apply(self, task_code: str) -> None:
        from kiosk.journeys.apply import ApplyJourney
        self._ended.append(self.journey)
        self._prefix = "apply_"
        apply = ApplyJourney(self.services)
        apply.choose_item(task_code)
        self._attach(apply)

    @Slot(result=bool)
    def back(self) -> bool:
        """The fixed bar's Back: one step back, or False to let the navigator go Home."""
        journey = self.journey
        child = getattr(journey, "identify", None)
        # inside a maintenance page, the maintenance journey's back() steps within the page
        target = child if (journey.state.value == "identify" and child is not None) else journey
        step_back = getattr(target, "back", None)
        if step_back is None:
            return False
        try:
            step_back()
        except JourneyActionRefused:
            return False
        return True

    @Slot()
    def wipe(self) -> None:
        """Forget everything personal (Home, idle timeout, end of session)."""
        self._wiping = True
        for journey in (*self._ended, self.journey):
            journey.cancel()
        self._data = {}
        self._json = "{}"
        self._preview_timer.stop()
        self._set_preview("")
        self.dataChanged.emit()

    def personal_data_present(self) -> list[str]:
        found = ["view_model.preview"] if self._preview else []
        for journey in (*self._ended, self.journey):
            found += journey.personal_data_present()
        return found
