"""The configuration page (technicians): every effective value with the file it comes from;
a changed site file validated and applied: keys that apply live do so at once, the others
are listed as needing a restart; a file that does not validate is refused with the key, the
file and the fix."""
from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from foundation.config_files import ConfigError
from kiosk.diagnostics import SiteFileChange
from kiosk.journeys.base import JourneyActionRefused, JourneyState
from kiosk.journeys.maintenance_pages._page import StaffPage
from kiosk.journeys.ports import JourneyServices


class ConfigurationState(JourneyState):
    VALUES = ("values", "page")
    APPLIED = ("applied", "page")
    REFUSED = ("refused", "page")
    ENDED = ("ended", "end")


class ConfigurationPage(StaffPage):
    name = "configuration"
    State = ConfigurationState
    actions: ClassVar[frozenset[str]] = frozenset({"apply_site_file", "back", "finish"})

    def __init__(self, services: JourneyServices, *, role: str, staff_id: str) -> None:
        self.change: SiteFileChange | None = None
        self.refusal: ConfigError | None = None
        super().__init__(services, role=role, staff_id=staff_id)

    def initial_state(self) -> ConfigurationState:
        return ConfigurationState.VALUES

    def site_file(self) -> Path | None:
        return self.diagnostics.site_file()

    def apply_site_file(self) -> None:
        """Validate the kiosk's site file as it is on disk now and apply it."""
        self._require(ConfigurationState.VALUES)
        path = self.site_file()
        if path is None:
            raise JourneyActionRefused("configuration: this kiosk runs without a site file")
        try:
            self.change = self.diagnostics.apply_site_file(path, role=self.role,
                                                           staff_id=self.staff_id)
        except ConfigError as error:
            self.refusal = error
            self._go(ConfigurationState.REFUSED)
            return
        self._go(ConfigurationState.APPLIED)

    def back(self) -> None:
        self._require(ConfigurationState.APPLIED, ConfigurationState.REFUSED)
        self.change, self.refusal = None, None
        self._go(ConfigurationState.VALUES)
