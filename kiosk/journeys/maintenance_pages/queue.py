"""The queue page (technicians): depth, oldest unsent, last error; sync now; retry the items
set aside; export the undelivered items, still encrypted, to removable media with progress
(read back by `kiosk queue check DIR`)."""
from __future__ import annotations

from typing import Any, ClassVar

from kiosk.journeys.base import JourneyState
from kiosk.journeys.maintenance_pages._page import StaffPage
from kiosk.journeys.ports import JourneyServices


class QueueState(JourneyState):
    OVERVIEW = ("overview", "page")
    WORKING = ("working", "page")
    EXPORTING = ("exporting", "page")
    DONE = ("done", "page")
    ENDED = ("ended", "end")


S = QueueState


class QueuePage(StaffPage):
    name = "queue"
    State = QueueState
    actions: ClassVar[frozenset[str]] = frozenset({
        "sync_now", "retry_set_aside", "export", "back", "finish"})

    def __init__(self, services: JourneyServices, *, role: str, staff_id: str) -> None:
        self.outcome: dict[str, Any] = {}
        self.progress = (0, 0)
        super().__init__(services, role=role, staff_id=staff_id)

    def initial_state(self) -> QueueState:
        return S.OVERVIEW

    def status(self) -> dict[str, Any] | None:
        return self.diagnostics.queue_status()

    def sync_now(self) -> None:
        self._require(S.OVERVIEW, S.DONE)
        self._run("sync", self.diagnostics.sync_now)

    def retry_set_aside(self) -> None:
        self._require(S.OVERVIEW, S.DONE)
        self._run("retry", lambda: {"released": self.diagnostics.retry_set_aside(),
                                    **self.diagnostics.sync_now()})

    def export(self, directory: str) -> None:
        """Export to a directory on one of the mounted removable media."""
        self._require(S.OVERVIEW, S.DONE)
        target = self._on_media(directory)
        self.progress = (0, 0)

        def progress(done: int, total: int) -> None:
            def show() -> None:
                if self.state is S.EXPORTING:
                    self.progress = (done, total)
                    self._notify()
            self.services.post(show)
        self._run("export", lambda: {"exported": self.diagnostics.export_queue(
            target, progress, role=self.role, staff_id=self.staff_id),
            "directory": str(target)}, S.EXPORTING)

    def _run(self, what: str, work, state: QueueState = S.WORKING) -> None:
        self.outcome = {"what": what}
        self._go(state)
        self._after(self.services.background(work), self._done, self._failed)

    def _done(self, value: dict[str, Any]) -> None:
        self.outcome = {**self.outcome, "ok": value.get("ok", True), **value}
        self._go(S.DONE)

    def _failed(self, error: BaseException) -> None:
        self.outcome = {**self.outcome, "ok": False, "error": str(error)}
        self._go(S.DONE)

    def back(self) -> None:
        self._require(S.DONE)
        self._go(S.OVERVIEW)
