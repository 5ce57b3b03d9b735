"""The citizen journeys as Qt-free state machines (see base.py for what they share)."""
from kiosk.journeys.apply import ApplyJourney
from kiosk.journeys.guide import GuideJourney
from kiosk.journeys.identify import IdentifyJourney
from kiosk.journeys.maintenance import MaintenanceJourney
from kiosk.journeys.pickup import PickupJourney
from kiosk.journeys.query import QueryJourney
from kiosk.journeys.rate import RateJourney
from kiosk.journeys.supply import SupplyJourney
from kiosk.journeys.ticket import TicketJourney

JOURNEYS = {cls.name: cls for cls in (ApplyJourney, QueryJourney, PickupJourney, TicketJourney,
                                      GuideJourney, RateJourney, IdentifyJourney, SupplyJourney)}

__all__ = ["JOURNEYS", "ApplyJourney", "GuideJourney", "IdentifyJourney", "MaintenanceJourney",
           "PickupJourney", "QueryJourney", "RateJourney", "SupplyJourney", "TicketJourney"]
