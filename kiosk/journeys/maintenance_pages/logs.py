"""The logs page (technicians): the recent lines of the kiosk's log (already free of personal
data), and an export of the log files to removable media (audited)."""
from __future__ import annotations

from typing import Any, ClassVar

from kiosk.journeys.base import JourneyState
from kiosk.journeys.maintenance_pages._page import StaffPage
from kiosk.journeys.ports import JourneyServices


class LogsState(JourneyState):
    RECENT = ("recent", "page")
    EXPORTED = ("exported", "page")
    ENDED = ("ended", "end")


class LogsPage(StaffPage):
    name = "logs"
    State = LogsState
    actions: ClassVar[frozenset[str]] = frozenset({"export", "back", "finish"})

    def __init__(self, services: JourneyServices, *, role: str, staff_id: str) -> None:
        self.outcome: dict[str, Any] = {}
        super().__init__(services, role=role, staff_id=staff_id)

    def initial_state(self) -> LogsState:
        return LogsState.RECENT

    def lines(self) -> list[str]:
        return self.diagnostics.recent_log_lines()

    def export(self, directory: str) -> None:
        self._require(LogsState.RECENT)
        target = self._on_media(directory)
        files = self.diagnostics.export_logs(target, role=self.role, staff_id=self.staff_id)
        self.outcome = {"files": files, "directory": str(target)}
        self._go(LogsState.EXPORTED)

    def back(self) -> None:
        self._require(LogsState.EXPORTED)
        self._go(LogsState.RECENT)
