"""The edges of the journeys: what they need from devices, the server and the queue.

Journeys see small protocols that return futures; `kiosk/journeys/adapters/` fits the
device kinds, the pickup service and the citizen-services client to them, and tests use
small fakes. Values crossing these edges are plain frozen dataclasses, documents to print
included (typed, never re-parsed from strings).
"""
from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Callable, ClassVar, Literal, Protocol, Sequence

from kiosk.catalogue import Catalogue
from foundation.clock import Clock
from foundation.events import EventSink
from wire.calendar import WorkingDayCalendar
from kiosk.search import SearchIndex
from wire.v1 import CaseSummary, CertificateOnFile, CheckInResponse, QueueCategory, QueueTicket

DocumentType = Literal["resident_id", "passport", "permit"]


# --- values --------------------------------------------------------------------------------

@dataclass(frozen=True)
class CitizenDocument:
    """What an identity document told us (personal data: wiped with the journey)."""
    document_type: DocumentType
    number: str                       # resident ID number or passport/permit number
    name: str
    birth_date: date | None = None
    sex: str = ""                     # "M" / "F" / ""
    nationality: str = "CHN"
    expiry: date | None = None
    photo: bytes | None = None        # JPEG/PNG from the chip; None when not decodable
    id_number: str = ""               # the 18-digit resident ID number where known
    address: str = ""

    @property
    def masked_name(self) -> str:
        """王*明: first and last character kept, so the citizen recognises it, a passer-by not."""
        name = self.name.strip()
        if len(name) <= 1:
            return name
        if len(name) == 2:
            return name[0] + "*"
        if name.isascii():
            return " ".join(part[0] + "*" * (len(part) - 1) for part in name.split())
        return name[0] + "*" * (len(name) - 2) + name[-1]


@dataclass(frozen=True)
class MrzKey:
    """The Basic Access Control key of a passport or permit, typed or read from a code."""
    document_number: str
    birth_date: str      # YYMMDD
    expiry_date: str     # YYMMDD


@dataclass(frozen=True)
class Identified:
    """A citizen identified at this kiosk just now (the basis of a citizen assertion)."""
    document: CitizenDocument | None
    method: Literal["document+face", "document", "pickup_code"]
    at: datetime
    pickup_code: str = ""

    @property
    def id_number(self) -> str:
        if self.document is None:
            return ""
        return self.document.id_number or self.document.number


@dataclass(frozen=True)
class FaceGuidance:
    instruction: str      # the face pipeline's code: "too_far", "blink", "turn_left", ...
    progress: float = 0.0  # 0..1 while a good frame is held
    zh: str = ""          # the pipeline's own words for it, when it has them
    en: str = ""


@dataclass(frozen=True)
class FaceOutcome:
    matched: bool
    live: bool
    reason: str = ""      # "no_face", "not_live", "no_match", "timeout"


@dataclass(frozen=True)
class ScanView:
    """What the document camera sees of the page, for the preview's overlay."""
    #: the page's corners (TL, TR, BR, BL) as fractions of the preview's width and height,
    #: rounded to what a screen shows; empty while no page is seen
    corners: tuple[tuple[float, float], ...] = ()
    problems: tuple[str, ...] = ()    # why it is not taken: "blurred", "glare", "too_small"
    seconds_left: int | None = None   # whole seconds until it is taken; None: not counting


@dataclass(frozen=True)
class ScannedPage:
    image: bytes          # JPEG
    media_type: str = "image/jpeg"


@dataclass(frozen=True)
class Owed:
    """What a case still owes (容缺 or 补正: material codes) and by when."""
    case_number: str
    service_code: str
    materials: tuple[str, ...]
    due: date | None
    #: "district": the district's word just now; "this_kiosk": what was promised at this
    #: kiosk (offline: the district may have received some of it since)
    source: Literal["district", "this_kiosk"] = "district"

    @classmethod
    def of(cls, case: CaseSummary) -> "Owed":
        return cls(case.case_number, case.service_code, tuple(case.outstanding_materials),
                   case.material_due_date)


@dataclass(frozen=True)
class Parcel:
    parcel_id: str
    item_name: str
    item_name_en: str
    compartment: str      # "A07"


@dataclass(frozen=True)
class ParcelForStaff:
    """A parcel as hall staff handle it at the lockers (no holder data)."""
    parcel_id: str
    case_number: str
    items: str
    size: str             # "S".."XL"; "" when the district named the compartment
    compartment: str      # its label, "" while not in one


@dataclass(frozen=True)
class LockerWall:
    """The compartments of the wall as the diagram draws them: rows of labels."""
    rows: Sequence[Sequence[str]]


# --- errors ----------------------------------------------------------------------------------

