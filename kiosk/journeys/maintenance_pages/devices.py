"""The devices page (technicians): every device's status, the history of its changes,
its counters and its test actions; and the guided fix of its current error, watched live
and confirmed only when the status returns to ok (counted and audited).

The consumables page (hall staff too) is the same page over the devices with a consumable
unit (paper) or a fault staff can clear (a jam, the cover), without the test actions.
"""
from __future__ import annotations

from concurrent.futures import Future
from typing import Any, Callable, ClassVar

from devices.model import DeviceStatus, RequiredAction
from kiosk.diagnostics import DeviceReport, is_ok
from kiosk.journeys.base import JourneyActionRefused, JourneyState
from kiosk.journeys.maintenance_pages._page import StaffPage
from kiosk.journeys.ports import JourneyServices
from kiosk.service_state import StaffPerson

#: error code -> the guide that fixes it (its steps are words and pictures in ui/)
FIX_GUIDES: dict[str, str] = {
    "paperOut": "fit_roll", "paperNearEnd": "fit_roll", "paperJam": "clear_jam",
    "coverOpen": "close_cover",
}
#: a fault with no guide of its own: reconnect the device (reopened as soon as it answers)
RECONNECT = "reconnect"
#: units a consumables page is about
CONSUMABLE_UNITS = frozenset({"paper", "ribbon", "bin"})
#: device kind -> the test actions its page offers
TESTS: dict[str, tuple[str, ...]] = {
    "printer": ("test_page", "printer_status"),
    "id_reader": ("read_card",),
    "camera": ("camera_preview",),
    "code_reader": ("scan_code",),
    "locker": ("open_compartment",),
}


class DevicesState(JourneyState):
    LIST = ("list", "page")
    DEVICE = ("device", "page")
    TESTING = ("testing", "page")
    RESULT = ("result", "page")
    FIX = ("fix", "page")
    FIXED = ("fixed", "page")
    ENDED = ("ended", "end")


S = DevicesState


class DevicesPage(StaffPage):
    name = "devices"
    State = DevicesState
    actions: ClassVar[frozenset[str]] = frozenset({
        "open_device", "run_test", "start_fix", "back", "finish"})
    #: a test's result: a masked card read, a camera picture
    personal: ClassVar[tuple[str, ...]] = ("result",)
    #: whether the page offers test actions (the consumables page does not)
    with_tests: ClassVar[bool] = True

    def __init__(self, services: JourneyServices, *, role: str, staff_id: str) -> None:
        self.device = ""
        self.test = ""
        self.result: dict[str, Any] = {}
        self.fixing = ""           # the error code being fixed
        self.live: DeviceStatus | None = None
        self._unwatch: Callable[[], None] | None = None
        super().__init__(services, role=role, staff_id=staff_id)
        self.on_cancel(self._stop_watching)

    def initial_state(self) -> DevicesState:
        return S.LIST

    def _reset_personal(self) -> None:
        self.result = {}   # a test card read (masked) or a camera picture is not kept

    # --- reading ------------------------------------------------------------------

    def shown(self, report: DeviceReport) -> bool:
        return True

    def devices(self) -> list[DeviceReport]:
        return [r for r in self.diagnostics.devices() if self.shown(r)]

    def report(self) -> DeviceReport:
        return self.diagnostics.report(self.device)

    def tests(self) -> tuple[str, ...]:
        return TESTS.get(self.report().kind, ()) if self.with_tests else ()

    def guide(self, status: DeviceStatus | None = None) -> str:
        """The guide fixing the device's current error ("" when it has none to fix)."""
        status = status or self.report().status
        if status.error_code in FIX_GUIDES:
            return FIX_GUIDES[status.error_code]
        if status.error_code and status.action in (RequiredAction.RESET,
                                                   RequiredAction.MAINTENANCE):
            return RECONNECT if self.with_tests else ""
        return ""

    # --- actions ------------------------------------------------------------------

    def open_device(self, name: str) -> None:
        self._require(S.LIST)
        if name not in {r.name for r in self.devices()}:
            raise JourneyActionRefused(f"{self.name}: no device {name!r} on this page")
        self.device = name
        # the device's status is shown live (and a guided fix confirmed) from now on
        self._unwatch = self.diagnostics.watch(
            name, lambda changed: self.services.post(lambda: self._status_seen(changed)))
        self._go(S.DEVICE)

    def run_test(self, test: str) -> None:
        self._require(S.DEVICE, S.RESULT)
        if test not in self.tests():
            raise JourneyActionRefused(f"{self.name}: no test {test!r} for {self.device}")
        self.test, self.result = test, {}
        self._abandon_in_flight()  # a test asked again: only the newest answer is shown
        runs: dict[str, Callable[[str], Future]] = {
            "test_page": self.diagnostics.print_test_page,
            "printer_status": self.diagnostics.printer_status,
            "read_card": self.diagnostics.read_card,
            "camera_preview": self.diagnostics.camera_preview,
            "scan_code": self.diagnostics.scan_code,
            "open_compartment": lambda name: self.diagnostics.open_compartment(
                name, by=StaffPerson(self.staff_id, self.role))}
        self._go(S.TESTING)
        self._after(runs[test](self.device), self._tested, self._test_failed)

    def _tested(self, value: Any) -> None:
        self.result = {"ok": True, **value}
        self._go(S.RESULT)

    def _test_failed(self, error: BaseException) -> None:
        self.result = {"ok": False, "error": getattr(error, "message", str(error)),
                       "code": getattr(error, "code", type(error).__name__)}
        self._go(S.RESULT)

    def start_fix(self) -> None:
        """Show the steps of the current error's fix and watch the device until it is ok."""
        self._require(S.DEVICE)
        status = self.report().status
        if not self.guide(status):
            raise JourneyActionRefused(f"{self.name}: {self.device} has nothing to fix")
        self.fixing, self.live = status.error_code, status
        self._go(S.FIX)
        self._status_seen(self.report().status)  # fixed before the watch began

    def _status_seen(self, status: DeviceStatus) -> None:
        if self.state is S.DEVICE:
            self._notify()
        if self.state is not S.FIX:
            return
        self.live = status
        if is_ok(status):
            self.diagnostics.confirm_fix(self.device, self.fixing, role=self.role,
                                         staff_id=self.staff_id)
            self._go(S.FIXED)
        else:
            self._notify()

    def _stop_watching(self) -> None:
        if self._unwatch is not None:
            self._unwatch()
            self._unwatch = None

    def back(self) -> None:
        """One step back: a result or fix to its device, a device to the list."""
        self._require(S.DEVICE, S.RESULT, S.FIX, S.FIXED)
        if self.state is S.DEVICE:
            self._stop_watching()
            self.device = ""
            self._go(S.LIST)
            return
        self.result, self.fixing, self.live = {}, "", None
        self._abandon_in_flight()
        self._go(S.DEVICE)


class ConsumablesPage(DevicesPage):
    name = "consumables"
    with_tests = False

    def shown(self, report: DeviceReport) -> bool:
        return bool(CONSUMABLE_UNITS & set(report.status.units)) or \
            report.status.error_code in FIX_GUIDES
