"""Small fakes at the journeys' edges: every device/server call returns a future the test
resolves (or that resolves at once, where the test does not care)."""
from __future__ import annotations

import base64
import hashlib
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone

from foundation.events import Enqueued, SealedBlob, StorageUnavailable
from wire.calendar import WorkingDayCalendar
from kiosk.journeys.ports import CitizenDocument, FaceOutcome, JourneyServices, \
    JourneySettings, LockerWall, NotFound, Parcel, ParcelForStaff, Refused, ScannedPage, \
    ServerUnavailable
from kiosk.search import SearchIndex
from wire.v1 import CaseSummary, CertificateOnFile, CheckInResponse, QueueCategory, QueueTicket, \
    Appointment, Text, FEATURE_KEEP_ON_FILE

RESIDENT = CitizenDocument("resident_id", "11010519491231002X", "王小明",
                           birth_date=date(1949, 12, 31), sex="F", photo=b"\xff\xd8chip-photo",
                           id_number="11010519491231002X", address="福田区福中三路1号")
PASSPORT = CitizenDocument("passport", "E12345678", "ZHANG SAN", birth_date=date(1990, 1, 1),
                           photo=b"\xff\xd8passport-photo")
JPEG = b"\xff\xd8\xff\xe0scan"
SIGNATURE = b"\x89PNG\r\n\x1a\nsignature"
T0 = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)


def done(value=None) -> Future:
    future: Future = Future()
    future.set_result(value)
    return future


def failed(error: BaseException) -> Future:
    future: Future = Future()
    future.set_exception(error)
    return future


class Manual:
    """Hands out futures and keeps the last one so a test can resolve it when it likes."""

    def __init__(self) -> None:
        self.futures: list[Future] = []
        self.cancels = 0

    def _new(self) -> Future:
        future: Future = Future()
        self.futures.append(future)
        return future

    @property
    def last(self) -> Future:
        return self.futures[-1]

    def cancel(self) -> None:
        self.cancels += 1

    stop = cancel


class FakeReader(Manual):
    def __init__(self) -> None:
        super().__init__()
        self.keys = []

    def read_resident_id(self) -> Future:
        return self._new()

    def read_travel_document(self, key) -> Future:
        self.keys.append(key)
        return self._new()


class FakeFace(Manual):
    def verify(self, reference_photo, on_guidance) -> Future:
        self.reference = reference_photo
        self.on_guidance = on_guidance
        return self._new()


class FakeScanner(Manual):
    def __init__(self) -> None:
        super().__init__()
        self.taken_now = 0

    def capture(self, on_view) -> Future:
        self.on_view = on_view
        return self._new()

    def take_now(self) -> None:
        self.taken_now += 1


class FakeCodes(Manual):
    def read_code(self) -> Future:
        return self._new()


class FakePrinter:
    def __init__(self, fail: bool = False) -> None:
        #: (kind, document) of each document printed
        self.printed: list[tuple[str, object]] = []
        self.fail = fail

    def print_document(self, document) -> Future:
        if self.fail:
            return failed(RuntimeError("paper out"))
        self.printed.append((document.kind, document))
        return done()


class FakeSink:
    """Its "sealing" only wraps the bytes: `items` keeps each item's attachments opened,
    `given_plaintext` the names of those that came to `enqueue` not sealed, and `discarded`
    the captures given up."""
    SEALED = b"sealed:"

    def __init__(self) -> None:
        self.items: list[tuple[str, dict, dict]] = []
        self.given_plaintext: list[str] = []
        #: the captured bytes whose sealed copies were given up
        self.discarded: list[bytes] = []
        self.broken = False

    def seal(self, data: bytes) -> SealedBlob:
        sealed = self.SEALED + data
        return SealedBlob(hashlib.sha256(sealed).hexdigest(), sealed)

    def discard(self, blobs) -> None:
        self.discarded += [blob.sealed.removeprefix(self.SEALED) for blob in blobs]

    def enqueue(self, kind, payload, blobs=None) -> Enqueued:
        if self.broken:
            raise StorageUnavailable("disk full")
        blobs = dict(blobs or {})
        self.given_plaintext += [name for name, data in blobs.items()
                                 if not isinstance(data, SealedBlob)]
        self.items.append((kind, dict(payload), {
            name: data.sealed.removeprefix(self.SEALED) if isinstance(data, SealedBlob) else data
            for name, data in blobs.items()}))
        seq = len(self.items)
        return Enqueued(f"item-{seq}", seq, f"kiosk-{seq}")