class ServerUnavailable(RuntimeError):
    """The district server cannot be reached now (offline, captive portal, 5xx)."""


class NotFound(LookupError):
    """The server or the lockers know no such thing (booking code, pickup code)."""


class Refused(Exception):
    """The server refused for a reason it names (`reason`: its code, "" if it named none):
    the same request will be refused again, so the citizen hears why."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


# --- protocols -------------------------------------------------------------------------------

class DocumentReader(Protocol):
    def read_resident_id(self) -> Future[CitizenDocument]: ...
    def read_travel_document(self, key: MrzKey) -> Future[CitizenDocument]: ...
    def cancel(self) -> None: ...


class CameraPreview(Protocol):
    def preview(self) -> Any:
        """The newest camera frame (a BGR array) while a check or scan runs, else None.
        For the screen only: never stored, gone when the step ends."""
        ...


class FaceVerifier(CameraPreview, Protocol):
    def verify(self, reference_photo: bytes,
               on_guidance: Callable[[FaceGuidance], None]) -> Future[FaceOutcome]: ...
    def stop(self) -> None: ...


class DocumentScanner(CameraPreview, Protocol):
    def capture(self, on_view: Callable[[ScanView], None]) -> Future[ScannedPage]:
        """The page, taken once it has held still and readable through a countdown;
        `on_view` gets what is seen (from the camera's side) while it runs."""
        ...
    def take_now(self) -> None:
        """The citizen's button: take the page as it lies, without the countdown."""
        ...
    def stop(self) -> None: ...


class CodeReader(Protocol):
    def read_code(self) -> Future[str]: ...
    def cancel(self) -> None: ...


@dataclass(frozen=True)
class ReceiptToPrint:
    """The submission receipt (受理回执) the citizen takes home."""
    kind: ClassVar[str] = "receipt"
    case_number: str
    item: str
    submitted_at: datetime
    promised_date: date
    materials_received: tuple[str, ...] = ()
    materials_deferred: tuple[str, ...] = ()
    supply_deadline: date | None = None     # 容缺: when the deferred materials are due
    follow_url: str = ""
    language: str = "zh"                    # the citizen's when it was printed: zh | en


@dataclass(frozen=True)
class CommitmentLetterToPrint:
    """The signed 容缺 commitment (告知承诺书), with the signature image (PNG)."""
    kind: ClassVar[str] = "commitment_letter"
    case_number: str
    item: str
    text: str
    text_version: str
    materials_deferred: tuple[str, ...]
    deadline: date
    signer: str
    signed_at: datetime
    signature: bytes
    language: str = "zh"                    # the citizen's when it was printed: zh | en


@dataclass(frozen=True)
class ReferralToPrint:
    """The slip that sends a citizen to staff (the identification's staff path)."""
    kind: ClassVar[str] = "referral"
    reason: str                 # help | device_fault | identity_failed
    kiosk_id: str
    at: datetime


@dataclass(frozen=True)
class TicketToPrint:
    """A queue ticket (取号)."""
    kind: ClassVar[str] = "ticket"
    ticket_no: str
    category: str
    waiting: int
    issued_at: datetime


DocumentToPrint = ReceiptToPrint | CommitmentLetterToPrint | ReferralToPrint | TicketToPrint


class Printer(Protocol):
    def print_document(self, document: DocumentToPrint) -> Future[None]: ...


class CitizenServices(Protocol):
    """Citizen services at the server (wire/v1 models); futures fail with ServerUnavailable
    when offline and NotFound for an unknown booking code."""
    def reference_photo(self, who: Identified) -> Future[bytes | None]: ...
    def certificates(self, who: Identified,
                     types: Sequence[str]) -> Future[list[CertificateOnFile]]: ...
    def withdraw_certificate(self, who: Identified,
                             certificate_id: str) -> Future[list[CertificateOnFile]]:
        """Withdraw the consent to keep a certificate on file: it is deleted; the future
        has the kept certificates that remain (NotFound: none with this id)."""
        ...
    def cases(self, who: Identified) -> Future[list[CaseSummary]]: ...
    def followup_case(self, case_number: str, followup_secret: str) -> Future[CaseSummary]:
        """The case a receipt's QR names (NotFound: no such case, or not its secret)."""
        ...
    def holder_assertion(self, who: Identified) -> dict[str, Any]:
        """The signed statement (wire SignedCitizenAssertion, as JSON) that `who` was
        identified here, for an event about a case another kiosk opened."""
        ...
    def check_in(self, booking_code: str) -> Future[CheckInResponse]: ...
    def ticket_categories(self) -> Future[list[QueueCategory]]: ...
    def take_ticket(self, category_id: str) -> Future[QueueTicket]: ...
    def call_staff(self, reason: str, journey: str) -> Future[int]:
        """Our place among the open staff calls at this hall."""
        ...


class PendingCases(Protocol):
    """Applications made at this kiosk that the server has not confirmed yet (state received),
    and what those made here promised to supply later (what the kiosk can tell offline)."""
    def record(self, who: Identified, case_number: str, item: Any,
               owed: Owed | None = None) -> None: ...
    def pending_for(self, who: Identified) -> list[CaseSummary]: ...
    def owed_for(self, who: Identified) -> list[Owed]: ...
    def owed(self, case_number: str) -> Owed | None: ...
    def supplied(self, case_number: str, materials: Sequence[str]) -> None: ...


class PickupDesk(Protocol):
    """The pickup service seen from the journey; refusals carry a `code` attribute
    (wrongCode, parcelLocked, noParcel, parcelExpired, doorNotOpened)."""
    def available(self) -> tuple[bool, str]:
        """(usable, reason when not)."""
        ...
    def wall(self) -> LockerWall: ...
    def open_with_code(self, case_number: str, code: str) -> Future[list[Parcel]]: ...
    def open_for(self, who: Identified) -> Future[list[Parcel]]: ...
    def wait_closed(self, parcel: Parcel) -> Future[None]: ...
    # hall staff (the "lockers" maintenance page); refusals also noFreeCompartment,
    # doorLeftOpen, wrongParcelState
    def to_fill(self) -> list[ParcelForStaff]: ...
    def to_recall(self) -> list[ParcelForStaff]: ...
    def fill(self, parcel_id: str, staff_id: str,
             avoid: Sequence[str]) -> Future[ParcelForStaff]:
        """Open a free compartment of the parcel's size, none of `avoid` (labels)."""
        ...
    def recall(self, parcel_id: str, staff_id: str) -> Future[ParcelForStaff]: ...
    def settled(self, parcel_id: str) -> Future[None]:
        """Resolves when the door opened for the parcel is seen closing (stored,
        recalled); fails when it jammed or staff gave it up."""
        ...
    def give_up(self, parcel_id: str) -> None: ...


# --- the bundle ------------------------------------------------------------------------------

def run_now(fn: Callable[[], None]) -> None:
    fn()


def run_inline(fn: Callable[[], Any]) -> Future:
    """Run blocking work at once and hand back its finished future (tests, CLI)."""
    future: Future = Future()
    try:
        future.set_result(fn())
    except BaseException as error:  # delivered to the journey like a worker's failure
        future.set_exception(error)
    return future


@dataclass
class JourneySettings:
    face_attempts: int = 3                  # failed face checks before the staff path
    #: the district's public address; the receipt QR opens its 掌上办 page of the case
    followup_base_url: str = "https://ft.gov.example"
    guide_url: str = "https://ft.gov.example/item/{task_code}"
    kiosk_id: str = "kiosk"
    supply_channels: tuple[str, ...] = ("upload", "locker", "window", "post")
    rating_indicators: tuple[str, ...] = ("overall", "efficiency", "guide_accuracy",
                                          "convenience", "usability")


@dataclass
class JourneyServices:
    clock: Clock
    catalogue: Catalogue
    search: SearchIndex
    events: EventSink
    calendar: WorkingDayCalendar
    citizen: CitizenServices
    pending: PendingCases
    documents: DocumentReader | None = None
    face: FaceVerifier | None = None
    scanner: DocumentScanner | None = None
    codes: CodeReader | None = None
    printer: Printer | None = None
    pickup: PickupDesk | None = None
    #: the core's entry to maintenance (kiosk.maintenance.Maintenance): sign_in, leave
    maintenance: Any = None
    #: the maintenance pages' view of devices, queue, configuration and logs
    #: (kiosk.diagnostics.Diagnostics)
    diagnostics: Any = None
    #: role -> usable right now (from the device registry roll-up)
    role_usable: Callable[[str], bool] = lambda role: True
    online: Callable[[], bool] = lambda: True
    #: the optional request fields the district accepts (wire FEATURE_*), as last heard
    server_features: Callable[[], frozenset[str]] = lambda: frozenset()
    #: the language the citizen uses right now (the UI shell's): what is printed follows it
    language: Callable[[], str] = lambda: "zh"
    post: Callable[[Callable[[], None]], None] = run_now
    #: runs blocking work (the durable enqueue) off the UI thread
    background: Callable[[Callable[[], Any]], Future] = run_inline
    settings: JourneySettings = field(default_factory=JourneySettings)

    def usable(self, role: str, device: object | None) -> bool:
        return device is not None and self.role_usable(role)
