"""What every request handler needs, built once by create_app."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

from fastapi import Request

from district_server.blobs.store import BlobStore
from wire.calendar import WorkingDayCalendar
from district_server.catalogue.service import CatalogueCache
from district_server.citizens.providers import ReferencePhotoProvider
from district_server.crypto import DistrictKeyring
from district_server.db import Database
from district_server.settings import Settings
from wire import v1


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class ServerContext:
    settings: Settings
    db: Database
    keys: DistrictKeyring
    blobs: BlobStore
    catalogues: CatalogueCache
    photos: ReferencePhotoProvider
    #: The server's clock; tests replace it to move time.
    now: Callable[[], datetime] = field(default=utc_now)

    def calendar(self, catalogue: v1.Catalogue | None = None) -> WorkingDayCalendar:
        """The holidays and make-up days of the catalogue the case was filed under: the
        kiosk computes with the same (wire/calendar.py), so both promise the same date."""
        if catalogue is None:
            return WorkingDayCalendar()
        return WorkingDayCalendar(catalogue.calendar.holidays, catalogue.calendar.workdays)


def get_context(request: Request) -> ServerContext:
    return request.app.state.ctx
