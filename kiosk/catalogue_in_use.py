"""The catalogue the journeys use: the bundled one (`config/catalogue/`) until the district's
first pushed catalogue is applied, then always the latest pushed one that loads.

A journey takes an `CatalogueEdition` (catalogue + its search index) when it starts and keeps
it to the end, so a citizen mid-session never sees items change under them, and what they
submit names the version they saw. A new edition is put in place between sessions, when the
desired state naming it is applied (`offline_queue.desired_state`), without a restart. A
pushed catalogue this kiosk cannot load is refused: the edition in use stays, and the
refusal is reported (`KioskCore.reported`) so the district sees which version the kiosk really uses.
"""
from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Literal

from kiosk.catalogue import Catalogue, CatalogueError, catalogue_from_mapping, load_catalogue
from kiosk.search import SearchIndex
from wire.calendar import WorkingDayCalendar

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CatalogueEdition:
    catalogue: Catalogue
    search: SearchIndex
    origin: Literal["bundled", "district"]

    @property
    def version(self) -> str:
        return self.catalogue.version

    @cached_property
    def calendar(self) -> WorkingDayCalendar:
        """The district's working days, as its catalogue carries them."""
        days = self.catalogue.data.calendar
        return WorkingDayCalendar(days.holidays, days.workdays)

    @staticmethod
    def of(catalogue: Catalogue, origin: Literal["bundled", "district"]) -> "CatalogueEdition":
        return CatalogueEdition(catalogue, SearchIndex(catalogue), origin)


@lru_cache(maxsize=1)
def bundled_edition() -> CatalogueEdition:
    """The catalogue shipped with the kiosk (read-only, so one copy serves every core)."""
    return CatalogueEdition.of(load_catalogue(), "bundled")


def load_pushed(path: Path, version: str) -> Catalogue:
    """The district's catalogue as stored beside its desired state (canonical JSON of
    wire.v1.Catalogue); CatalogueError when it is unreadable or not the version named."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError) as error:
        raise CatalogueError(f"catalogue {version}: {path}: {error}") from None
    catalogue = catalogue_from_mapping(data, source=f"catalogue {version}")
    if catalogue.version != version:
        raise CatalogueError(f"catalogue {version}: the file holds version {catalogue.version}")
    return catalogue


class CatalogueInUse:
    def __init__(self) -> None:
        self._edition: CatalogueEdition | None = None
        self._lock = threading.Lock()
        #: why the last pushed catalogue was refused; None once one is applied
        self.refused: str | None = None

    def edition(self) -> CatalogueEdition:
        """The edition a journey starting now uses."""
        with self._lock:
            edition = self._edition
        return edition if edition is not None else bundled_edition()

    def apply(self, path: Path, version: str) -> bool:
        """Use the pushed catalogue at `path` for journeys starting from now; False (and the
        edition in use kept) when it does not load."""
        current = self._edition
        if current is not None and current.version == version:
            return True
        try:
            edition = CatalogueEdition.of(load_pushed(path, version), "district")
        except CatalogueError as error:
            self.refused = str(error)
            log.error("pushed catalogue refused, the one in use stays",
                      extra={"version": version, "error": str(error),
                             "in_use": self.edition().version})
            return False
        with self._lock:
            self._edition = edition
        self.refused = None
        log.info("catalogue applied", extra={"version": version})
        return True
