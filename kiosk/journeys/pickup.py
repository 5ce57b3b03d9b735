"""Pickup (自助取件): after identification or with the case number and pickup code, the right
compartments open, the screen shows them on the locker-wall diagram and waits for every
door to close. With the locker board down the journey is not offered and says why.

The pickup service (kiosk/pickup.py) verifies, records the audit entry before any door
moves, limits code tries and sends the `pickup` event when a door closes; this journey
is the citizen's side of it.
"""
from __future__ import annotations

import logging

from kiosk.journeys.base import Journey, JourneyState
from kiosk.journeys.identify import IdentifyJourney
from kiosk.journeys.ports import Identified, JourneyServices, LockerWall, Parcel

#: the pickup service's refusal codes -> (state, problem)
REFUSALS = {"wrongCode": ("enter_code", "code_wrong"), "parcelLocked": ("nothing", "too_many_tries"),
            "noParcel": ("nothing", "nothing_waiting"), "parcelExpired": ("nothing", "expired"),
            "doorNotOpened": ("open_failed", "door_did_not_open")}


class PickupState(JourneyState):
    CHOOSE_METHOD = ("choose_method", "verify")
    IDENTIFY = ("identify", "verify")
    ENTER_CODE = ("enter_code", "verify")
    OPENING = ("opening", "verify")
    NOTHING = ("nothing", "verify")
    UNAVAILABLE = ("unavailable", "verify")
    DOOR_OPEN = ("door_open", "collect")
    DONE = ("done", "collect")
    OPEN_FAILED = ("open_failed", "collect")
    ENDED = ("ended", "end")


S = PickupState

log = logging.getLogger(__name__)


class PickupJourney(Journey[PickupState]):
    name = "pickup"
    State = PickupState
    steps = ("verify", "collect")
    committing = frozenset({"opening"})
    personal = ("identified", "code", "case_number", "parcels")

    def __init__(self, services: JourneyServices) -> None:
        self.identify: IdentifyJourney | None = None
        super().__init__(services)
        self.wall: LockerWall | None = None
        self.open_parcels: list[Parcel] = []    # doors open now, waiting to be closed

    def initial_state(self) -> PickupState:
        desk = self.services.pickup
        if desk is None:
            self.problem = "no_lockers"
            return S.UNAVAILABLE
        usable, reason = desk.available()
        if not usable or not self.services.role_usable("locker_bank"):
            # the device's own words are for technicians; citizens get the problem's text
            log.warning("pickup unavailable", extra={"reason": reason or "locker role unusable"})
            self.problem = "lockers_down"
            return S.UNAVAILABLE
        return S.CHOOSE_METHOD

    def _reset_personal(self) -> None:
        self.identified: Identified | None = None
        self.code = ""
        self.case_number = ""
        self.parcels: list[Parcel] = []
        self.open_parcels = []

    def children(self) -> list[Journey]:
        return [self.identify] if self.identify is not None else []

    def choose_identify(self) -> None:
        self._require(S.CHOOSE_METHOD)
        self.identify = IdentifyJourney(self.services, on_identified=self._identified)
        self.identify.subscribe(lambda _child: self._notify())
        self._go(S.IDENTIFY)

    def _identified(self, who: Identified) -> None:
        self.identified = who
        self._go(S.OPENING)
        self._after(self.services.pickup.open_for(who), self._opened, self._refused)

    def choose_code(self) -> None:
        self._require(S.CHOOSE_METHOD)
        self._go(S.ENTER_CODE)

    def enter_code(self, case_number: str, code: str) -> None:
        self._require(S.ENTER_CODE)
        case_number, code = case_number.strip().upper(), code.strip()
        if not case_number:
            return self._go(S.ENTER_CODE, "case_number_missing")
        if not code.isdigit() or not 4 <= len(code) <= 12:
            return self._go(S.ENTER_CODE, "code_format")
        self.case_number, self.code = case_number, code
        self._go(S.OPENING)
        self._after(self.services.pickup.open_with_code(case_number, code), self._opened,
                    self._refused)

    def _refused(self, error: BaseException) -> None:
        self.code = ""
        state, problem = REFUSALS.get(getattr(error, "code", ""), ("nothing", "lookup_failed"))
        self._go(S(state), problem)

    def _opened(self, parcels: list[Parcel]) -> None:
        if not parcels:
            return self._go(S.NOTHING, "nothing_waiting")
        self.parcels = list(parcels)
        self.open_parcels = list(parcels)
        self.wall = self.services.pickup.wall()
        self._go(S.DOOR_OPEN)
        for parcel in parcels:
            self._after(self.services.pickup.wait_closed(parcel),
                        lambda _none, parcel=parcel: self._closed(parcel),
                        lambda _error: self._go(S.OPEN_FAILED, "door_not_closed"))

    def _closed(self, parcel: Parcel) -> None:
        self.open_parcels = [p for p in self.open_parcels if p.parcel_id != parcel.parcel_id]
        if self.open_parcels:
            return self._notify()
        self._go(S.DONE)

    def back(self) -> None:
        self._require(S.ENTER_CODE)
        self._go(S.CHOOSE_METHOD)

    def try_again(self) -> None:
        """Nothing was found: check the code (or use the ID card) and try once more."""
        self._require(S.NOTHING)
        self.identify = None
        self._reset_personal()
        self._go(S.CHOOSE_METHOD)

    def rating_context(self) -> dict[str, str] | None:
        """A rating follows a pickup that happened (read before `finish`)."""
        return {} if self.state is S.DONE else None

    def finish(self) -> None:
        self._require(S.DONE, S.NOTHING, S.OPEN_FAILED, S.UNAVAILABLE)
        super().finish()
