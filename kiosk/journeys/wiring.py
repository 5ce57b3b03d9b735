"""Fits the kiosk core (device registry, event sink, configuration) to the journeys' ports.

Each adapter turns a device kind's commands into the futures a journey waits on and its
results into the journeys' values. Roles are looked up when a journey asks, so a device
that heals (hot-plug) is used again without a restart. What the core does not provide
(a citizen-services client before enrolment, a pickup service without lockers) is
replaced by a stand-in that says so honestly: server unreachable, pickup unavailable.
"""
from __future__ import annotations

import io
import logging
import secrets
import threading
from concurrent.futures import Future
from datetime import datetime
from typing import Any, Callable, Mapping

from devices.commands import Command, CommandResult
from kiosk.catalogue import ServiceItem
from foundation.events import StorageUnavailable
from foundation.identity_validation import BacKeyInput
from wire.calendar import WorkingDayCalendar
from kiosk.journeys.ports import CitizenDocument, FaceGuidance, FaceOutcome, Identified, \
    JourneyServices, JourneySettings, LockerWall, MrzKey, NotFound, Parcel, ScannedPage, \
    ServerUnavailable
from wire.v1 import CaseSummary, Text, holder_hmac

log = logging.getLogger(__name__)


def command_value(command: Command, convert: Callable[[Any], Any] = lambda v: v) -> Future:
    """A future of the command's converted value, failing with its device error."""
    future: Future = Future()

    def done(result_future: Future) -> None:
        result: CommandResult = result_future.result()
        if result.error is not None:
            future.set_exception(result.error)
            return
        try:
            future.set_result(convert(result.value))
        except Exception as error:  # a value that does not convert is bad data, not a crash
            future.set_exception(error)
    command.future.add_done_callback(done)
    return future


# --- identity documents --------------------------------------------------------------------

def citizen_document(document: Any) -> CitizenDocument:
    """devices.id_reader.result.IdDocument -> the journeys' view of it."""
    from devices.id_reader.result import PASSPORT, RESIDENT_ID
    kind = {RESIDENT_ID: "resident_id", PASSPORT: "passport"}.get(document.document_type,
                                                                  "permit")
    photo = document.photo.data if document.photo.available else None
    return CitizenDocument(kind, document.document_number, document.name,
                           birth_date=document.birth_date, sex=document.sex,
                           nationality=document.nationality, expiry=document.expiry_date,
                           photo=photo, address=document.address,
                           id_number=document.document_number if kind == "resident_id" else "")


class IdReaderPort:
    def __init__(self, registry: Any) -> None:
        self._registry = registry
        self._running: Command | None = None

    def _read(self, key: BacKeyInput | None) -> Future:
        device = self._registry.first_usable("id_reader")
        if device is None:
            failed: Future = Future()
            from devices.model import DeviceNotReady
            failed.set_exception(DeviceNotReady("no usable identity-document reader"))
            return failed
        self._running = device.read(key)
        return command_value(self._running, citizen_document)

    def read_resident_id(self) -> Future:
        return self._read(None)

    def read_travel_document(self, key: MrzKey) -> Future:
        return self._read(BacKeyInput(key.document_number, key.birth_date, key.expiry_date))

    def cancel(self) -> None:
        if self._running is not None:
            self._running.token.cancel("journey ended")


class CodeReaderPort:
    def __init__(self, registry: Any) -> None:
        self._registry = registry
        self._waiting: Future | None = None

    def read_code(self) -> Future:
        device = self._registry.first_usable("code_reader")
        result: Future = Future()
        if device is None:
            from devices.model import DeviceNotReady
            result.set_exception(DeviceNotReady("no usable code reader"))
            return result
        self._waiting = device.next_code()
        self._waiting.add_done_callback(
            lambda f: result.set_exception(f.exception()) if f.exception()
            else result.set_result(f.result().value))
        return result

    def cancel(self) -> None:
        if self._waiting is not None and not self._waiting.done():
            self._waiting.cancel()


def _newest_image(camera: Any) -> Any:
    frame = camera.frames.latest() if camera is not None else None
    return frame.image if frame is not None else None


# --- face -------------------------------------------------------------------------------

