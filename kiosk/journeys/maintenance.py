"""The staff side of the screen: a person's credential, then the maintenance menu of what
their role may do. The entry, the lockout, the roles and the service state are the core's
(`kiosk.maintenance.Maintenance`, reached as `services.maintenance`); this journey only walks
the screens. The secret is never kept: it goes straight to the check.
"""
from __future__ import annotations

from kiosk.journeys.base import EndReason, Journey, JourneyState
from kiosk.journeys.ports import JourneyServices
from kiosk.staff_access import PAGES, Refused, may


class MaintenanceState(JourneyState):
    SIGN_IN = ("sign_in", "sign_in")
    CHECKING = ("checking", "sign_in")
    MENU = ("menu", "maintenance")
    ENDED = ("ended", "end")


S = MaintenanceState


class MaintenanceJourney(Journey[MaintenanceState]):
    name = "maintenance"
    State = MaintenanceState
    personal = ("staff_id",)

    def __init__(self, services: JourneyServices) -> None:
        super().__init__(services)
        self.role = ""
        self._ending = EndReason.COMPLETED
        # however it ends (left, Home, the idle timeout), the kiosk goes back to service
        self.on_cancel(self._leave)

    def initial_state(self) -> MaintenanceState:
        return S.SIGN_IN

    def _reset_personal(self) -> None:
        self.staff_id = ""

    def pages(self) -> list[str]:
        """What the person's role may do here, in menu order."""
        return [page for page in PAGES if may(self.role, page)]

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
