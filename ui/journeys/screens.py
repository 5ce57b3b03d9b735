"""Registers every citizen journey with the navigator: view-model factory + state -> QML map.

Imported at start-up by `ui.navigator.load_journey_modules()`.
"""
from __future__ import annotations

from concurrent.futures import Future
from typing import Any, Callable

from kiosk.journeys import ApplyJourney, GuideJourney, MaintenanceJourney, PickupJourney, \
    QueryJourney, RateJourney, SupplyJourney, TicketJourney
from kiosk.journeys.base import Journey
from kiosk.journeys.identify import IdentifyState
from kiosk.journeys.ports import JourneyServices
from ui.journeys.maintenance import PAGE_SCREENS
from ui.journeys.viewmodel import JourneyViewModel, run_in_background
from ui.navigator import JourneyContext, register_journey

MESSAGE, WAITING, ENTRY, ENDED = ("common/Message.qml", "common/Waiting.qml",
                                  "common/Entry.qml", "common/Ended.qml")
SCAN = "apply/Scan.qml"   # apply's and supply's document camera

IDENTIFY_SCREENS = {
    "choose_document": MESSAGE, "read_id_card": WAITING, "enter_mrz": ENTRY,
    "scan_mrz": WAITING, "read_passport": WAITING, "read_failed": MESSAGE,
    "face_consent": "identify/Consent.qml", "fetch_photo": WAITING, "no_photo": MESSAGE, "face_check": "identify/FaceCheck.qml",
    "face_failed": MESSAGE, "staff": MESSAGE, "identified": MESSAGE, "ended": ENDED,
}
assert set(IDENTIFY_SCREENS) == {s.value for s in IdentifyState}

RATE_SCREENS = {"level": "rate/Rate.qml", "details": "rate/Rate.qml", "sending": WAITING,
                "thanks": MESSAGE, "ended": ENDED}
APPLY_SCREENS = {
    "browse": "apply/Browse.qml", "category": "apply/ItemList.qml",
    "search": "apply/ItemList.qml", "guide": "common/Guide.qml", "form": "apply/Form.qml",
    "materials": "apply/Materials.qml", "scan": SCAN, "commitment": "apply/Commitment.qml",
    "review": "apply/Review.qml", "submitting": WAITING, "submit_failed": MESSAGE,
    "receipt": "apply/Receipt.qml", "ended": ENDED,
}
QUERY_SCREENS = {"loading": WAITING, "cases": "query/Cases.qml",
                 "local_cases": "query/Cases.qml", "confirm_withdraw": MESSAGE,
                 "withdrawing": WAITING, "ended": ENDED}
PICKUP_SCREENS = {"choose_method": MESSAGE, "enter_code": ENTRY, "opening": WAITING,
                  "nothing": MESSAGE,
                  "door_open": "pickup/Locker.qml", "done": "pickup/Locker.qml",
                  "open_failed": MESSAGE, "unavailable": MESSAGE, "ended": ENDED}
TICKET_SCREENS = {"choose": MESSAGE, "enter_booking": ENTRY, "scan_booking": WAITING,
                  "checking_in": WAITING, "loading_categories": WAITING,
                  "categories": "ticket/Categories.qml", "issuing": WAITING,
                  "ticket": "ticket/Ticket.qml", "unavailable": MESSAGE, "ended": ENDED}
SUPPLY_SCREENS = {"choose": MESSAGE, "scan_receipt": WAITING, "loading": WAITING,
                  "nothing": MESSAGE, "owed": "apply/Materials.qml", "scan": SCAN,
                  "sending": WAITING, "send_failed": MESSAGE, "sent": MESSAGE, "ended": ENDED}
GUIDE_SCREENS = {"ask": "guide/Ask.qml", "answers": "guide/Ask.qml", "answer": MESSAGE,
                 "item": "common/Guide.qml", "ended": ENDED}


def with_prefix(prefix: str, screens: dict[str, str]) -> dict[str, str]:
    return {prefix + state: file for state, file in screens.items()}


def with_identify(screens: dict[str, str]) -> dict[str, str]:
    return {**screens, **with_prefix("identify_", IDENTIFY_SCREENS)}


def journey_services(ctx: JourneyContext) -> JourneyServices:
    """Tests and the demo may hand in their own (`extras["journey_services"]`); otherwise
    they are built from the kiosk core."""
    done: Future = Future()
    done.set_result(None)

    def post(fn: Callable[[], None]) -> None:
        ctx.deliver(done, lambda _none: fn())

    make = ctx.extras.get("journey_services")
    if make is not None:
        services = make(post)
    else:
        from kiosk.journeys.services import build_services
        services = build_services(ctx.core, post=post, background=run_in_background)
    services.language = ctx.language
    return services


def rate_after(journey: Journey, context: dict | None) -> tuple[str, Journey] | None:
    """A rating prompt after every completed service (DB2203/T 8-2024 5.1.3); `context` is
    the journey's `rating_context()`, None when no service was delivered."""
    if isinstance(journey, RateJourney) or context is None:
        return None
    return "rate_", RateJourney(journey.services, **context)


def _factory(journey_class: type[Journey], **options: Any):
    def make(ctx: JourneyContext) -> JourneyViewModel:
        return JourneyViewModel(journey_class, journey_services(ctx), **options)
    return make


register_journey("apply", _factory(ApplyJourney, follow_up=rate_after),
                 {**with_identify(APPLY_SCREENS), **with_prefix("rate_", RATE_SCREENS)})
register_journey("query", _factory(QueryJourney), with_identify(QUERY_SCREENS))
register_journey("pickup", _factory(PickupJourney, follow_up=rate_after),
                 {**with_identify(PICKUP_SCREENS), **with_prefix("rate_", RATE_SCREENS)})
register_journey("supply", _factory(SupplyJourney), with_identify(SUPPLY_SCREENS))
register_journey("ticket", _factory(TicketJourney), TICKET_SCREENS)
register_journey("rate", _factory(RateJourney), RATE_SCREENS)
register_journey("guide", _factory(GuideJourney),
                 {**GUIDE_SCREENS,
                  **with_prefix("apply_", with_identify(APPLY_SCREENS))})
#: the staff entry: no tile; opened by the hidden entry, also while out of service
register_journey("maintenance", _factory(MaintenanceJourney),
                 {"sign_in": ENTRY, "read_card": WAITING, "face_check": "identify/FaceCheck.qml",
                  "checking": WAITING, "menu": MESSAGE, "ended": ENDED,
                  **{screen: file for page, screens in PAGE_SCREENS.items()
                     for screen, file in with_prefix(page + "_", screens).items()}},
                 staff=True)