class FacePort:
    """One attempt per `verify` on the face service's child process (the journey counts
    attempts and decides on the staff path); guidance comes with the pipeline's words."""

    def __init__(self, service: Any, registry: Any) -> None:
        self._service = service
        self._registry = registry
        self._step: Any = None
        self._camera: Any = None

    def preview(self) -> Any:
        return _newest_image(self._camera) if self._step is not None else None

    def verify(self, reference_photo: bytes,
               on_guidance: Callable[[FaceGuidance], None]) -> Future:
        from devices.face.guidance import text
        from devices.face.verification import Phase
        outcome: Future = Future()
        camera = self._registry.first_usable("face_camera")
        try:
            if camera is None:
                raise RuntimeError("no usable face camera")
            step = self._service.begin(camera, reference_photo, max_attempts=1)
        except Exception as error:  # no camera, child process down, unreadable photo
            outcome.set_exception(error)
            return outcome
        self._step, self._camera = step, camera

        def show(state: Any) -> None:
            try:
                words = (text(state.instruction, "zh_CN"), text(state.instruction, "en_US"))
            except (KeyError, ValueError):
                words = ("", "")
            on_guidance(FaceGuidance(state.instruction, state.progress, *words))

        def finished(done: Future) -> None:
            phase = done.result().phase
            self._finish(step)
            outcome.set_result(FaceOutcome(True, True) if phase is Phase.ACCEPTED
                               else FaceOutcome(False, phase is not Phase.ENDED,
                                                "no_match" if phase is Phase.STAFF
                                                else "timeout"))
        step.subscribe(show)
        step.done.add_done_callback(finished)
        return outcome

    def _finish(self, step: Any) -> None:
        if self._step is step:
            self._step = None
        self._service.finish(step)

    def stop(self) -> None:
        if self._step is not None:
            self._finish(self._step)


# --- document camera -----------------------------------------------------------------------

class ScannerPort:
    """Auto-capture of one page from the document camera (found, straightened, readable)."""

    def __init__(self, registry: Any) -> None:
        self._registry = registry
        self._capture: Any = None

    def preview(self) -> Any:
        capture = self._capture
        return _newest_image(capture.camera) if capture is not None else None

    def capture(self) -> Future:
        from devices.docscan.capture import PageCapture
        from devices.docscan.scan import to_jpeg
        page: Future = Future()
        camera = self._registry.first_usable("document_camera")
        if camera is None:
            from devices.model import DeviceNotReady
            page.set_exception(DeviceNotReady("no usable document camera"))
            return page
        self.stop()
        capture = self._capture = PageCapture(camera)

        def captured(done: Future) -> None:
            if done.cancelled() or done.exception() is not None:
                if not page.done():
                    page.set_exception(done.exception() or RuntimeError("scan stopped"))
                return
            page.set_result(ScannedPage(to_jpeg(done.result().page)))
            self._stop_capture(capture)
        capture.start().add_done_callback(captured)
        return page

    def _stop_capture(self, capture: Any) -> None:
        if self._capture is capture:
            self._capture = None
        # joining the capture thread from itself would deadlock: stop it from elsewhere
        threading.Thread(target=capture.stop, name="page-capture-stop", daemon=True).start()

    def stop(self) -> None:
        if self._capture is not None:
            self._stop_capture(self._capture)


# --- printer --------------------------------------------------------------------------------

#: the staff path's reasons (IdentifyJourney.call_staff) in the referral slip's words
REFERRAL_REASONS = {"help": "市民请求人工帮助", "device_fault": "设备故障，需人工核验身份",
                    "identity_failed": "人脸比对未通过，需人工核验身份"}


class PrinterPort:
    """The journeys' documents as the printer kind's templates."""

    def __init__(self, registry: Any, hall: str) -> None:
        self._registry = registry
        self._hall = hall

    def _document(self, name: str, data: Mapping[str, Any]) -> Any:
        from devices.printer import documents as docs
        if name == "receipt":
            return docs.SubmissionReceipt(
                hall=self._hall, case_number=data["case_number"], service=data["item"],
                submitted_at=datetime.fromisoformat(data["submitted_at"]),
                promised_date=datetime.fromisoformat(data["promised_date"]).date(),
                materials_received=data.get("materials_received", ()),
                materials_deferred=data.get("materials_deferred", ()),
                supply_deadline=(datetime.fromisoformat(data["due_date"]).date()
                                 if data.get("due_date") else None),
                follow_url=data.get("url", ""))
        if name == "commitment_letter":
            from PIL import Image
            return docs.CommitmentLetter(
                case_number=data["case_number"], service=data["item"],
                text_version=data["text_version"], paragraphs=[data["text"]],
                materials_deferred=data["materials_deferred"],
                deadline=datetime.fromisoformat(data["due_date"]).date(),
                signer=data["applicant"], signed_at=datetime.fromisoformat(data["submitted_at"]),
                signature=Image.open(io.BytesIO(data["signature"])).convert("L"))
        if name == "referral":
            return docs.ReferralSlip(
                hall=self._hall, reason=REFERRAL_REASONS.get(data["reason"], data["reason"]),
                kiosk_id=data["kiosk_id"], issued_at=datetime.fromisoformat(data["at"]))
        if name == "ticket":
            return docs.QueueTicket(hall=self._hall, ticket_no=data["ticket_no"],
                                    window_group=data["category"], waiting=data["waiting"],
                                    issued_at=datetime.fromisoformat(data["issued_at"]))
        from devices.model import Unsupported
        raise Unsupported(f"no printed template for {name!r}")

    def print_document(self, document: str, data: Mapping[str, Any]) -> Future:
        device = self._registry.first_usable("receipt_printer")
        failed: Future = Future()
        if device is None:
            from devices.model import DeviceNotReady
            failed.set_exception(DeviceNotReady("no usable receipt printer"))
            return failed
        try:
            template = self._document(document, data)
        except Exception as error:
            failed.set_exception(error)
            return failed
        return command_value(device.print_document(template))


