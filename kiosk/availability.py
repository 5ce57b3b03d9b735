"""Which journeys the kiosk can offer right now, and why not.

Each journey declares the roles it cannot do without and the roles whose absence
only degrades it (printer out: receipt by QR). The attract screen and `kiosk doctor`
both read this roll-up.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Mapping

if TYPE_CHECKING:
    from devices.registry import DeviceRegistry
    from kiosk.service_state import ServiceSnapshot


@dataclass(frozen=True)
class Requirements:
    required: tuple[str, ...] = ()
    #: role -> what the citizen gets instead when it is down
    degrades: Mapping[str, str] = field(default_factory=dict)
    needs_server: bool = False
    #: stores what the citizen hands over: not offered while the offline queue cannot store
    needs_storage: bool = False
    offline_note: str = ""


JOURNEY_REQUIREMENTS: dict[str, Requirements] = {
    "apply": Requirements(required=("id_reader",),
                          degrades={"face_camera": "identity checked by hall staff instead",
                                    "receipt_printer": "receipt by QR code instead of paper",
                                    "document_camera": "paper materials cannot be scanned"},
                          needs_storage=True,
                          offline_note="applications are accepted and sent when the network returns"),
    "query": Requirements(required=("id_reader",),
                          degrades={"face_camera": "identity checked by hall staff instead"},
                          offline_note="only applications made at this kiosk and not yet sent"),
    "supply": Requirements(required=("document_camera",),
                           degrades={"face_camera": "identity checked by hall staff instead"},
                           needs_storage=True,
                           offline_note="only what was promised at this kiosk is shown; "
                                        "materials are sent when the network returns"),
    "pickup": Requirements(required=("locker_bank",),
                           degrades={"id_reader": "pickup with the pickup code only"}),
    "ticket": Requirements(degrades={"receipt_printer": "ticket number shown and sent by QR",
                                     "code_reader": "appointment codes must be typed"},
                           needs_server=True),
    "guide": Requirements(),
    "rate": Requirements(),
}


@dataclass(frozen=True)
class JourneyAvailability:
    journey: str
    available: bool
    reasons: tuple[str, ...] = ()     # why it is not offered (empty when available)
    degraded: tuple[str, ...] = ()    # what works differently right now


def journey_availability(registry: DeviceRegistry, journeys: Iterable[str], *,
                         server_reachable: bool = True,
                         service: ServiceSnapshot | None = None) -> dict[str, JourneyAvailability]:
    """`service`: the kiosk's service state (None: in service, no stop)."""
    result: dict[str, JourneyAvailability] = {}
    storage_problem = service.withdrawn("needs_storage") if service else None
    for journey in journeys:
        needs = JOURNEY_REQUIREMENTS[journey]
        reasons = []
        if service is not None and not service.offers_journeys:
            reasons.append(f"{service.mode.value.replace('_', ' ')}: {service.reason()}")
        for role in needs.required:
            state = registry.role_state(role)
            if not state.usable:
                reasons.append(f"{role} unavailable ({state.reason})")
        if needs.needs_server and not server_reachable:
            reasons.append("the district server cannot be reached")
        if needs.needs_storage and storage_problem:
            reasons.append(f"the offline queue cannot store: {storage_problem}")
        degraded = [note for role, note in needs.degrades.items()
                    if not registry.role_state(role).usable]
        if not server_reachable and needs.offline_note:
            degraded.append(needs.offline_note)
        result[journey] = JourneyAvailability(journey, not reasons, tuple(reasons), tuple(degraded))
    return result