def _case(number: str, state: str = "accepted") -> CaseSummary:
    return CaseSummary(case_number=number, service_code="T-JZZ-001",
                       service_name=Text(zh="居住证申领", en="Residence permit application"),
                       state=state, submitted_at=T0, promised_date=date(2026, 12, 7),
                       kiosk_id="kiosk", hall_code=None, pickup="locker")


#: a 医疗机构 application owing its business licence (容缺), and its receipt's QR
#: a document kept on file from the citizen's own scan (零材料): they may withdraw it
KEPT = CertificateOnFile(certificate_id="kept-0a1b2c3d4e5f60718293a4b5",
                         elicence_type="lease_record", name=Text(zh="房屋租赁凭证",
                                                                  en="Tenancy record"),
                         number_masked="", issuer="福田区住房和建设局",
                         issued_on=date(2025, 3, 1), valid_until=date(2030, 2, 28),
                         withdrawable=True)
OWING = CaseSummary(case_number="FT-2026-0003", service_code="T-YLJG-004",
                    service_name=Text(zh="医疗机构执业登记", en="Medical institution registration"),
                    state="accepted", submitted_at=T0, promised_date=date(2026, 12, 20),
                    kiosk_id="kiosk-2", hall_code=None, pickup="window",
                    outstanding_materials=["licence"], material_due_date=date(2026, 12, 9))
FOLLOWUP_SECRET = "qr-secret-0123456789abcdef"
RECEIPT_QR = f"https://ft.gov.example/case/FT-2026-0003?t={FOLLOWUP_SECRET}"

CATEGORY = QueueCategory(code="general", name=Text(zh="综合业务", en="General services"),
                         prefix="A", waiting=4)
TICKET = QueueTicket(ticket_no="A012", category="general", category_name=CATEGORY.name,
                     priority="normal", issued_at=T0, waiting_ahead=4, hall_code="FT01")
#: booking codes the fake server refuses -> its reason (as the district's 409 names it)
REFUSED_BOOKINGS = {"LATER1": "not_today", "USED01": "not_booked", "ELSE01": "other_hall",
                    "ODD001": "a_reason_this_kiosk_does_not_know"}


