"""How each maintenance page (`kiosk.journeys.maintenance_pages`) looks: its snapshot for the
screens and its screens (state -> QML file, named `<page>_<state>` inside the maintenance
journey, as identification's are `identify_<state>`)."""
from __future__ import annotations

from typing import Any, Callable

#: page key -> snapshot(page journey) in the vocabulary of ui.journeys.present
PAGE_SNAPSHOTS: dict[str, Callable[[Any], dict[str, Any]]] = {}
#: page key -> {state: QML file}
PAGE_SCREENS: dict[str, dict[str, str]] = {}


def _register() -> None:
    from ui.journeys.maintenance import configuration, devices, lockers, logs, queue
    for name, module in (("devices", devices), ("consumables", devices), ("queue", queue),
                         ("configuration", configuration), ("logs", logs),
                         ("lockers", lockers)):
        PAGE_SNAPSHOTS[name] = module.snapshot
        PAGE_SCREENS[name] = module.SCREENS
    PAGE_SCREENS["consumables"] = devices.CONSUMABLES_SCREENS


_register()
