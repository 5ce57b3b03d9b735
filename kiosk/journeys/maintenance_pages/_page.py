"""What the diagnostics pages share: who opened them, the core's diagnostics, and the
removable media they may export to."""
from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from kiosk.diagnostics import Diagnostics
from kiosk.journeys.base import Journey, JourneyActionRefused
from kiosk.journeys.ports import JourneyServices

#: where removable media are mounted (udisks: /media/<user>/<label>, /run/media/<user>/<label>)
MEDIA_ROOTS = (Path("/media"), Path("/run/media"))


class StaffPage(Journey):
    media_roots: ClassVar[tuple[Path, ...]] = MEDIA_ROOTS

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
        found = []
        for root in self.media_roots:
            try:
                found += [volume for user in sorted(root.iterdir()) if user.is_dir()
                          for volume in sorted(user.iterdir()) if volume.is_dir()]
            except OSError:
                continue
        return found

    def _on_media(self, directory: str) -> Path:
        target = Path(directory)
        if not any(target == m or m in target.parents for m in self.media()):
            raise JourneyActionRefused(f"{self.name}: {directory} is not on removable media")
        return target
