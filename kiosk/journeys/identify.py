"""Identify: an identity document, then the live face against the document's photo.

Before the face check the citizen is told what is captured (a live picture of the face),
why (to compare it with the document's or the registry's photo) and for how long (only
during the comparison; nothing is kept or sent), and asked to agree. Declining leads to
the staff-assisted path, never to a dead end (PIPL art. 14, 17, 29: separate consent for
biometric information).

Resident ID cards are read by the SAM reader; passports and permits over PC/SC with the MRZ
key typed on the keypad or read from a code. The face is checked against the chip photo,
or, when the card's photo cannot be decoded, against the reference photo the district
holds. After `settings.face_attempts` failures, with the face camera down, or offline with
no photo to compare, the staff-assisted path: staff are called and a referral ticket prints.

Used on its own and embedded in apply, query and pickup (they pass `on_identified`).
"""
from __future__ import annotations

import re
from typing import Callable

from devices.model import InvalidData, UserError
from foundation.events import StorageUnavailable
from foundation.identity_validation import IdentityValidationError, bac_key
from kiosk.journeys.base import Journey, JourneyState
from kiosk.journeys.ports import CitizenDocument, FaceGuidance, FaceOutcome, Identified, \
    JourneyServices, MrzKey, ReferralToPrint, ServerUnavailable


class IdentifyState(JourneyState):
    CHOOSE_DOCUMENT = ("choose_document", "document")
    READ_ID_CARD = ("read_id_card", "document")
    ENTER_MRZ = ("enter_mrz", "document")
    SCAN_MRZ = ("scan_mrz", "document")
    READ_PASSPORT = ("read_passport", "document")
    READ_FAILED = ("read_failed", "document")
    FACE_CONSENT = ("face_consent", "face")
    FETCH_PHOTO = ("fetch_photo", "face")
    NO_PHOTO = ("no_photo", "face")
    FACE_CHECK = ("face_check", "face")
    FACE_FAILED = ("face_failed", "face")
    STAFF = ("staff", "staff")
    IDENTIFIED = ("identified", "done")
    ENDED = ("ended", "end")


S = IdentifyState

#: what a failed read tells the citizen (UI message keys)
READ_PROBLEMS = {UserError: "read_try_again", InvalidData: "read_unreadable"}


def mrz_key_from_code(text: str) -> MrzKey:
    """The BAC key from a scanned code: `NUMBER:YYMMDD:YYMMDD` or the MRZ itself (TD3's
    second line, or TD1's three lines)."""
    text = text.strip().upper()
    lines = [line for line in re.split(r"[\r\n]+", text) if line]
    try:
        if len(lines) == 1 and text.count(":") == 2:
            number, birth, expiry = text.split(":")
        elif len(lines) in (1, 2) and len(lines[-1]) == 44:     # TD3: passport
            line = lines[-1]
            number, birth, expiry = line[0:9], line[13:19], line[21:27]
        elif len(lines) == 3 and all(len(line) == 30 for line in lines):   # TD1: permit card
            number, birth, expiry = lines[0][5:14], lines[1][0:6], lines[1][8:14]
        else:
            raise IdentityValidationError("code", "the code holds no MRZ key")
        key = bac_key(number.rstrip("<"), birth, expiry)
    except IdentityValidationError as error:
        raise ValueError(error.message) from None
    return MrzKey(key.document_number, key.birth_yymmdd, key.expiry_yymmdd)


