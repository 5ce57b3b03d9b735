"""The "lockers" maintenance page: hall staff fill compartments with the parcels the district
assigned to this kiosk, and take back the ones whose pickup period ended.

Filling: staff pick a parcel (or type or scan its number or case number); the kiosk opens a
free compartment of its size and the wall diagram shows which; the parcel is stored when the
door is seen closing (kiosk/pickup.py records it and tells the district). A door that does
not open, or that staff leave open, is given up: the page says so and offers another
compartment. Leaving the page with a door open gives it up too, so a parcel is never
recorded stored in a compartment whose door was not seen closing.
"""
from __future__ import annotations

from concurrent.futures import Future
from typing import ClassVar

from kiosk.journeys.base import Journey, JourneyState
from kiosk.journeys.ports import JourneyServices, LockerWall, ParcelForStaff

#: the pickup service's refusal codes -> the page's problem
PROBLEMS = {"doorNotOpened": "compartment_did_not_open",
            "doorLeftOpen": "compartment_left_open", "noFreeCompartment": "no_free_compartment",
            "noParcel": "no_such_parcel", "wrongParcelState": "no_such_parcel"}


class LockersState(JourneyState):
    LIST = ("list", "page")
    OPENING = ("opening", "page")
    DOOR_OPEN = ("door_open", "page")
    PROBLEM = ("problem", "page")
    DONE = ("done", "page")
    UNAVAILABLE = ("unavailable", "page")
    ENDED = ("ended", "end")


S = LockersState


class LockersPage(Journey[LockersState]):
    name = "lockers"
    State = LockersState
    committing = frozenset({"opening"})
    actions: ClassVar[frozenset[str]] = frozenset({
        "fill", "fill_by_code", "recall", "another_compartment", "give_up", "next", "back"})

    def __init__(self, services: JourneyServices, *, role: str, staff_id: str) -> None:
        self.role, self.staff_id = role, staff_id
        self.current: ParcelForStaff | None = None
        self.purpose = ""                 # fill | recall
        self.avoid: list[str] = []        # compartments that failed for this parcel
        self.wall: LockerWall | None = None
        self._opening: Future | None = None
        super().__init__(services)
        self.on_cancel(self._walk_away)

    def initial_state(self) -> LockersState:
        desk = self.services.pickup
        if desk is None or not desk.available()[0]:
            self.problem = "lockers_unavailable"
            return S.UNAVAILABLE
        return S.LIST

    def _reset_personal(self) -> None:
        """Nothing personal: parcels are shown by number, case number and contents."""

    # --- what the list shows -------------------------------------------------------------

    def to_fill(self) -> list[ParcelForStaff]:
        return self.services.pickup.to_fill() if self.state is not S.UNAVAILABLE else []

    def to_recall(self) -> list[ParcelForStaff]:
        return self.services.pickup.to_recall() if self.state is not S.UNAVAILABLE else []

    # --- actions ----------------------------------------------------------------------------

    def fill(self, parcel_id: str) -> None:
        self._require(S.LIST)
        chosen = next((p for p in self.to_fill() if p.parcel_id == parcel_id), None)
        if chosen is None:
            return self._go(S.LIST, "no_such_parcel")
        self.current, self.purpose, self.avoid = chosen, "fill", []
        self._open()

    def fill_by_code(self, code: str) -> None:
        """A parcel number or case number typed or scanned from the document's label."""
        self._require(S.LIST)
        code = code.strip().upper()
        chosen = next((p for p in self.to_fill()
                       if code in (p.parcel_id.upper(), p.case_number.upper())), None)
        if chosen is None:
            return self._go(S.LIST, "no_such_parcel")
        self.fill(chosen.parcel_id)

    def recall(self, parcel_id: str) -> None:
        self._require(S.LIST)
        chosen = next((p for p in self.to_recall() if p.parcel_id == parcel_id), None)
        if chosen is None:
            return self._go(S.LIST, "no_such_parcel")
        self.current, self.purpose, self.avoid = chosen, "recall", []
        self._go(S.OPENING)
        self._after(self.services.pickup.recall(parcel_id, self.staff_id), self._opened,
                    self._failed)

    def another_compartment(self) -> None:
        """After a door that did not open or was left open: the next free compartment."""
        self._require(S.PROBLEM)
        if self.purpose != "fill" or self.current is None:
            return self.next()
        self._open()

    def give_up(self) -> None:
        """The door will not close (or staff changed their mind): leave this compartment."""
        self._require(S.DOOR_OPEN)
        assert self.current is not None
        self.services.pickup.give_up(self.current.parcel_id)

    def next(self) -> None:
        self._require(S.DONE, S.PROBLEM, S.LIST)
        self.current, self.purpose, self.avoid, self.wall = None, "", [], None
        self._go(S.LIST)

    def back(self) -> None:
        if self.state is S.DOOR_OPEN:
            return self.give_up()
        if self.state in (S.DONE, S.PROBLEM):
            return self.next()
        if self.state is not S.OPENING:
            self.finish()

    # --- the door ---------------------------------------------------------------------------

    def _open(self) -> None:
        assert self.current is not None
        self._go(S.OPENING)
        self._opening = self.services.pickup.fill(self.current.parcel_id, self.staff_id,
                                                  tuple(self.avoid))
        self._after(self._opening, self._opened, self._failed)

    def _opened(self, parcel: ParcelForStaff) -> None:
        self.current = parcel
        self.wall = self.services.pickup.wall()
        self._go(S.DOOR_OPEN)
        self._after(self.services.pickup.settled(parcel.parcel_id),
                    lambda _parcel: self._go(S.DONE), self._failed)

    def _failed(self, error: BaseException) -> None:
        if self.current is not None and self.current.compartment and \
                self.current.compartment not in self.avoid:
            self.avoid.append(self.current.compartment)
        self._go(S.PROBLEM, PROBLEMS.get(getattr(error, "code", ""), "compartment_did_not_open"))

    def _walk_away(self) -> None:
        """The page ends (Home, the idle timeout) with a compartment open for filling, or
        about to be: it is given up, so that no one's later closing stores the parcel."""
        if self.current is None or self.purpose != "fill":
            return
        parcel_id, desk = self.current.parcel_id, self.services.pickup
        if self.state is S.DOOR_OPEN:
            desk.give_up(parcel_id)
        elif self.state is S.OPENING and self._opening is not None:
            def opened(opening: Future) -> None:
                if opening.exception() is None:
                    desk.give_up(parcel_id)
            self._opening.add_done_callback(opened)