@dataclass
class FakeCitizen:
    online: bool = True
    photo: bytes | None = b"\xff\xd8reference"
    certificates_on_file: list = field(default_factory=lambda: [CertificateOnFile(
        certificate_id="CERT1", elicence_type="business_licence",
        name=Text(zh="营业执照", en="Business licence"), number_masked="9144****21",
        issuer="市场监管局", issued_on=date(2020, 1, 1), valid_until=None)])
    staff_calls: list = field(default_factory=list)
    hold: bool = False            # answers wait for `release()` (to stop in loading states)
    held: list = field(default_factory=list)
    #: cases owing a material (容缺), listed with the others and found by their receipt QR
    owing: list = field(default_factory=list)

    def _answer(self, value) -> Future:
        answer = done(value) if self.online else failed(ServerUnavailable("offline"))
        if not self.hold:
            return answer
        waiting: Future = Future()
        self.held.append((waiting, answer))
        return waiting

    def release(self) -> None:
        waiting, answer = self.held.pop(0)
        if answer.exception() is not None:
            waiting.set_exception(answer.exception())
        else:
            waiting.set_result(answer.result())

    def reference_photo(self, who):
        return self._answer(self.photo)

    def certificates(self, who, types):
        return self._answer([c for c in self.certificates_on_file
                             if not types or c.elicence_type in types])

    def withdraw_certificate(self, who, certificate_id):
        self.certificates_on_file = [c for c in self.certificates_on_file
                                     if c.certificate_id != certificate_id]
        return self._answer([c for c in self.certificates_on_file if c.withdrawable])

    def cases(self, who):
        return self._answer([_case("FT-2026-0001"), _case("FT-2026-0002", "completed"),
                             *self.owing])

    def followup_case(self, case_number, secret):
        found = [c for c in self.owing if c.case_number == case_number]
        if self.online and (not found or secret != FOLLOWUP_SECRET):
            return failed(NotFound(case_number))
        return self._answer(found[0] if found else None)

    def holder_assertion(self, who):
        """A well-formed assertion (its signature is not checked by the journeys)."""
        return {"assertion": {"kiosk_id": "kiosk-1", "id_number": who.id_number,
                              "method": who.method, "identified_at": who.at.isoformat(),
                              "nonce": "0" * 32},
                "signature_b64": base64.b64encode(bytes(64)).decode()}

    def check_in(self, code):
        if code in REFUSED_BOOKINGS:
            return failed(Refused(f"{code}: refused", REFUSED_BOOKINGS[code]))
        if code != "BK2026":
            return failed(NotFound(code))
        appointment = Appointment(appointment_id="AP1", service_code="T-JZZ-001",
                                  service_name=Text(zh="居住证申领", en="Residence permit"),
                                  queue_category="general", slot_start=T0, slot_end=T0,
                                  hall_code="FT01", status="checked_in")
        return self._answer(CheckInResponse(appointment=appointment, ticket=TICKET))

    def ticket_categories(self):
        return self._answer([CATEGORY])

    def take_ticket(self, category):
        return self._answer(TICKET)

    def call_staff(self, reason, journey):
        self.staff_calls.append(reason)
        return self._answer(2)


class FakePending:
    def __init__(self) -> None:
        self.recorded = []
        self.promised: dict[str, tuple[str, object]] = {}

    def record(self, who, case_number, item, owed=None) -> None:
        self.recorded.append((who.id_number, case_number, item.task_code))
        if owed is not None:
            self.promised[case_number] = (who.id_number, owed)

    def pending_for(self, who):
        return [_case(number, "received") for id_number, number, _ in self.recorded
                if id_number == who.id_number]

    def owed_for(self, who):
        return [owed for id_number, owed in self.promised.values()
                if id_number == who.id_number]

    def owed(self, case_number):
        known = self.promised.get(case_number)
        return known[1] if known else None

    def supplied(self, case_number, materials) -> None:
        self.promised.pop(case_number, None)