class IdentifyJourney(Journey[IdentifyState]):
    name = "identify"
    State = IdentifyState
    steps = ("document", "face")
    personal = ("document", "identified", "mrz_key", "reference_photo")

    def __init__(self, services: JourneyServices,
                 on_identified: Callable[[Identified], None] | None = None) -> None:
        super().__init__(services)
        self._on_identified = on_identified
        self.face_attempts = 0
        self.guidance: FaceGuidance | None = None
        self.staff_position: int | None = None    # calls ahead of ours, when the server said

    def initial_state(self) -> IdentifyState:
        return S.CHOOSE_DOCUMENT

    def _reset_personal(self) -> None:
        self.document: CitizenDocument | None = None
        self.identified: Identified | None = None
        self.mrz_key: MrzKey | None = None
        self.reference_photo: bytes | None = None
        self.guidance = None

    @property
    def max_face_attempts(self) -> int:
        return self.services.settings.face_attempts

    # --- document -------------------------------------------------------------------------

    def choose_resident_id(self) -> None:
        self._require(S.CHOOSE_DOCUMENT, S.READ_FAILED)
        reader = self.services.documents
        if not self.services.usable("id_reader", reader):
            return self.call_staff("device_fault")
        self._go(S.READ_ID_CARD)
        self.on_cancel(reader.cancel)
        self._after(reader.read_resident_id(), self._document_read, self._read_failed)

    def choose_passport(self) -> None:
        self._require(S.CHOOSE_DOCUMENT, S.READ_FAILED)
        if not self.services.usable("id_reader", self.services.documents):
            return self.call_staff("device_fault")
        self._go(S.ENTER_MRZ)

    def enter_mrz(self, document_number: str, birth_yymmdd: str, expiry_yymmdd: str) -> None:
        """The key typed on the keypad; a mistyped one stays on the screen with a problem."""
        self._require(S.ENTER_MRZ)
        try:
            key = bac_key(document_number, birth_yymmdd, expiry_yymmdd)
        except IdentityValidationError as error:
            return self._go(S.ENTER_MRZ, f"mrz_invalid_{error.field.replace(' ', '_')}")
        self._read_passport(MrzKey(key.document_number, key.birth_yymmdd, key.expiry_yymmdd))

    def scan_mrz(self) -> None:
        """Read the MRZ key from a code (a QR/barcode with the key, or the MRZ lines)."""
        self._require(S.ENTER_MRZ)
        codes = self.services.codes
        if not self.services.usable("code_reader", codes):
            return self._go(S.ENTER_MRZ, "code_reader_down")
        self._go(S.SCAN_MRZ)
        self.on_cancel(codes.cancel)
        self._after(codes.read_code(), self._mrz_code_read,
                    lambda error: self._go(S.ENTER_MRZ, "code_unreadable"))

    def _mrz_code_read(self, text: str) -> None:
        try:
            key = mrz_key_from_code(text)
        except ValueError:
            return self._go(S.ENTER_MRZ, "code_not_mrz")
        self._read_passport(key)

    def _read_passport(self, key: MrzKey) -> None:
        self.mrz_key = key
        self._go(S.READ_PASSPORT)
        reader = self.services.documents
        self.on_cancel(reader.cancel)
        self._after(reader.read_travel_document(key), self._document_read, self._read_failed)

    def _read_failed(self, error: BaseException) -> None:
        problem = next((key for kind, key in READ_PROBLEMS.items() if isinstance(error, kind)),
                       "read_fault")
        if self.state is S.READ_PASSPORT and isinstance(error, UserError):
            problem = "read_wrong_key"   # BAC refused: the typed key does not fit the chip
        self.mrz_key = None
        self._go(S.READ_FAILED, problem)

    def back(self) -> None:
        """From a reading or entry screen back to the choice of document."""
        self._require(S.ENTER_MRZ, S.SCAN_MRZ, S.READ_FAILED, S.READ_ID_CARD, S.READ_PASSPORT)
        self._abandon_in_flight()
        for stop in (self.services.documents, self.services.codes):
            if stop is not None:
                stop.cancel()
        self.mrz_key = None
        self._go(S.CHOOSE_DOCUMENT)

    # --- face -------------------------------------------------------------------------------

    def _document_read(self, document: CitizenDocument) -> None:
        self.document = document
        self.mrz_key = None
        if not self.services.usable("face_camera", self.services.face):
            return self.call_staff("device_fault", problem="camera_down")
        self._go(S.FACE_CONSENT)

    def accept_face_check(self) -> None:
        """The citizen agreed to the face check after reading the notice."""
        self._require(S.FACE_CONSENT)
        if self.document.photo:
            self.reference_photo = self.document.photo
            return self._start_face()
        self._go(S.FETCH_PHOTO)
        who = Identified(self.document, "document", self.services.clock.now())
        self._after(self.services.citizen.reference_photo(who), self._reference_photo,
                    self._no_reference_photo)

    def decline_face_check(self) -> None:
        """No face check: staff check the identity by hand instead (the server's reason for
        a call is "identity_failed": the kiosk could not confirm who this is)."""
        self._require(S.FACE_CONSENT)
        self.call_staff("identity_failed", problem="consent_declined")

    def _reference_photo(self, photo: bytes | None) -> None:
        if not photo:
            return self._go(S.NO_PHOTO, "no_photo_on_file")
        self.reference_photo = photo
        self._start_face()

    def _no_reference_photo(self, error: BaseException) -> None:
        self._go(S.NO_PHOTO, "no_photo_offline" if isinstance(error, ServerUnavailable)
                 else "no_photo_on_file")

    def _start_face(self) -> None:
        self.guidance = None
        self._go(S.FACE_CHECK)
        face = self.services.face
        self.on_cancel(face.stop)
        future = face.verify(self.reference_photo, self._guidance_while(S.FACE_CHECK))
        self._after(future, self._face_outcome,
                    lambda error: self._face_outcome(FaceOutcome(False, False, "camera_error")))

    def _face_outcome(self, outcome: FaceOutcome) -> None:
        self.guidance = None
        if outcome.matched and outcome.live:
            self.reference_photo = None    # compared: no longer needed
            self.identified = Identified(self.document, "document+face",
                                         self.services.clock.now())
            self._go(S.IDENTIFIED)
            if self._on_identified is not None:
                self._on_identified(self.identified)
            return
        self.face_attempts += 1
        if outcome.reason == "camera_error":
            return self.call_staff("device_fault", problem="camera_down")
        if self.face_attempts >= self.max_face_attempts:
            return self.call_staff("identity_failed", problem="face_failed")
        self._go(S.FACE_FAILED, f"face_{outcome.reason or 'no_match'}")

    def retry_face(self) -> None:
        self._require(S.FACE_FAILED)
        self._start_face()

    # --- staff ------------------------------------------------------------------------------

    def call_staff(self, reason: str = "help", *, problem: str = "") -> None:
        """The staff-assisted path: a call to the hall staff and a printed referral.

        Online the server answers with our place among open calls; offline the call is
        queued (for statistics) and the referral tells the citizen to go to the help desk."""
        if self.ended or self.state is S.STAFF:
            return
        self._abandon_in_flight()
        self._stop_devices(self.services.face, self.services.documents, self.services.codes)
        self.reference_photo = None
        self.staff_position = None
        self._go(S.STAFF, problem or reason)
        self._after(self.services.citizen.call_staff(reason, "identify"),
                    self._staff_answered, lambda error: self._staff_offline(reason))
        printer = self.services.printer
        if self.services.usable("receipt_printer", printer):
            self._after(printer.print_document(ReferralToPrint(
                reason=reason, kiosk_id=self.services.settings.kiosk_id,
                at=self.services.clock.now())),
                lambda _none: None, lambda _error: None)

    def _staff_answered(self, position: int) -> None:
        self.staff_position = position
        self._notify()

    def _staff_offline(self, reason: str) -> None:
        try:
            self.services.events.enqueue("staff_call", {
                "reason": reason, "journey": "identify",
                "at": self.services.clock.now().isoformat()})
        except StorageUnavailable:
            pass   # the referral still sends the citizen to the help desk
        self._notify()
