"""Every device's counters, kept durably, and the recent history of its status.

Counted from the devices' own events (one listener on the registry): prints and cuts (every
job ends in a cut), card reads, face checks, door opens, paper rolls fitted (paper back to
full from low or out), errors by code (each time a device's status takes an error code),
and the guided fixes staff completed, by code. The counts survive a restart: they are kept
in one small JSON file, replaced whole (written, fsynced, renamed) on every change. The
history of status changes is for the maintenance pages and is kept in memory only.
"""
from __future__ import annotations

import json
import logging
import threading
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Mapping

from devices.model import DeviceEvent, StatusChanged
from foundation.clock import Clock
from offline_queue.fileio import replace_file

log = logging.getLogger(__name__)

FILE_NAME = "device-counters.json"
#: counters every device shows (0 until counted); errors and fixes are counted by code
COUNTERS = ("prints", "cuts", "rolls_fitted", "card_reads", "face_checks", "door_opens")
#: status changes kept per device for the maintenance pages
HISTORY_LENGTH = 50

#: device command -> counters one successful run adds (every print job ends in a cut)
COUNTED_COMMANDS: Mapping[str, tuple[str, ...]] = {"read": ("card_reads",)}
PRINT_COUNTERS = ("prints", "cuts")
#: device event -> counter
COUNTED_EVENTS: Mapping[str, str] = {"opened": "door_opens", "faceChecked": "face_checks"}
PAPER_REFILLED_FROM = frozenset({"low", "out"})


@dataclass(frozen=True)
class StatusEntry:
    at: datetime
    changes: Mapping[str, Any]


class DeviceCounters:
    def __init__(self, path: Path, clock: Clock) -> None:
        self.path = path
        self.clock = clock
        self._lock = threading.Lock()
        self._counts: dict[str, dict[str, Any]] = self._load()
        self._history: dict[str, deque[StatusEntry]] = {}
        self._paper: dict[str, str] = {}

    @classmethod
    def in_dir(cls, data_dir: Path, clock: Clock) -> "DeviceCounters":
        return cls(data_dir / FILE_NAME, clock)

    # --- reading ----------------------------------------------------------------

    def counts(self, device: str) -> dict[str, Any]:
        """The device's counters, every one named (0 when none yet), errors and fixes by code."""
        with self._lock:
            saved = self._counts.get(device, {})
            return {**{name: int(saved.get(name, 0)) for name in COUNTERS},
                    "errors": dict(saved.get("errors", {})), "fixes": dict(saved.get("fixes", {}))}

    def history(self, device: str) -> list[StatusEntry]:
        """The device's status changes since the kiosk started, oldest first."""
        with self._lock:
            return list(self._history.get(device, ()))

    # --- counting ---------------------------------------------------------------

    def listen(self, subscribe: Callable[[Callable[[DeviceEvent], None]], Any]) -> Any:
        return subscribe(self.on_event)

    def on_event(self, event: DeviceEvent) -> None:
        if isinstance(event, StatusChanged):
            self._status_changed(event)
        elif event.name == "completed":
            command = str(event.data.get("command", ""))
            counted = PRINT_COUNTERS if command.startswith("print ") \
                else COUNTED_COMMANDS.get(command, ())
            for counter in counted:
                self._add(event.device, counter)
        elif event.name in COUNTED_EVENTS:
            self._add(event.device, COUNTED_EVENTS[event.name])

    def record_fix(self, device: str, code: str) -> None:
        """A guided fix of error `code` confirmed by the device's status returning to ok."""
        self._add(device, "fixes", code)

    def _status_changed(self, event: StatusChanged) -> None:
        changes = event.changes
        with self._lock:
            self._history.setdefault(event.device, deque(maxlen=HISTORY_LENGTH)).append(
                StatusEntry(event.status.last_change or self.clock.now(), dict(changes)))
            before = self._paper.get(event.device, "")
            paper = str(event.status.units.get("paper", ""))
            self._paper[event.device] = paper
        if changes.get("error_code"):
            self._add(event.device, "errors", str(changes["error_code"]))
        if "units" in changes and paper == "full" and before in PAPER_REFILLED_FROM:
            self._add(event.device, "rolls_fitted")

    def _add(self, device: str, counter: str, code: str | None = None) -> None:
        with self._lock:
            counts = self._counts.setdefault(device, {})
            if code is None:
                counts[counter] = int(counts.get(counter, 0)) + 1
            else:
                by_code = counts.setdefault(counter, {})
                by_code[code] = int(by_code.get(code, 0)) + 1
            data = json.dumps(self._counts, sort_keys=True).encode()
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                replace_file(self.path, data)
            except OSError as error:  # counting must never stop a device
                log.warning("device counters not saved", extra={"reason": str(error)})

    def _load(self) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as error:
            log.warning("device counters unreadable: counting again from zero",
                        extra={"file": str(self.path), "reason": str(error)})
            return {}
        return {str(k): v for k, v in data.items() if isinstance(v, dict)} \
            if isinstance(data, dict) else {}
