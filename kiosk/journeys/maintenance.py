"""The staff side of the screen: a person's credential, then the maintenance menu of what
their role may do. The entry, the lockout, the roles and the service state are the core's
(`kiosk.maintenance.Maintenance`, reached as `services.maintenance`); this journey only walks
the screens. The secret is never kept: it goes straight to the check. Each menu entry opens a
page (`kiosk.journeys.maintenance_pages`), a journey of its own embedded here.
"""
from __future__ import annotations

from kiosk.journeys.base import EndReason, Journey, JourneyActionRefused, JourneyState
from kiosk.journeys.maintenance_pages import PAGE_JOURNEYS
from kiosk.journeys.ports import JourneyServices
from kiosk.staff_access import PAGES, Refused, may


class MaintenanceState(JourneyState):
    SIGN_IN = ("sign_in", "sign_in")
    CHECKING = ("checking", "sign_in")
    MENU = ("menu", "maintenance")
    PAGE = ("page", "maintenance")
    ENDED = ("ended", "end")


S = MaintenanceState


class MaintenanceJourney(Journey[MaintenanceState]):
    name = "maintenance"
    State = MaintenanceState
    personal = ("staff_id",)

    def __init__(self, services: JourneyServices) -> None:
        super().__init__(services)
        self.role = ""
        self.page: Journey | None = None
        self._ending: EndReason | None = None
        # however it ends (left, Home, the idle timeout), the kiosk goes back to service
        self.on_cancel(self._leave)

    def initial_state(self) -> MaintenanceState:
        return S.SIGN_IN

    def _reset_personal(self) -> None:
        self.staff_id = ""

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
        """The fixed bar's Back inside a page: the page's own step back, else the menu."""
        self._require(S.PAGE)
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

    def _checked(self, result: object) -> None:
        if isinstance(result, Refused):
            self._go(S.SIGN_IN, "entry_locked" if result.locked_until else "entry_refused")
            return
        self.role = result.role
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