# --- pickup ---------------------------------------------------------------------------------

class PickupPort:
    """The pickup service (kiosk/pickup.py) for the journey: its blocking opens run on the
    background runner; a door's `closed` event resolves that parcel's wait."""

    def __init__(self, service: Any, background: Callable[[Callable[[], Any]], Future]) -> None:
        self._service = service
        self._background = background
        self._closing: dict[int, Future] = {}
        self._lock = threading.Lock()
        service.lockers.subscribe(self._on_locker_event)

    def available(self) -> tuple[bool, str]:
        status = self._service.lockers.status
        return status.usable, status.reason or str(status.availability)

    def wall(self) -> LockerWall:
        """The wall as configured (`wall`, else a row a board), as citizens see it."""
        return LockerWall([[str(n) for n in row]
                           for row in self._service.lockers.settings.wall_rows()])

    def _parcels(self, results: list[Any]) -> list[Parcel]:
        stored = {p.compartment: p for p in self._service.store.all().values()}
        parcels = []
        for result in results:
            parcel = stored.get(result.number)
            items = "、".join(parcel.items) if parcel and parcel.items else ""
            parcels.append(Parcel(parcel.parcel_id if parcel else str(result.number), items,
                                  items, str(result.number)))
        return parcels

    def open_with_code(self, case_number: str, code: str) -> Future:
        return self._background(lambda: self._parcels(
            [self._service.open_with_code(case_number, code)]))

    def open_for(self, who: Identified) -> Future:
        return self._background(lambda: self._parcels(
            self._service.open_for_holder(who.id_number)))

    def wait_closed(self, parcel: Parcel) -> Future:
        future: Future = Future()
        with self._lock:
            self._closing[int(parcel.compartment)] = future
        return future

    def _on_locker_event(self, event: Any) -> None:
        if event.name not in ("closed", "jammed"):
            return
        with self._lock:
            future = self._closing.pop(int(event.data.get("compartment", 0)), None)
        if future is not None and not future.done():
            if event.name == "closed":
                future.set_result(None)
            else:
                future.set_exception(RuntimeError("door jammed"))


class NoPickup:
    def available(self) -> tuple[bool, str]:
        return False, "no pickup service configured"


# --- the rest -------------------------------------------------------------------------------

class UnavailableSink:
    """No event sink (not enrolled, UI-only run): applications cannot be stored."""

    def enqueue(self, kind: str, payload: Mapping[str, Any], blobs: Any = None):
        raise StorageUnavailable("no event sink: the kiosk is not enrolled")


class LocalPendingCases:
    """Applications made at this kiosk in this run, until the server confirms them.

    Holders are matched by an HMAC of the ID number under a key that lives only in memory,
    so nothing here identifies anyone; delivered items disappear with the queue's state."""

    def __init__(self, still_pending: Callable[[str], bool] = lambda case: True) -> None:
        self._key = secrets.token_bytes(32)
        self._still_pending = still_pending
        self._cases: list[tuple[str, str, ServiceItem, datetime]] = []

    def _holder(self, who: Identified) -> str:
        return holder_hmac(self._key, who.id_number)

    def record(self, who: Identified, case_number: str, item: ServiceItem) -> None:
        self._cases.append((self._holder(who), case_number, item, who.at))

    def pending_for(self, who: Identified) -> list[CaseSummary]:
        holder = self._holder(who)
        self._cases = [c for c in self._cases if self._still_pending(c[1])]
        return [CaseSummary(case_number=number, service_code=item.task_code,
                            service_name=Text(zh=item.name.zh, en=item.name.en or item.name.zh),
                            state="received", submitted_at=at, promised_date=None,
                            kiosk_id=None, hall_code=None, pickup=(item.pickup_methods or
                                                                   ("none",))[0])
                for tag, number, item, at in self._cases if tag == holder]


# --- citizen services at the district ----------------------------------------------------

def _translated(future: Future) -> Future:
    """`future` with the offline queue's errors turned into the journeys' ones."""
    from offline_queue.errors import NotOnServer, ServiceUnreachable
    out: Future = Future()

    def done(inner: Future) -> None:
        error = inner.exception()
        if error is None:
            out.set_result(inner.result())
        elif isinstance(error, NotOnServer):
            out.set_exception(NotFound(str(error)))
        elif isinstance(error, ServiceUnreachable):
            out.set_exception(ServerUnavailable(str(error)))
        else:
            out.set_exception(error)
    future.add_done_callback(done)
    return out