class Refusal(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class FakeDesk(Manual):
    """Opens at once unless `hold`; `closers` are the wait-for-close futures by parcel id."""

    def __init__(self, parcels=None, usable=True, hold=False) -> None:
        super().__init__()
        self.hold = hold
        self.parcels = parcels if parcels is not None else [
            Parcel("P1", "居住证申领", "Residence permit", "A03")]
        self.usable = usable
        self.closers: dict[str, Future] = {}
        self.wrong = 0

    def available(self):
        return (True, "") if self.usable else (False, "locker board not answering")

    def wall(self):
        return LockerWall([["A01", "A02", "A03"], ["B01", "B02", "B03"]])

    def open_with_code(self, case_number, code):
        if self.hold:
            return self._new()
        if code != "123456":
            self.wrong += 1
            return failed(Refusal("parcelLocked" if self.wrong >= 3 else "wrongCode"))
        return done(self.parcels) if self.parcels else failed(Refusal("noParcel"))

    def open_for(self, who):
        if self.hold:
            return self._new()
        return done(self.parcels) if self.parcels else failed(Refusal("noParcel"))

    def wait_closed(self, parcel):
        future: Future = Future()
        self.closers[parcel.parcel_id] = future
        return future

    def close(self, parcel_id: str) -> None:
        self.closers[parcel_id].set_result(None)

    # hall staff: one parcel to put in, one expired to take back; a door opens at once
    # unless `hold`, and is seen closing when the test calls `close`
    TO_FILL = ParcelForStaff("P4", "K2-4", "居住证", "M", "")
    TO_RECALL = ParcelForStaff("P9", "K2-9", "户籍证明", "M", "B01")

    def to_fill(self):
        return [self.TO_FILL]

    def to_recall(self):
        return [self.TO_RECALL]

    def fill(self, parcel_id, staff_id, avoid):
        free = next(label for row in self.wall().rows for label in row if label not in avoid)
        return self._new() if self.hold else done(replace(self.TO_FILL, compartment=free))

    def recall(self, parcel_id, staff_id):
        return self._new() if self.hold else done(self.TO_RECALL)

    def settled(self, parcel_id):
        future: Future = Future()
        self.closers[parcel_id] = future
        return future

    def give_up(self, parcel_id):
        self.closers[parcel_id].set_exception(Refusal("doorLeftOpen"))


class HeldWork(Manual):
    """A background runner whose work starts only when the test calls `run()`."""

    def __init__(self) -> None:
        super().__init__()
        self.work = []

    def __call__(self, fn) -> Future:
        self.work.append(fn)
        return self._new()

    def run(self) -> None:
        fn, future = self.work.pop(0), self.futures[len(self.futures) - len(self.work) - 1]
        try:
            future.set_result(fn())
        except Exception as error:
            future.set_exception(error)


def make_services(catalogue, clock, **overrides) -> JourneyServices:
    citizen = overrides.pop("citizen", FakeCitizen())
    services = JourneyServices(
        clock=clock, catalogue=catalogue, search=SearchIndex(catalogue), events=FakeSink(),
        calendar=WorkingDayCalendar(holidays=[date(2026, 12, 1)]), citizen=citizen,
        pending=FakePending(), documents=FakeReader(), face=FakeFace(),
        scanner=FakeScanner(), codes=FakeCodes(), printer=FakePrinter(), pickup=FakeDesk(),
        online=lambda: citizen.online, settings=JourneySettings(kiosk_id="kiosk"),
        server_features=lambda: frozenset({FEATURE_KEEP_ON_FILE}))
    for name, value in overrides.items():
        setattr(services, name, value)
    return services


def identify_with_card(journey_identify, document=RESIDENT) -> None:
    """Drive an identify journey from its start to identified (matching face)."""
    journey_identify.choose_resident_id()
    services = journey_identify.services
    services.documents.last.set_result(document)
    journey_identify.accept_face_check()
    services.face.last.set_result(FaceOutcome(matched=True, live=True))


def scanned() -> ScannedPage:
    return ScannedPage(JPEG)


class FakeMaintenance:
    """The core's maintenance entry for the screens: T001/H001 with secret "s3cret-pass"
    enter as technician/hall staff, T001 also with RESIDENT's card and a passed face check;
    the third wrong try locks."""

    STAFF = {"T001": "technician", "H001": "hall_staff"}

    def __init__(self) -> None:
        self.wrong = 0
        self.left: list[str] = []

    def sign_in(self, staff_id: str, secret: str):
        from kiosk.service_state import StaffPerson
        from kiosk.staff_access import Refused
        if staff_id in self.STAFF and secret == "s3cret-pass" and self.wrong < 3:
            return StaffPerson(staff_id, self.STAFF[staff_id])
        self.wrong += 1
        return Refused(datetime(2030, 1, 1, tzinfo=timezone.utc) if self.wrong >= 3 else None)

    def sign_in_card(self, id_number: str, face_passed: bool):
        """RESIDENT's card is T001's staff card."""
        return self.sign_in("T001" if id_number == RESIDENT.id_number else "",
                            "s3cret-pass" if face_passed else "")

    def leave(self, why: str) -> None:
        self.left.append(why)


class FakeDiagnostics:
    """The core's diagnostics for the maintenance pages' screens: a printer out of paper and a
    card reader; test actions answer through `last` (a future the script completes); `fix`
    puts the printer's paper back, as the watched status would."""

    def __init__(self) -> None:
        from devices.model import (Availability, ConsumableOut, DeviceStatus, Severity,
                                   UnitState)
        out = ConsumableOut("paper out", code="paperOut")
        self.statuses = {
            "receipt_printer": DeviceStatus(Availability.USER_ERROR, Severity.ERROR,
                                            {"paper": UnitState.OUT}, reason="paper out",
                                            **out.status_fields()),
            "id_card_reader": DeviceStatus(Availability.ONLINE)}
        self.kinds = {"receipt_printer": "printer", "id_card_reader": "id_reader"}
        self.watchers: list = []
        self.last: Future | None = None
        self.fixed: list[tuple[str, str]] = []
        self.refuse = False

    def devices(self):
        return [self.report(name) for name in self.statuses]

    def report(self, name: str):
        from kiosk.device_counters import COUNTERS
        from kiosk.diagnostics import DeviceReport
        return DeviceReport(name, self.kinds[name], self.statuses[name],
                            {**{c: 1 for c in COUNTERS}, "errors": {"paperOut": 1}, "fixes": {}},
                            [])

    def _test(self, _name: str) -> Future:
        self.last = Future()
        return self.last

    print_test_page = printer_status = read_card = camera_preview = scan_code = _test

    def watch(self, name: str, listener):
        self.watchers.append((name, listener))
        return lambda: self.watchers.remove((name, listener))

    def fix(self, name: str = "receipt_printer") -> None:
        from devices.model import NO_ERROR, Availability, Severity, UnitState
        self.statuses[name] = self.statuses[name].with_changes(
            availability=Availability.ONLINE, severity=Severity.OK, reason="",
            units={"paper": UnitState.FULL}, **NO_ERROR)
        for watched, listener in list(self.watchers):
            if watched == name:
                listener(self.statuses[name])

    def confirm_fix(self, name: str, code: str, *, role: str, staff_id: str) -> None:
        self.fixed.append((name, code))

    def queue_status(self):
        return {"depth": 3, "quarantined": 1, "oldest_unsent_age_s": 600.0,
                "last_error": "district unreachable"}

    def sync_now(self):
        return {"ok": True, "delivered": 3, "error": None}

    def retry_set_aside(self) -> int:
        return 1

    def removable_media(self):
        from pathlib import Path
        return [Path("/media/staff/USB")]

    def export_queue(self, target, progress, *, role: str, staff_id: str) -> int:
        progress(3, 3)
        return 3

    def configuration(self):
        from kiosk.diagnostics import ConfigValue
        return [ConfigValue("kiosk.hall_phone", "0755-12345", "/etc/kiosk/site.toml"),
                ConfigValue("session.idle_timeout_s", 90, "/opt/kiosk/config/defaults.toml")]

    def site_file(self):
        from pathlib import Path
        return Path("/etc/kiosk/site.toml")

    def apply_site_file(self, path, *, role: str, staff_id: str):
        from foundation.config_files import ConfigError
        from kiosk.diagnostics import SiteFileChange
        if self.refuse:
            raise ConfigError(path, "kiosk.hall_phone", "Input should be a valid string",
                              "write the phone number in quotes")
        self.refuse = True  # the next try is refused: both outcomes in one script
        return SiteFileChange(str(path), {"kiosk.hall_phone": "0755-99999"},
                              {"kiosk.name": "福田区政务服务中心 自助终端 02"})

    def recent_log_lines(self, count: int = 40):
        return ['{"level": "WARNING", "message": "device status changed", "device": '
                '"receipt_printer"}']

    def export_logs(self, target, *, role: str, staff_id: str) -> int:
        return 2
