"""Service guide (智能咨询): questions answered from the catalogue and its FAQ, with the same
search as the catalogue (Chinese without spaces, Pinyin initials, synonyms, English)."""
from __future__ import annotations

from kiosk.catalogue import Faq, ServiceItem
from kiosk.journeys.base import Journey, JourneyState
from kiosk.journeys.ports import JourneyServices
from kiosk.search import SearchHit


class GuideState(JourneyState):
    ASK = ("ask", "ask")
    ANSWERS = ("answers", "ask")
    ANSWER = ("answer", "answer")
    ITEM = ("item", "answer")
    ENDED = ("ended", "end")


S = GuideState


class GuideJourney(Journey[GuideState]):
    name = "guide"
    State = GuideState
    steps = ("ask", "answer")
    personal = ("question",)   # what someone asks can be personal ("my divorce")

    def __init__(self, services: JourneyServices) -> None:
        super().__init__(services)
        self.hits: list[SearchHit] = []
        self.faq: Faq | None = None
        self.item: ServiceItem | None = None

    def initial_state(self) -> GuideState:
        return S.ASK

    def _reset_personal(self) -> None:
        self.question = ""
        self.hits = []

    def ask(self, question: str) -> None:
        self._require(S.ASK, S.ANSWERS)
        self.question = question
        self.hits = self.services.search.search(question, limit=8)
        if not question.strip():
            return self._go(S.ASK)
        self._go(S.ANSWERS, "" if self.hits else "no_answer")

    def open_hit(self, index: int) -> None:
        self._require(S.ANSWERS)
        hit = self.hits[index]
        self.faq, self.item = hit.faq, hit.item
        self._go(S.ANSWER if hit.kind == "faq" else S.ITEM)

    def open_item(self) -> None:
        """From an FAQ answer to its item's guide."""
        self._require(S.ANSWER)
        if self.item is not None:
            self._go(S.ITEM)

    def item_url(self) -> str:
        return self.services.settings.guide_url.format(task_code=self.item.task_code)

    def back(self) -> None:
        self._require(S.ANSWERS, S.ANSWER, S.ITEM)
        self._go(S.ANSWERS if self.state is not S.ANSWERS else S.ASK)

    def apply_handoff(self) -> str:
        """The item to open in the apply journey ("Apply now"); ends this one."""
        self._require(S.ITEM)
        code = self.item.task_code
        self.finish()
        return code
