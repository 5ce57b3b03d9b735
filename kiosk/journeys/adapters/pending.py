"""The pending-cases port: applications made here that the server has not confirmed yet, and
what those made here promised to supply later (容缺), which the supply journey shows offline."""
from __future__ import annotations

import secrets
from datetime import datetime
from dataclasses import replace
from typing import Callable, Sequence

from kiosk.catalogue import ServiceItem
from kiosk.journeys.ports import Identified, Owed
from wire.v1 import CaseSummary, Text, holder_hmac


class LocalPendingCases:
    """Applications made at this kiosk in this run, until the server confirms them.

    Holders are matched by an HMAC of the ID number under a key that lives only in memory,
    so nothing here identifies anyone; delivered items disappear with the queue's state."""

    def __init__(self, still_pending: Callable[[str], bool] = lambda case: True) -> None:
        self._key = secrets.token_bytes(32)
        self._still_pending = still_pending
        self._cases: list[tuple[str, str, ServiceItem, datetime]] = []
        #: case number -> (holder, what it owes): kept after delivery, until supplied here
        self._owed: dict[str, tuple[str, Owed]] = {}

    def _holder(self, who: Identified) -> str:
        return holder_hmac(self._key, who.id_number)

    def record(self, who: Identified, case_number: str, item: ServiceItem,
               owed: Owed | None = None) -> None:
        # the delivered go as each new one comes, not only when a citizen asks: a kiosk
        # nobody asks kept every application it took for as long as it ran
        self._keep_pending()
        self._cases.append((self._holder(who), case_number, item, who.at))
        if owed is not None:
            self._owed[case_number] = (self._holder(who), owed)

    def owed_for(self, who: Identified) -> list[Owed]:
        holder = self._holder(who)
        return [owed for tag, owed in self._owed.values() if tag == holder]

    def owed(self, case_number: str) -> Owed | None:
        known = self._owed.get(case_number)
        return known[1] if known else None

    def supplied(self, case_number: str, materials: Sequence[str]) -> None:
        known = self._owed.get(case_number)
        if known is None:
            return
        holder, owed = known
        left = tuple(m for m in owed.materials if m not in materials)
        if left:
            self._owed[case_number] = (holder, replace(owed, materials=left))
        else:
            del self._owed[case_number]

    def _keep_pending(self) -> None:
        self._cases = [c for c in self._cases if self._still_pending(c[1])]

    def pending_for(self, who: Identified) -> list[CaseSummary]:
        holder = self._holder(who)
        self._keep_pending()
        return [CaseSummary(case_number=number, service_code=item.task_code,
                            service_name=Text(zh=item.name.zh, en=item.name.en or item.name.zh),
                            state="received", submitted_at=at, promised_date=None,
                            kiosk_id=None, hall_code=None, pickup=(item.pickup_methods or
                                                                   ("none",))[0])
                for tag, number, item, at in self._cases if tag == holder]
