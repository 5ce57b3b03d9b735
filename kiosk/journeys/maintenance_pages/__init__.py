"""The pages of the maintenance menu, one journey each (`kiosk.staff_access.PAGES` names
them; a role sees only those it may open).

A page is a `Journey` whose `name` is its page key, built as
`PageClass(services, role=..., staff_id=...)`, with a ClassVar `actions` naming the methods
its screens may call. It ends (finish or cancel) back to the maintenance menu; the session's
idle timeout ends the whole maintenance journey, and so the page, as everywhere else.
"""
from __future__ import annotations

from kiosk.journeys.base import Journey
from kiosk.journeys.maintenance_pages.configuration import ConfigurationPage
from kiosk.journeys.maintenance_pages.devices import ConsumablesPage, DevicesPage
from kiosk.journeys.maintenance_pages.lockers import LockersPage
from kiosk.journeys.maintenance_pages.logs import LogsPage
from kiosk.journeys.maintenance_pages.queue import QueuePage

#: page key -> the page's journey class; a page not listed here is not offered in the menu
PAGE_JOURNEYS: dict[str, type[Journey]] = {
    "devices": DevicesPage, "consumables": ConsumablesPage, "queue": QueuePage,
    "configuration": ConfigurationPage, "logs": LogsPage, "lockers": LockersPage,
}
