"""Appointment check-in and queue ticket (预约取号).

Check in a booking (code typed or scanned) or take a ticket for a service category; the
server issues the number and says how many are waiting; the ticket prints (or, with the
printer down, is shown large with a QR). Needs the server: offline it is not offered.
"""
from __future__ import annotations

from kiosk.journeys.base import Journey, JourneyState
from kiosk.journeys.ports import JourneyServices, NotFound, Refused, ServerUnavailable, TicketToPrint
from wire.v1 import Appointment, QueueCategory, QueueTicket


class TicketState(JourneyState):
    CHOOSE = ("choose", "choose")
    ENTER_BOOKING = ("enter_booking", "choose")
    SCAN_BOOKING = ("scan_booking", "choose")
    CHECKING_IN = ("checking_in", "choose")
    LOADING_CATEGORIES = ("loading_categories", "choose")
    CATEGORIES = ("categories", "choose")
    ISSUING = ("issuing", "choose")
    TICKET = ("ticket", "ticket")
    UNAVAILABLE = ("unavailable", "ticket")
    ENDED = ("ended", "end")


S = TicketState

#: the server's reasons for refusing a check-in -> what the citizen is told on the code screen
BOOKING_REFUSALS = {"not_today": "booking_not_today", "not_booked": "booking_used",
                    "other_hall": "booking_other_hall"}


class TicketJourney(Journey[TicketState]):
    name = "ticket"
    State = TicketState
    steps = ("choose", "ticket")
    committing = frozenset({"checking_in", "issuing"})
    personal = ("booking_code", "appointment")

    def __init__(self, services: JourneyServices) -> None:
        super().__init__(services)
        self.categories: list[QueueCategory] = []
        self.ticket: QueueTicket | None = None
        self.print_status = ""

    def initial_state(self) -> TicketState:
        return S.CHOOSE

    def _reset_personal(self) -> None:
        self.booking_code = ""
        self.appointment: Appointment | None = None

    def _unavailable(self, error: BaseException) -> None:
        self._go(S.UNAVAILABLE, "offline" if isinstance(error, ServerUnavailable)
                 else "server_error")

    # --- appointment ----------------------------------------------------------------------

    def choose_check_in(self) -> None:
        self._require(S.CHOOSE)
        self._go(S.ENTER_BOOKING)

    def enter_booking(self, code: str) -> None:
        self._require(S.ENTER_BOOKING)
        code = code.strip().upper()
        if not code.isalnum() or not 4 <= len(code) <= 32:
            return self._go(S.ENTER_BOOKING, "booking_code_invalid")
        self._check_in(code)

    def scan_booking(self) -> None:
        self._require(S.ENTER_BOOKING)
        codes = self.services.codes
        if not self.services.usable("code_reader", codes):
            return self._go(S.ENTER_BOOKING, "code_reader_down")
        self._go(S.SCAN_BOOKING)
        self.on_cancel(codes.cancel)
        self._after(codes.read_code(), lambda text: self._check_in(text.strip().upper()),
                    lambda _error: self._go(S.ENTER_BOOKING, "code_unreadable"))

    def _check_in(self, code: str) -> None:
        self.booking_code = code
        self._go(S.CHECKING_IN)
        self._after(self.services.citizen.check_in(code), self._checked_in,
                    self._check_in_failed)

    def _checked_in(self, answer) -> None:
        self.appointment = answer.appointment
        self._issued(answer.ticket)

    def _check_in_failed(self, error: BaseException) -> None:
        if isinstance(error, NotFound):
            self.booking_code = ""
            return self._go(S.ENTER_BOOKING, "booking_not_found")
        if isinstance(error, Refused) and error.reason in BOOKING_REFUSALS:
            self.booking_code = ""
            return self._go(S.ENTER_BOOKING, BOOKING_REFUSALS[error.reason])
        self._unavailable(error)

    # --- walk-in ticket -------------------------------------------------------------------

    def choose_ticket(self) -> None:
        self._require(S.CHOOSE)
        self._go(S.LOADING_CATEGORIES)
        self._after(self.services.citizen.ticket_categories(), self._categories,
                    self._unavailable)

    def _categories(self, categories: list[QueueCategory]) -> None:
        self.categories = list(categories)
        self._go(S.CATEGORIES)

    def take(self, category_code: str) -> None:
        self._require(S.CATEGORIES)
        self._go(S.ISSUING)
        self._after(self.services.citizen.take_ticket(category_code), self._issued,
                    self._unavailable)

    def _issued(self, ticket: QueueTicket) -> None:
        self.ticket = ticket
        self._go(S.TICKET)
        printer = self.services.printer
        if not self.services.usable("receipt_printer", printer):
            self.print_status = "no_printer"
            return self._notify()
        self.print_status = "printing"
        document = TicketToPrint(ticket_no=ticket.ticket_no, category=ticket.category_name.zh,
                                 waiting=ticket.waiting_ahead, issued_at=ticket.issued_at)
        self._after(printer.print_document(document), lambda _n: self._printed("printed"),
                    lambda _e: self._printed("failed"))

    def _printed(self, status: str) -> None:
        self.print_status = status
        self._notify()

    def back(self) -> None:
        self._require(S.ENTER_BOOKING, S.SCAN_BOOKING, S.CATEGORIES)
        self._abandon_in_flight()
        if self.state is S.SCAN_BOOKING:
            self.services.codes.cancel()
            return self._go(S.ENTER_BOOKING)
        self._go(S.CHOOSE)

    def finish(self) -> None:
        self._require(S.TICKET, S.UNAVAILABLE)
        super().finish()