class CitizenPort:
    """The journeys' CitizenServices on the offline queue's signed citizen client."""

    def __init__(self, client: Any) -> None:
        self._client = client

    @staticmethod
    def _identity(who: Identified) -> Any:
        from offline_queue.citizen import CitizenIdentity
        return CitizenIdentity(who.id_number, who.method, who.at)

    def reference_photo(self, who: Identified) -> Future:
        return _translated(self._client.reference_photo(self._identity(who)))

    def certificates(self, who: Identified, types: Any) -> Future:
        return _translated(self._client.certificates(self._identity(who), types))

    def cases(self, who: Identified) -> Future:
        return _translated(self._client.cases(self._identity(who)))

    def check_in(self, booking_code: str) -> Future:
        return _translated(self._client.check_in(booking_code))

    def ticket_categories(self) -> Future:
        return _translated(self._client.ticket_categories())

    def take_ticket(self, category_id: str) -> Future:
        return _translated(self._client.take_ticket(category_id))

    def call_staff(self, reason: str, journey: str) -> Future:
        return _translated(self._client.call_staff(reason, journey))


class OfflineCitizenServices:
    """Stands in when the kiosk is not enrolled: every call says the server is unreachable,
    which the journeys show honestly (no photo to compare, query local only...)."""

    def __getattr__(self, name: str) -> Callable[..., Future]:
        def unavailable(*_args: Any, **_kwargs: Any) -> Future:
            future: Future = Future()
            future.set_exception(ServerUnavailable("the kiosk is not enrolled with a server"))
            return future
        return unavailable


_per_core: dict[int, tuple[Any, Any]] = {}


def _citizen_and_pending(core: Any) -> tuple[Any, LocalPendingCases]:
    """One citizen-services client (own transport, own thread) and one record of local
    pending cases per core, made on first use."""
    made = _per_core.get(id(core))
    if made is not None:
        return made
    from offline_queue.citizen import CitizenClient
    from offline_queue.transport import SignedTransport
    queue = getattr(core, "queue", None)
    worker = queue.worker if queue is not None else None
    citizen: Any = OfflineCitizenServices()
    still_pending: Callable[[str], bool] = lambda case: True  # noqa: E731
    if worker is not None:
        server = core.config.server
        # requests are signed on real time (the queue's clock), which the server checks
        transport = SignedTransport(worker.transport.base_url, worker.identity.kiosk_id,
                                    worker.identity.signing_key, clock=queue.clock,
                                    timeout_s=server.timeout_s,
                                    pinned_cert_sha256=server.pinned_cert_sha256)
        citizen = CitizenPort(CitizenClient(transport, worker.identity.signing_key,
                                            clock=queue.clock, journey_clock=core.clock))
    if queue is not None:
        def still_pending(case: str) -> bool:
            return any(item.case_number == case for item in queue.outbox.items(state="pending"))
    made = (citizen, LocalPendingCases(still_pending))
    _per_core[id(core)] = made
    return made


def build_services(core: Any, *, post: Callable[[Callable[[], None]], None],
                   background: Callable[[Callable[[], Any]], Future],
                   citizen: Any = None, pickup: Any = None) -> JourneyServices:
    # the journey keeps this edition to its end, whatever the district pushes meanwhile
    edition = core.catalogue.edition()
    catalogue = edition.catalogue
    registry = core.devices
    kiosk = core.config.kiosk
    core_citizen, pending = _citizen_and_pending(core)
    citizen = citizen or core_citizen
    pickup_service = pickup or getattr(core, "pickup", None)
    face_service = getattr(core, "face", None)
    calendar = catalogue.data.calendar
    return JourneyServices(
        clock=core.clock, catalogue=catalogue, search=edition.search,
        events=core.event_sink or UnavailableSink(),
        calendar=WorkingDayCalendar(calendar.holidays, calendar.workdays),
        citizen=citizen, pending=pending,
        documents=IdReaderPort(registry),
        face=FacePort(face_service, registry) if face_service is not None else None,
        scanner=ScannerPort(registry), codes=CodeReaderPort(registry),
        printer=PrinterPort(registry, kiosk.name),
        pickup=PickupPort(pickup_service, background) if pickup_service else NoPickup(),
        role_usable=lambda role: registry.role_state(role).usable,
        online=lambda: core.server_reachable and not isinstance(citizen,
                                                                OfflineCitizenServices),
        post=post, background=background,
        settings=JourneySettings(kiosk_id=kiosk.id, face_attempts=core.config.face.max_attempts))
