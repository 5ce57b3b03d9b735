"""The journeys' services (`JourneyServices`) built from the kiosk core: its device registry,
event sink, catalogue in use, pickup and face services, through the adapters in
`kiosk/journeys/adapters/`, one per port.

What lives as long as the core (the citizen-services client with its own transport and
thread, the record of local pending cases) is made once, on first use, by
`KioskCore.citizen_backends`; everything else is made per journey, so a journey keeps the
catalogue edition it started with.
"""
from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

from foundation.events import SealedBlob, StorageUnavailable
from kiosk.journeys.adapters.citizen import CitizenPort, OfflineCitizenServices
from kiosk.journeys.adapters.codes import CodeReaderPort
from kiosk.journeys.adapters.documents import IdReaderPort
from kiosk.diagnostics import Diagnostics
from kiosk.journeys.adapters.face import FacePort
from kiosk.journeys.adapters.pending import LocalPendingCases
from kiosk.journeys.adapters.pickup import NoPickup, PickupPort
from kiosk.journeys.adapters.printer import PrinterPort
from kiosk.journeys.adapters.scanner import ScannerPort
from kiosk.journeys.ports import CitizenServices, JourneyServices, JourneySettings

if TYPE_CHECKING:
    from kiosk.app import KioskCore
    from kiosk.pickup import PickupService


class UnavailableSink:
    """No event sink (not enrolled, UI-only run): applications cannot be stored."""

    def seal(self, data: bytes) -> SealedBlob:
        raise StorageUnavailable("no event sink: the kiosk is not enrolled")

    def discard(self, blobs: Iterable[SealedBlob]) -> None:
        """Nothing was sealed here, so nothing is kept."""

    def enqueue(self, kind: str, payload: Mapping[str, Any], blobs: Any = None):
        raise StorageUnavailable("no event sink: the kiosk is not enrolled")


@dataclass(frozen=True)
class CitizenBackends:
    citizen: CitizenPort | OfflineCitizenServices
    pending: LocalPendingCases


def citizen_backends(core: "KioskCore") -> CitizenBackends:
    """The citizen-services client (own transport, own thread; offline stand-in before
    enrolment) and the record of local pending cases of `core`."""
    queue = core.queue
    worker = queue.worker if queue is not None else None
    citizen: CitizenPort | OfflineCitizenServices = OfflineCitizenServices()
    if queue is not None and worker is not None:
        from offline_queue.citizen import CitizenClient
        from offline_queue.transport import SignedTransport
        server = core.config.server
        # requests are signed on real time (the queue's clock), which the server checks
        transport = SignedTransport(worker.transport.base_url, worker.identity.kiosk_id,
                                    worker.identity.signing_key, clock=queue.clock,
                                    timeout_s=server.timeout_s,
                                    pinned_cert_sha256=server.pinned_cert_sha256)
        citizen = CitizenPort(CitizenClient(transport, worker.identity.signing_key,
                                            clock=queue.clock, journey_clock=core.clock))
    if queue is None:
        return CitizenBackends(citizen, LocalPendingCases())
    outbox = queue.outbox

    def still_pending(case: str) -> bool:
        return any(item.case_number == case for item in outbox.items(state="pending"))
    return CitizenBackends(citizen, LocalPendingCases(still_pending))


def build_services(core: "KioskCore", *, post: Callable[[Callable[[], None]], None],
                   background: Callable[[Callable[[], Any]], Future],
                   citizen: CitizenServices | None = None,
                   pickup: "PickupService | None" = None) -> JourneyServices:
    # the journey keeps this edition to its end, whatever the district pushes meanwhile
    edition = core.catalogue.edition()
    registry = core.devices
    kiosk = core.config.kiosk
    backends = core.citizen_backends
    citizen_services = citizen or backends.citizen
    pickup_service = pickup or core.pickup
    return JourneyServices(
        clock=core.clock, catalogue=edition.catalogue, search=edition.search,
        events=core.event_sink or UnavailableSink(),
        calendar=edition.calendar,
        citizen=citizen_services, pending=backends.pending,
        documents=IdReaderPort(registry),
        face=FacePort(core.face, registry) if core.face is not None else None,
        scanner=ScannerPort(registry, core.config.document_scan.auto_capture_countdown_s),
        codes=CodeReaderPort(registry),
        printer=PrinterPort(registry, kiosk.name),
        pickup=PickupPort(pickup_service, background) if pickup_service else NoPickup(),
        maintenance=core.maintenance, diagnostics=Diagnostics(core),
        role_usable=lambda role: registry.role_state(role).usable,
        online=lambda: core.server_reachable and not isinstance(citizen_services,
                                                                OfflineCitizenServices),
        server_features=lambda: (core.queue.worker.server_features
                                 if core.queue is not None and core.queue.worker is not None
                                 else frozenset()),
        post=post, background=background,
        settings=JourneySettings(kiosk_id=kiosk.id, face_attempts=core.config.face.max_attempts,
                                 **_followup_base(core)))


def _followup_base(core: "KioskCore") -> dict[str, str]:
    """The configured public address, else the server this kiosk enrolled with."""
    worker = core.queue.worker if core.queue is not None else None
    base = core.config.server.public_url or (worker.identity.server_url if worker else "")
    return {"followup_base_url": base} if base else {}
