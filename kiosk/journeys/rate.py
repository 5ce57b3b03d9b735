"""Rating (好差评): five levels with words, optional indicator chips and a comment; skippable;
sent through the event sink. Offered after every completed service, or from the tile."""
from __future__ import annotations

from kiosk.journeys.base import Journey, JourneyActionRefused, JourneyState
from kiosk.journeys.ports import JourneyServices

#: 国办发〔2019〕51号: 5 非常满意 .. 1 非常不满意
LEVELS = {5: ("非常满意", "Very satisfied"), 4: ("满意", "Satisfied"),
          3: ("基本满意", "Fairly satisfied"), 2: ("不满意", "Dissatisfied"),
          1: ("非常不满意", "Very dissatisfied")}
INDICATOR_SET_VERSION = "kiosk-2019-51"
MAX_COMMENT = 500


class RateState(JourneyState):
    LEVEL = ("level", "rate")
    DETAILS = ("details", "rate")
    SENDING = ("sending", "rate")
    THANKS = ("thanks", "done")
    ENDED = ("ended", "end")


S = RateState


class RateJourney(Journey[RateState]):
    name = "rate"
    State = RateState
    steps = ("rate",)
    committing = frozenset({"sending"})
    personal = ("comment", "case_number")

    def __init__(self, services: JourneyServices, *, case_number: str = "",
                 service_code: str = "") -> None:
        super().__init__(services)
        self.case_number = case_number
        self.service_code = service_code
        self.level = 0
        self.indicators: list[str] = []

    def initial_state(self) -> RateState:
        return S.LEVEL

    def _reset_personal(self) -> None:
        self.comment = ""
        self.case_number = ""

    def choose_level(self, level: int) -> None:
        self._require(S.LEVEL, S.DETAILS)
        if level not in LEVELS:
            raise JourneyActionRefused(f"rating level {level} is not 1..5")
        self.level = level
        self._go(S.DETAILS)

    def toggle_indicator(self, indicator: str) -> None:
        self._require(S.DETAILS)
        if indicator not in self.services.settings.rating_indicators:
            raise JourneyActionRefused(f"unknown indicator {indicator!r}")
        if indicator in self.indicators:
            self.indicators.remove(indicator)
        else:
            self.indicators.append(indicator)
        self._go(S.DETAILS)

    def set_comment(self, text: str) -> None:
        self._require(S.DETAILS)
        self.comment = text[:MAX_COMMENT]
        self._go(S.DETAILS)

    def send(self) -> None:
        self._require(S.DETAILS)
        payload = {"case_number": self.case_number or None,
                   "service_code": self.service_code or None, "target": "kiosk",
                   "level": self.level, "indicator_set_version": INDICATOR_SET_VERSION,
                   "indicators": list(self.indicators), "comment": self.comment.strip(),
                   "rated_at": self.services.clock.now().isoformat()}
        self._go(S.SENDING)
        events = self.services.events
        self._after(self.services.background(lambda: events.enqueue("rating", payload)),
                    lambda _enqueued: self._go(S.THANKS),
                    lambda _error: self._go(S.THANKS, "not_saved"))

    def skip(self) -> None:
        """Skipping is always allowed and records nothing."""
        self.cancel()

    def finish(self) -> None:
        self._require(S.THANKS)
        super().finish()
