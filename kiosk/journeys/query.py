"""Query (查询): after identification, the citizen's cases from the server, and the
documents kept on file from their own scans (零材料), each of which they may have deleted
(consent withdrawn, asked once more first); offline, the applications made at this kiosk
that have not reached the server yet, and it says so."""
from __future__ import annotations

from kiosk.journeys.base import Journey, JourneyState
from kiosk.journeys.identify import IdentifyJourney
from kiosk.journeys.ports import Identified, JourneyServices, ServerUnavailable
from wire.v1 import CaseSummary, CertificateOnFile


class QueryState(JourneyState):
    IDENTIFY = ("identify", "identify")
    LOADING = ("loading", "cases")
    CASES = ("cases", "cases")
    LOCAL_CASES = ("local_cases", "cases")   # offline: only this kiosk's unsent ones
    CONFIRM_WITHDRAW = ("confirm_withdraw", "cases")
    WITHDRAWING = ("withdrawing", "cases")
    ENDED = ("ended", "end")


S = QueryState


class QueryJourney(Journey[QueryState]):
    name = "query"
    State = QueryState
    steps = ("identify", "cases")
    personal = ("identified", "cases", "kept", "withdrawing")

    def __init__(self, services: JourneyServices) -> None:
        self.identify = IdentifyJourney(services, on_identified=self._identified)
        super().__init__(services)
        self.identify.subscribe(lambda _child: self._notify())

    def initial_state(self) -> QueryState:
        return S.IDENTIFY

    def _reset_personal(self) -> None:
        self.identified: Identified | None = None
        self.cases: list[CaseSummary] = []
        #: documents kept on file from the citizen's scans (consent they may withdraw)
        self.kept: list[CertificateOnFile] = []
        self.withdrawing: CertificateOnFile | None = None

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
        self._after(self.services.citizen.certificates(self.identified, []), self._kept_found,
                    lambda error: self._go(S.CASES))   # the cases are shown all the same

    def _kept_found(self, certificates: list[CertificateOnFile]) -> None:
        self.kept = [c for c in certificates if c.withdrawable]
        self._go(S.CASES)

    def withdraw_certificate(self, certificate_id: str) -> None:
        """Delete a document kept on file: asked once more first."""
        self._require(S.CASES)
        self.withdrawing = next(c for c in self.kept if c.certificate_id == certificate_id)
        self._go(S.CONFIRM_WITHDRAW)

    def keep_certificate(self) -> None:
        """Not deleted after all."""
        self._require(S.CONFIRM_WITHDRAW)
        self.withdrawing = None
        self._go(S.CASES)

    def confirm_withdraw(self) -> None:
        self._require(S.CONFIRM_WITHDRAW)
        self._go(S.WITHDRAWING)
        self._after(self.services.citizen.withdraw_certificate(
            self.identified, self.withdrawing.certificate_id), self._withdrawn,
            lambda error: self._go(S.CASES, "withdraw_failed"))

    def _withdrawn(self, remaining: list[CertificateOnFile]) -> None:
        self.kept = [c for c in remaining if c.withdrawable]
        self.withdrawing = None
        self._go(S.CASES, "certificate_withdrawn")

    def _failed(self, error: BaseException) -> None:
        self._local("offline" if isinstance(error, ServerUnavailable) else "server_error")

    def _local(self, problem: str = "offline") -> None:
        self.cases = self.services.pending.pending_for(self.identified)
        self._go(S.LOCAL_CASES, problem)

    def finish(self) -> None:
        self._require(S.CASES, S.LOCAL_CASES)
        super().finish()
