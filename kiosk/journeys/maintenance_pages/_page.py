"""What the diagnostics pages share: who opened them, the core's diagnostics, and the
removable media they may export to."""
from __future__ import annotations

from pathlib import Path

from kiosk.diagnostics import Diagnostics
from kiosk.journeys.base import Journey, JourneyActionRefused
from kiosk.journeys.ports import JourneyServices


class StaffPage(Journey):
    def __init__(self, services: JourneyServices, *, role: str, staff_id: str) -> None:
        self.role, self.staff_id = role, staff_id
        super().__init__(services)

    @property
    def diagnostics(self) -> Diagnostics:
        return self.services.diagnostics

    def _reset_personal(self) -> None:
        """Counts, statuses, paths and log lines: nothing personal to wipe."""

    def media(self) -> list[Path]:
        """Mounted removable media a technician may export to."""
        return self.diagnostics.removable_media()

    def _on_media(self, directory: str) -> Path:
        target = Path(directory)
        if not any(target == m or m in target.parents for m in self.media()):
            raise JourneyActionRefused(f"{self.name}: {directory} is not on removable media")
        return target
