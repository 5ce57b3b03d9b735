"""How many times the kiosk app ended without stopping cleanly (a crash, the hang guard, a
power cut): a marker is written at start and removed at a clean stop; a start that finds it
counts one. Reported (`crashes`) so a staged rollout's canary is judged by it."""
from __future__ import annotations

from pathlib import Path

from offline_queue.fileio import write_durably


class UncleanEnds:
    def __init__(self, data_dir: Path) -> None:
        self._marker = data_dir / "running"
        self._count = data_dir / "unclean-ends"

    @property
    def count(self) -> int:
        try:
            return int(self._count.read_text())
        except (FileNotFoundError, ValueError):
            return 0

    def started(self) -> None:
        if self._marker.exists():
            write_durably(self._count, str(self.count + 1).encode())
        write_durably(self._marker, b"")

    def stopped(self) -> None:
        self._marker.unlink(missing_ok=True)
