"""The pending-cases port: applications made here that the server has not confirmed yet."""
from __future__ import annotations

import secrets
from datetime import datetime
from typing import Callable

from kiosk.catalogue import ServiceItem
from kiosk.journeys.ports import Identified
from wire.v1 import CaseSummary, Text, holder_hmac


class LocalPendingCases:
    """Applications made at this kiosk in this run, until the server confirms them.

    Holders are matched by an HMAC of the ID number under a key that lives only in memory,
    so nothing here identifies anyone; delivered items disappear with the queue's state."""

    def __init__(self, still_pending: Callable[[str], bool] = lambda case: True) -> None:
        self._key = secrets.token_bytes(32)
        self._still_pending = still_pending
        self._cases: list[tuple[str, str, ServiceItem, datetime]] = []

    def _holder(self, who: Identified) -> str:
        return holder_hmac(self._key, who.id_number)

    def record(self, who: Identified, case_number: str, item: ServiceItem) -> None:
        self._cases.append((self._holder(who), case_number, item, who.at))

    def pending_for(self, who: Identified) -> list[CaseSummary]:
        holder = self._holder(who)
        self._cases = [c for c in self._cases if self._still_pending(c[1])]
        return [CaseSummary(case_number=number, service_code=item.task_code,
                            service_name=Text(zh=item.name.zh, en=item.name.en or item.name.zh),
                            state="received", submitted_at=at, promised_date=None,
                            kiosk_id=None, hall_code=None, pickup=(item.pickup_methods or
                                                                   ("none",))[0])
                for tag, number, item, at in self._cases if tag == holder]
