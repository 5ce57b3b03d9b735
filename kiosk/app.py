"""Composition root: configuration -> logging -> devices -> event sink -> availability.

`KioskCore` is everything the kiosk is without a screen; `ui/` renders it, the CLI
commands inspect it, tests drive it with a `TestClock`.
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Callable

from devices.model import DeviceEvent
from devices.registry import DeviceRegistry, build_registry
from kiosk.availability import JourneyAvailability, journey_availability
from kiosk.clock import Clock, SystemClock
from kiosk.config import LoadedConfig
from kiosk.events import EventSink

log = logging.getLogger(__name__)

AvailabilityListener = Callable[[dict[str, JourneyAvailability]], None]


class KioskCore:
    def __init__(self, loaded: LoadedConfig, data_dir: Path, devices: DeviceRegistry, *,
                 clock: Clock, event_sink: EventSink | None) -> None:
        self.loaded = loaded
        self.config = loaded.config
        self.data_dir = data_dir
        self.devices = devices
        self.clock = clock
        self.event_sink = event_sink
        self.server_reachable = True
        self._listeners: list[AvailabilityListener] = []
        self._last: dict[str, JourneyAvailability] = {}
        self._lock = threading.Lock()
        self._unsubscribe = devices.subscribe(self._on_device_event)

    @classmethod
    def create(cls, loaded: LoadedConfig, data_dir: Path, *, clock: Clock | None = None,
               event_sink: EventSink | None = None) -> "KioskCore":
        clock = clock or SystemClock()
        data_dir.mkdir(parents=True, exist_ok=True)
        devices = build_registry(loaded.devices, loaded.config.roles, clock=clock)
        if loaded.site_file is None:
            log.warning("no site configuration: every device uses its simulator",
                        extra={"simulated": loaded.simulated_devices})
        elif loaded.simulated_devices:
            log.warning("some devices use their simulator",
                        extra={"simulated": loaded.simulated_devices})
        return cls(loaded, data_dir, devices, clock=clock, event_sink=event_sink)

    # --- lifecycle -------------------------------------------------------------

    def start(self) -> None:
        self.devices.start()

    def stop(self) -> None:
        self._unsubscribe()
        self.devices.stop()

    # --- availability ------------------------------------------------------------

    def availability(self) -> dict[str, JourneyAvailability]:
        return journey_availability(self.devices, self.config.kiosk.journeys,
                                    server_reachable=self.server_reachable)

    def subscribe(self, listener: AvailabilityListener) -> Callable[[], None]:
        """`listener(availability)` runs (on a device worker thread) whenever it changes."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def set_server_reachable(self, reachable: bool) -> None:
        self.server_reachable = reachable
        self._republish()

    def _on_device_event(self, event: DeviceEvent) -> None:
        if event.name == "statusChanged":
            self._republish()

    def _republish(self) -> None:
        current = self.availability()
        with self._lock:
            if current == self._last:
                return
            self._last = current
        for listener in list(self._listeners):
            listener(current)
