"""The pickup port: the pickup service (kiosk/pickup.py) for the pickup journey."""
from __future__ import annotations

import threading
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, Callable, Sequence

from kiosk.journeys.ports import Identified, LockerWall, Parcel, ParcelForStaff

if TYPE_CHECKING:
    from kiosk.pickup import PickupService


class PickupPort:
    """The pickup service (kiosk/pickup.py) for the journey: its blocking opens run on the
    background runner; a door's `closed` event resolves that parcel's wait.

    Each journey has its own port over the kiosk's one locker bank, so the port listens to the
    bank only while a door it waits on is open: a port subscribed for good was kept (and
    called on every door event) for as long as the kiosk ran, one more each session."""

    def __init__(self, service: "PickupService",
                 background: Callable[[Callable[[], Any]], Future]) -> None:
        self._service = service
        self._background = background
        self._closing: dict[int, Future] = {}
        self._lock = threading.Lock()
        self._unsubscribe: Callable[[], None] | None = None

    def available(self) -> tuple[bool, str]:
        status = self._service.lockers.status
        return status.usable, status.reason or str(status.availability)

    def wall(self) -> LockerWall:
        """The wall as configured (`wall`, else a row a board), as citizens see it."""
        return LockerWall([[str(n) for n in row]
                           for row in self._service.lockers.settings.wall_rows()])

    def _parcels(self, results: list[Any]) -> list[Parcel]:
        stored = {p.compartment: p for p in self._service.store.all().values()
                  if p.open_purpose}    # the parcels whose doors were just opened
        parcels = []
        for result in results:
            parcel = stored.get(result.number)
            items = "、".join(parcel.items) if parcel and parcel.items else ""
            parcels.append(Parcel(parcel.parcel_id if parcel else str(result.number), items,
                                  items, str(result.number)))
        return parcels

    def open_with_code(self, case_number: str, code: str) -> Future:
        return self._background(lambda: self._parcels(
            [self._service.open_with_code(case_number, code)]))

    def open_for(self, who: Identified) -> Future:
        return self._background(lambda: self._parcels(
            self._service.open_for_holder(who.id_number)))

    def wait_closed(self, parcel: Parcel) -> Future:
        future: Future = Future()
        with self._lock:
            if self._unsubscribe is None:
                self._unsubscribe = self._service.lockers.subscribe(self._on_locker_event)
            self._closing[int(parcel.compartment)] = future
        return future

    # --- hall staff ----------------------------------------------------------------------

    def _label(self, number: int | None) -> str:
        compartment = self._service.lockers.compartments.get(number) if number else None
        return compartment.shown if compartment else ""

    def _for_staff(self, parcel: Any) -> ParcelForStaff:
        return ParcelForStaff(parcel.parcel_id, parcel.case_number, "、".join(parcel.items),
                              parcel.size, self._label(parcel.compartment))

    def to_fill(self) -> list[ParcelForStaff]:
        return [self._for_staff(p) for p in self._service.to_fill()]

    def to_recall(self) -> list[ParcelForStaff]:
        return [self._for_staff(p) for p in self._service.to_recall()]

    def _opened(self, parcel_id: str) -> ParcelForStaff:
        return self._for_staff(self._service.store.all()[parcel_id])

    def fill(self, parcel_id: str, staff_id: str, avoid: Sequence[str]) -> Future:
        numbers = [n for n, c in self._service.lockers.compartments.items() if c.shown in avoid]

        def open_free() -> ParcelForStaff:
            self._service.deposit(parcel_id, staff_id, numbers)
            return self._opened(parcel_id)
        return self._background(open_free)

    def recall(self, parcel_id: str, staff_id: str) -> Future:
        def open_its_door() -> ParcelForStaff:
            self._service.recall(parcel_id, staff_id, "pickup period ended")
            return self._opened(parcel_id)
        return self._background(open_its_door)

    def settled(self, parcel_id: str) -> Future:
        return self._service.when_closed(parcel_id)

    def give_up(self, parcel_id: str) -> None:
        self._service.give_up(parcel_id)

    def _on_locker_event(self, event: Any) -> None:
        if event.name not in ("closed", "jammed"):
            return
        with self._lock:
            future = self._closing.pop(int(event.data.get("compartment", 0)), None)
            if not self._closing and self._unsubscribe is not None:
                self._unsubscribe()
                self._unsubscribe = None
        if future is not None and not future.done():
            if event.name == "closed":
                future.set_result(None)
            else:
                future.set_exception(RuntimeError("door jammed"))


class NoPickup:
    def available(self) -> tuple[bool, str]:
        return False, "no pickup service configured"
