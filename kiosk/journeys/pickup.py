"""Pickup (自助取件): after identification or with a pickup code, the right compartment opens,
the screen shows which one on the locker-wall diagram and waits for the door to close.
With the locker board down the journey is not offered and the reason is shown."""
from __future__ import annotations

from kiosk.journeys.base import Journey, JourneyState
from kiosk.journeys.identify import IdentifyJourney
from kiosk.journeys.ports import Identified, JourneyServices, LockerWall, NotFound, Parcel


class PickupState(JourneyState):
    CHOOSE_METHOD = ("choose_method", "verify")
    IDENTIFY = ("identify", "verify")
    ENTER_CODE = ("enter_code", "verify")
    LOOKING_UP = ("looking_up", "verify")
    NOTHING = ("nothing", "verify")
    OPENING = ("opening", "collect")
    DOOR_OPEN = ("door_open", "collect")
    DONE = ("done", "collect")
    OPEN_FAILED = ("open_failed", "collect")
    UNAVAILABLE = ("unavailable", "verify")
    ENDED = ("ended", "end")


S = PickupState
MAX_CODE_TRIES = 3


class PickupJourney(Journey[PickupState]):
    name = "pickup"
    State = PickupState
    required_roles = ("locker_bank",)
    steps = ("verify", "collect")
    personal = ("identified", "code", "parcels")

    def __init__(self, services: JourneyServices) -> None:
        self.identify: IdentifyJourney | None = None
        self.unavailable_reason = ""
        super().__init__(services)
        self.code_tries = 0
        self.wall: LockerWall | None = None

    def initial_state(self) -> PickupState:
        desk = self.services.pickup
        if desk is None:
            self.unavailable_reason = "no lockers at this kiosk"
            return S.UNAVAILABLE
        usable, reason = desk.available()
        if not usable or not self.services.role_usable("locker_bank"):
            self.unavailable_reason = reason or "locker board unavailable"
            return S.UNAVAILABLE
        return S.CHOOSE_METHOD

    def _reset_personal(self) -> None:
        self.identified: Identified | None = None
        self.code = ""
        self.parcels: list[Parcel] = []
        self.current = None

    def children(self) -> list[Journey]:
        return [self.identify] if self.identify is not None else []

    def choose_identify(self) -> None:
        self._require(S.CHOOSE_METHOD)
        self.identify = IdentifyJourney(self.services, on_identified=self._identified)
        self.identify.subscribe(lambda _child: self._notify())
        self._go(S.IDENTIFY)

    def _identified(self, who: Identified) -> None:
        self.identified = who
        self._go(S.LOOKING_UP)
        self._after(self.services.pickup.parcels_for(who), self._found, self._lookup_failed)

    def choose_code(self) -> None:
        self._require(S.CHOOSE_METHOD)
        self._go(S.ENTER_CODE)

    def enter_code(self, code: str) -> None:
        self._require(S.ENTER_CODE)
        code = code.strip()
        if not code.isdigit() or not 4 <= len(code) <= 12:
            return self._go(S.ENTER_CODE, "code_format")
        self.code = code
        self._go(S.LOOKING_UP)
        self._after(self.services.pickup.parcels_for_code(code), self._found,
                    self._lookup_failed)

    def _lookup_failed(self, error: BaseException) -> None:
        if self.code and isinstance(error, NotFound):
            return self._wrong_code()
        self._go(S.NOTHING, "lookup_failed")

    def _wrong_code(self) -> None:
        self.code = ""
        self.code_tries += 1
        if self.code_tries >= MAX_CODE_TRIES:
            return self._go(S.NOTHING, "too_many_tries")
        self._go(S.ENTER_CODE, "code_wrong")

    def _found(self, parcels: list[Parcel]) -> None:
        if not parcels:
            return self._wrong_code() if self.code else self._go(S.NOTHING, "nothing_waiting")
        self.parcels = list(parcels)
        self.wall = self.services.pickup.wall()
        self._open_next()

    def _open_next(self) -> None:
        self.current = self.parcels[0]
        self._go(S.OPENING)
        self._after(self.services.pickup.open(self.current), self._opened,
                    lambda _error: self._go(S.OPEN_FAILED, "door_did_not_open"))

    def _opened(self, _none: None) -> None:
        self._go(S.DOOR_OPEN)
        self._after(self.services.pickup.wait_closed(self.current), self._closed,
                    lambda _error: self._go(S.OPEN_FAILED, "door_not_closed"))

    def _closed(self, _none: None) -> None:
        self.parcels.pop(0)
        if self.parcels:
            return self._open_next()
        self.current = None
        self._go(S.DONE)

    def back(self) -> None:
        self._require(S.ENTER_CODE)
        self._go(S.CHOOSE_METHOD)

    def finish(self) -> None:
        self._require(S.DONE, S.NOTHING, S.OPEN_FAILED, S.UNAVAILABLE)
        super().finish()
