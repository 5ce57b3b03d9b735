"""Query (查询): after identification, the citizen's cases from the server; offline, the
applications made at this kiosk that have not reached the server yet, and it says so."""
from __future__ import annotations

from kiosk.journeys.base import Journey, JourneyState
from kiosk.journeys.identify import IdentifyJourney
from kiosk.journeys.ports import Identified, JourneyServices, ServerUnavailable
from wire.v1 import CaseSummary


class QueryState(JourneyState):
    IDENTIFY = ("identify", "identify")
    LOADING = ("loading", "cases")
    CASES = ("cases", "cases")
    LOCAL_CASES = ("local_cases", "cases")   # offline: only this kiosk's unsent ones
    ENDED = ("ended", "end")


S = QueryState


class QueryJourney(Journey[QueryState]):
    name = "query"
    State = QueryState
    steps = ("identify", "cases")
    personal = ("identified", "cases")

    def __init__(self, services: JourneyServices) -> None:
        self.identify = IdentifyJourney(services, on_identified=self._identified)
        super().__init__(services)
        self.identify.subscribe(lambda _child: self._notify())

    def initial_state(self) -> QueryState:
        return S.IDENTIFY

    def _reset_personal(self) -> None:
        self.identified: Identified | None = None
        self.cases: list[CaseSummary] = []

    def children(self) -> list[Journey]:
        return [self.identify]

    def _identified(self, who: Identified) -> None:
        self.identified = who
        if not self.services.online():
            return self._local()
        self._go(S.LOADING)
        self._after(self.services.citizen.cases(who), self._loaded, self._failed)

    def _loaded(self, cases: list[CaseSummary]) -> None:
        self.cases = sorted(cases, key=lambda c: c.submitted_at, reverse=True)
        self._go(S.CASES)

    def _failed(self, error: BaseException) -> None:
        self._local("offline" if isinstance(error, ServerUnavailable) else "server_error")

    def _local(self, problem: str = "offline") -> None:
        self.cases = self.services.pending.pending_for(self.identified)
        self._go(S.LOCAL_CASES, problem)

    def finish(self) -> None:
        self._require(S.CASES, S.LOCAL_CASES)
        super().finish()
