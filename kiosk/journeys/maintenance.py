"""The staff side of the screen: a person's credential, then the maintenance menu of what
their role may do. The entry, the lockout, the roles and the service state are the core's
(`kiosk.maintenance.Maintenance`, reached as `services.maintenance`); this journey only walks
the screens. The secret is never kept: it goes straight to the check. Each menu entry opens a
page (`kiosk.journeys.maintenance_pages`), a journey of its own embedded here.

The credential is the staff id and kiosk PIN, or the staff card: the identity reader reads
the person's resident ID card, the face check runs against the card's photo, and only then
does the core check both at once (`Maintenance.sign_in_card`). The face check runs whether
or not the card is a registered one, so no screen tells a wrong card from a failed face.
"""
from __future__ import annotations

from kiosk.journeys.base import EndReason, Journey, JourneyActionRefused, JourneyState
from kiosk.journeys.maintenance_pages import PAGE_JOURNEYS
from kiosk.journeys.ports import CitizenDocument, FaceGuidance, FaceOutcome, JourneyServices
from kiosk.staff_access import PAGES, Refused, may


class MaintenanceState(JourneyState):
    SIGN_IN = ("sign_in", "sign_in")
    READ_CARD = ("read_card", "sign_in")
    FACE_CHECK = ("face_check", "sign_in")
    CHECKING = ("checking", "sign_in")
    MENU = ("menu", "maintenance")
    PAGE = ("page", "maintenance")
    ENDED = ("ended", "end")


S = MaintenanceState


class MaintenanceJourney(Journey[MaintenanceState]):
    name = "maintenance"
    State = MaintenanceState
    personal = ("staff_id", "card", "guidance")

    def __init__(self, services: JourneyServices) -> None:
        super().__init__(services)
        self.role = ""
        self.page: Journey | None = None
        self._ending: EndReason | None = None
        # however it ends (left, Home, the idle timeout), a staff card's read or face check
        # stops and the kiosk goes back to service
        self.on_cancel(self._stop_card_devices)
        self.on_cancel(self._leave)

    def initial_state(self) -> MaintenanceState:
        return S.SIGN_IN

    def _reset_personal(self) -> None:
        self.staff_id = ""
        self.card: CitizenDocument | None = None
        self.guidance: FaceGuidance | None = None

    def children(self) -> list[Journey]:
        return [self.page] if self.page is not None else []

    def pages(self) -> list[str]:
        """What the person's role may do here, in menu order."""
        return [page for page in PAGES if may(self.role, page)]

    def open_pages(self) -> list[str]:
        """The role's pages that can be opened here."""
        return [page for page in self.pages() if page in PAGE_JOURNEYS]

    def open_page(self, name: str) -> None:
        self._require(S.MENU)
        if name not in self.open_pages():
            raise JourneyActionRefused(f"maintenance: page {name!r} is not for {self.role!r}")
        page = PAGE_JOURNEYS[name](self.services, role=self.role, staff_id=self.staff_id)
        self.page = page
        page.subscribe(self._page_changed)
        self._go(S.PAGE)

    def back(self) -> None:
        """The fixed bar's Back inside a page: the page's own step back, else the menu;
        during the staff card's read or face check: back to the sign-in, nothing counted."""
        self._require(S.PAGE, S.READ_CARD, S.FACE_CHECK)
        if self.state is not S.PAGE:
            return self._stop_card("")
        step_back = getattr(self.page, "back", None)
        if step_back is not None:
            try:
                return step_back()
            except JourneyActionRefused:
                pass
        self.page.cancel()

    def _page_changed(self, page: Journey) -> None:
        if page is not self.page:
            return
        if page.ended:
            self.page = None
            if self._ending is None:   # a page closed, not the whole maintenance ending
                self._go(S.MENU)
        else:
            self._notify()

    def sign_in(self, staff_id: str, secret: str) -> None:
        self._require(S.SIGN_IN)
        self.staff_id = staff_id.strip()
        self._go(S.CHECKING)
        port = self.services.maintenance
        self._after(self.services.background(lambda: port.sign_in(self.staff_id, secret)),
                    self._checked, lambda _error: self._go(S.SIGN_IN, "entry_refused"))

    def use_card(self) -> None:
        """The staff card: read it on the identity reader, then the face check."""
        self._require(S.SIGN_IN)
        reader, face = self.services.documents, self.services.face
        if not (self.services.usable("id_reader", reader)
                and self.services.usable("face_camera", face)):
            return self._go(S.SIGN_IN, "card_unavailable")
        self._go(S.READ_CARD)
        self._after(reader.read_resident_id(), self._card_read,
                    lambda _error: self._stop_card("card_unreadable"))

    def _card_read(self, card: CitizenDocument) -> None:
        self.card = card
        if not card.photo:        # nothing to compare the face with: it cannot pass
            return self._check_card(FaceOutcome(False, False, "no_photo"))
        self._go(S.FACE_CHECK)
        self._after(self.services.face.verify(card.photo, self._guidance_while(S.FACE_CHECK)),
                    self._check_card,
                    lambda _error: self._stop_card("card_unavailable"))

    def _check_card(self, outcome: FaceOutcome) -> None:
        number = self.card.id_number or self.card.number
        passed = outcome.matched and outcome.live
        self.card, self.guidance = None, None      # checked: no longer kept
        self._go(S.CHECKING)
        port = self.services.maintenance
        self._after(self.services.background(lambda: port.sign_in_card(number, passed)),
                    lambda result: self._checked(result, refused="card_refused"),
                    lambda _error: self._go(S.SIGN_IN, "card_refused"))

    def _stop_card(self, problem: str) -> None:
        """The card's read or face check ended without a verdict (a device, or Back):
        nothing was checked, so nothing counts against the entry."""
        self._abandon_in_flight()
        self._stop_card_devices()
        self.card, self.guidance = None, None
        self._go(S.SIGN_IN, problem)

    def _stop_card_devices(self) -> None:
        self._stop_devices(self.services.face, self.services.documents)

    def _checked(self, result: object, refused: str = "entry_refused") -> None:
        if isinstance(result, Refused):
            self._go(S.SIGN_IN, "entry_locked" if result.locked_until else refused)
            return
        self.role, self.staff_id = result.role, result.staff_id
        self._go(S.MENU)

    def leave(self) -> None:
        self.finish()

    def _end(self, reason: EndReason) -> None:
        self._ending = reason
        super()._end(reason)

    def _leave(self) -> None:
        if self.services.maintenance is not None:
            why = {EndReason.TIMEOUT: "inactivity", EndReason.CANCELLED: "home"}.get(
                self._ending, "left")
            self.services.maintenance.leave(why)
