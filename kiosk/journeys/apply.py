"""Apply (自助申办): find the item, read its guide, identify, fill the form, supply the
materials (scan, reuse a certificate on file, or defer under a 容缺 commitment), review,
submit through the event sink (works offline), take the receipt.
"""
from __future__ import annotations

import hashlib
import secrets
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from kiosk.catalogue import Category, Material, Necessity, ServiceItem, Text
from foundation.dates import written_date
from foundation.events import Enqueued, StorageUnavailable
from kiosk.journeys.base import Journey, JourneyActionRefused, JourneyState
from kiosk.journeys.forms import check, prefill_value, typed_value
from kiosk.journeys.identify import IdentifyJourney
from kiosk.journeys.ports import CommitmentLetterToPrint, Identified, JourneyServices, Owed, \
    ReceiptToPrint
from kiosk.journeys.scanning import MaterialEntry, ScansMaterials
from kiosk.search import SearchHit
from wire.v1 import FEATURE_KEEP_ON_FILE, ApplicationPayload, CertificateOnFile, \
    followup_path

#: suggestions under the search box: few enough to stay above the keyboard
SUGGESTED = 3

APPLICANT_ID_TYPES = {"resident_id": "resident_id", "passport": "passport",
                      "permit": "hk_macao_permit"}


class ApplyState(JourneyState):
    BROWSE = ("browse", "choose")
    CATEGORY = ("category", "choose")
    SEARCH = ("search", "choose")
    GUIDE = ("guide", "choose")
    IDENTIFY = ("identify", "identify")
    FORM = ("form", "form")
    MATERIALS = ("materials", "materials")
    SCAN = ("scan", "materials")
    COMMITMENT = ("commitment", "materials")
    REVIEW = ("review", "review")
    SUBMITTING = ("submitting", "review")
    SUBMIT_FAILED = ("submit_failed", "review")
    RECEIPT = ("receipt", "receipt")
    ENDED = ("ended", "end")


S = ApplyState


@dataclass(frozen=True)
class CommitmentTerms:
    """The 容缺 commitment as shown and printed."""
    text: Text
    due_date: date
    materials: tuple[Material, ...]
    text_version: str


class ApplyJourney(ScansMaterials, Journey[ApplyState]):
    name = "apply"
    State = ApplyState
    steps = ("choose", "identify", "form", "materials", "review", "receipt")
    committing = frozenset({"submitting"})
    personal = ("identified", "values", "materials", "certificates", "signature", "seals",
                "case_number", "supply_channel")
    scan_state, materials_state = S.SCAN, S.MATERIALS

    def __init__(self, services: JourneyServices) -> None:
        self.identify: IdentifyJourney | None = None
        super().__init__(services)
        self.category: Category | None = None
        self.query = ""
        self.results: list[SearchHit] = []
        #: items offered under the search box while the citizen types
        self.suggestions: list[SearchHit] = []
        self.item: ServiceItem | None = None
        self.page = 0
        self.errors: dict[str, Text] = {}
        self.prefilled: set[str] = set()
        self.print_status: Literal["", "printing", "printed", "failed", "no_printer"] = ""
        #: submitted while the district could not be reached: stored here, sent later
        self.stored_offline = False
        self._came_from = S.BROWSE

    def initial_state(self) -> ApplyState:
        return S.BROWSE

    def _reset_personal(self) -> None:
        self.identified: Identified | None = None
        self.values: dict[str, str] = {}
        self.materials: dict[str, MaterialEntry] = {}
        self.certificates: list[CertificateOnFile] = []
        self.signature: bytes | None = None
        self.seals = self._fresh_seals()
        self.supply_channel = ""
        self.case_number = ""
        #: the receipt QR's key to the case's 掌上办 page: sent encrypted with the application
        #: (the district keeps only its hash), so the QR works even for a case stored offline
        self.followup_secret = secrets.token_urlsafe(24)

    def children(self) -> list[Journey]:
        return [self.identify] if self.identify is not None else []

    # --- choose -----------------------------------------------------------------------------

    def open_category(self, category_id: str) -> None:
        self._require(S.BROWSE)
        catalogue = self.services.catalogue
        self.category = next(c for c in (*catalogue.topics, *catalogue.life_events)
                             if c.id == category_id)
        self._go(S.CATEGORY)

    def category_items(self) -> list[ServiceItem]:
        return self.services.catalogue.in_category(self.category.id) if self.category else []

    def suggest(self, typed: str) -> None:
        """Suggestions as the citizen types (Pinyin letters too); the screen stays."""
        self._require(S.BROWSE, S.SEARCH, S.CATEGORY)
        self.suggestions = (self.services.search.search(typed, kinds=("item",), limit=SUGGESTED)
                            if typed.strip() else [])
        self._notify()

    def search(self, query: str) -> None:
        self._require(S.BROWSE, S.SEARCH, S.CATEGORY)
        self.suggestions = []
        self.query = query
        self.results = self.services.search.search(query, kinds=("item",), limit=12)
        self._go(S.SEARCH if query.strip() else S.BROWSE)

    def choose_item(self, task_code: str) -> None:
        self._require(S.BROWSE, S.CATEGORY, S.SEARCH)
        self.suggestions = []
        self._came_from = self.state
        self.item = self.services.catalogue.item(task_code)
        self._go(S.GUIDE)

    def guide_url(self) -> str:
        """Send the guide to the phone (a QR code of the item's page)."""
        return self.services.settings.guide_url.format(task_code=self.item.task_code)

    def apply_now(self) -> None:
        self._require(S.GUIDE)
        if not self.item.kiosk_enabled:
            return self._go(S.GUIDE, "not_at_kiosk")
        self.identify = IdentifyJourney(self.services, on_identified=self._identified)
        self.identify.subscribe(lambda _child: self._notify())
        self._go(S.IDENTIFY)

    def _identified(self, who: Identified) -> None:
        self.identified = who
        self.values = {}
        self.prefilled = set()
        for form_field in self.item.form:
            if form_field.prefill:
                value = prefill_value(form_field, who.document)
                if value:
                    self.values[form_field.id] = value
                    self.prefilled.add(form_field.id)
        self.materials = {m.id: MaterialEntry(m) for m in self.item.materials}
        self._fetch_certificates(who)
        self.page = 0
        self.errors = {}
        self._go(S.FORM)

    def _fetch_certificates(self, who: Identified) -> None:
        types = sorted({m.elicence_type for m in self.item.materials if m.elicence_type})
        if not types or not self.services.online():
            return
        self._after(self.services.citizen.certificates(who, types), self._certificates_found,
                    lambda error: None)   # offline or failed: scanning stays possible

    def _certificates_found(self, certificates: list[CertificateOnFile]) -> None:
        self.certificates = list(certificates)
        self._notify()

    # --- form -------------------------------------------------------------------------------

    def form_pages(self):
        return self.item.form_groups() if self.item else []

    def set_value(self, field_id: str, text: str) -> None:
        """The citizen typed or chose; the check runs at once so the screen can say why."""
        self._require(S.FORM)
        form_field = next(f for f in self.item.form if f.id == field_id)
        self.values[field_id] = text
        self.prefilled.discard(field_id)
        problem = check(form_field, text, today=self.services.clock.now().date())
        if problem is None:
            self.errors.pop(field_id, None)
        else:
            self.errors[field_id] = problem
        self._notify()

    def next_page(self) -> None:
        self._require(S.FORM)
        today = self.services.clock.now().date()
        _label, fields = self.form_pages()[self.page]
        self.errors = {}
        for form_field in fields:
            problem = check(form_field, self.values.get(form_field.id, ""), today=today)
            if problem is not None:
                self.errors[form_field.id] = problem
        if self.errors:
            return self._go(S.FORM, "form_incomplete")
        if self.page + 1 < len(self.form_pages()):
            self.page += 1
            return self._go(S.FORM)
        self._go(S.MATERIALS if self.materials else S.REVIEW)

    def back(self) -> None:
        """One step back within the journey (the fixed bar's Back button)."""
        state = self.state
        if state is S.CATEGORY or state is S.SEARCH:
            self._go(S.BROWSE)
        elif state is S.GUIDE:
            self._go(self._came_from)
        elif state is S.FORM and self.page > 0:
            self.page -= 1
            self._go(S.FORM)
        elif state is S.MATERIALS:
            self.page = max(0, len(self.form_pages()) - 1)
            self._go(S.FORM)
        elif state in (S.SCAN, S.COMMITMENT):
            self.stop_scan() if state is S.SCAN else self._go(S.MATERIALS)
        elif state is S.REVIEW:
            self._go(S.MATERIALS if self.materials else S.FORM)
        else:
            raise JourneyActionRefused(f"apply: no way back from {state.value}")

    # --- materials --------------------------------------------------------------------------

    def certificates_for(self, material: Material) -> list[CertificateOnFile]:
        return [c for c in self.certificates if material.elicence_type
                and c.elicence_type == material.elicence_type]

    def use_on_file(self, material_id: str, certificate_id: str) -> None:
        self._require(S.MATERIALS)
        entry = self.materials[material_id]
        entry.certificate = next(c for c in self.certificates_for(entry.material)
                                 if c.certificate_id == certificate_id)
        entry.status, entry.pages, entry.keep_on_file = "reused", [], None
        self._go(S.MATERIALS)

    def may_keep_on_file(self, entry: MaterialEntry) -> bool:
        """A scanned material of a certificate type can be kept on file (零材料), with the
        citizen's consent asked on screen, by a district that keeps them (an older one
        would refuse the field)."""
        return (entry.status == "provided" and bool(entry.material.elicence_type)
                and FEATURE_KEEP_ON_FILE in self.services.server_features())

    def keep_on_file(self, material_id: str, keep: bool) -> None:
        """The citizen's answer: keep this scan on file for next time once staff accept it
        (withdrawable at any time), or not."""
        self._require(S.MATERIALS)
        entry = self.materials[material_id]
        if not self.may_keep_on_file(entry):
            raise JourneyActionRefused(f"apply: {material_id} cannot be kept on file")
        entry.keep_on_file = keep
        self._go(S.MATERIALS)

    def defer(self, material_id: str) -> None:
        """Bring it later under a 容缺 commitment (only where the item allows it)."""
        self._require(S.MATERIALS)
        entry = self.materials[material_id]
        if not (entry.material.tolerance_allowed and self.item.tolerance_allowed):
            return self._go(S.MATERIALS, "cannot_defer")
        entry.status, entry.pages, entry.certificate = "deferred", [], None
        entry.keep_on_file = None
        self._go(S.MATERIALS)

    def skip(self, material_id: str) -> None:
        """An optional or conditional material the citizen does not need."""
        self._require(S.MATERIALS)
        entry = self.materials[material_id]
        if entry.material.necessity is Necessity.REQUIRED:
            return self._go(S.MATERIALS, "material_required")
        entry.status, entry.pages, entry.certificate = "waived", [], None
        entry.keep_on_file = None
        self._go(S.MATERIALS)

    def undo(self, material_id: str) -> None:
        self._require(S.MATERIALS)
        entry = self.materials[material_id]
        entry.status, entry.pages, entry.certificate = "missing", [], None
        entry.keep_on_file = None
        self._go(S.MATERIALS)

    def materials_done(self) -> None:
        self._require(S.MATERIALS)
        missing = [e for e in self.materials.values()
                   if not e.done and e.material.necessity is Necessity.REQUIRED]
        if missing:
            return self._go(S.MATERIALS, "materials_missing")
        for entry in self.materials.values():
            if not entry.done:
                entry.status = "waived"
        if self.deferred():
            self.signature, self.supply_channel = None, ""
            return self._go(S.COMMITMENT)
        self._go(S.REVIEW)

    def deferred(self) -> list[Material]:
        return [e.material for e in self.materials.values() if e.status == "deferred"]

    # --- 容缺 commitment --------------------------------------------------------------------

    def commitment(self) -> CommitmentTerms:
        deferred = tuple(self.deferred())
        today = self.services.clock.now().date()
        due = self.services.calendar.add_working_days(
            today, min(m.max_supply_days for m in deferred))
        template = self.item.commitment_template
        names_zh = "、".join(m.name.zh for m in deferred)
        names_en = ", ".join(m.name.en or m.name.zh for m in deferred)
        text = Text(zh=template.zh.format(deadline=written_date(due, "zh"), materials=names_zh),
                    en=(template.en or template.zh).format(deadline=written_date(due, "en"),
                                                           materials=names_en))
        version = hashlib.sha256(template.zh.encode()).hexdigest()[:12]
        return CommitmentTerms(text, due, deferred, f"{self.item.task_code}.{version}")

    def choose_channel(self, channel: str) -> None:
        self._require(S.COMMITMENT)
        if channel not in self.services.settings.supply_channels:
            raise JourneyActionRefused(f"unknown supply channel {channel!r}")
        self.supply_channel = channel
        self._go(S.COMMITMENT)

    def sign(self, signature_png: bytes) -> None:
        """The finger signature from the pad; an empty pad clears it."""
        self._require(S.COMMITMENT)
        self.signature = signature_png or None
        if self.signature:
            self.seals.seal(self.signature)
        self._go(S.COMMITMENT)

    @property
    def can_agree(self) -> bool:
        return bool(self.signature and self.supply_channel)

    def agree(self) -> None:
        self._require(S.COMMITMENT)
        if not self.can_agree:
            return self._go(S.COMMITMENT, "sign_first" if not self.signature
                            else "choose_channel")
        self._go(S.REVIEW)

    # --- review, submit, receipt ------------------------------------------------------------

    def edit_page(self, page: int) -> None:
        self._require(S.REVIEW)
        self.page = page
        self._go(S.FORM)

    def edit_materials(self) -> None:
        self._require(S.REVIEW)
        self._go(S.MATERIALS)

    def build_submission(self) -> tuple[dict[str, Any], dict[str, bytes]]:
        """The application payload (checked against the wire model) and its attachments."""
        document = self.identified.document
        blobs: dict[str, bytes] = {}
        materials = []
        for entry in self.materials.values():
            names = []
            for number, page in enumerate(entry.pages, 1):
                name = f"blob:{entry.material.id}-{number}"
                blobs[name] = page
                names.append(name)
            material = {"code": entry.material.id, "status": entry.status, "blobs": names,
                        "certificate_id": entry.certificate.certificate_id
                        if entry.certificate else None}
            if entry.keep_on_file and self.may_keep_on_file(entry):
                material["keep_on_file"] = True     # absent otherwise: as older kiosks send
            materials.append(material)
        commitment = None
        if self.deferred():
            terms = self.commitment()
            blobs["blob:signature"] = self.signature
            commitment = {"materials": [m.id for m in terms.materials],
                          "text_version": terms.text_version, "signature_blob": "blob:signature",
                          "signed_at": self.services.clock.now().isoformat(),
                          "due_date": terms.due_date.isoformat(),
                          "supply_channel": self.supply_channel}
        form_data = {f.id: typed_value(f, self.values.get(f.id, "")) for f in self.item.form}
        mobile = next((self.values[f.id] for f in self.item.form
                       if f.kind == "phone" and self.values.get(f.id)), None)
        payload = {
            "service_code": self.item.task_code,
            "catalogue_version": self.services.catalogue.version,
            "applicant": {"kind": "person",
                          "id_type": APPLICANT_ID_TYPES[document.document_type],
                          "id_number": self.identified.id_number, "name": document.name,
                          "mobile": mobile},
            "identity_method": self.identified.method,
            "form_data": form_data,
            "materials": materials,
            "commitment": commitment,
            "pickup_method": self.item.pickup_methods[0] if self.item.pickup_methods else "none",
            "followup_secret": self.followup_secret,
        }
        # placeholders stand where the blob addresses go; the sink swaps them in
        check_blobs = {name: "0" * 64 for name in blobs}
        ApplicationPayload.model_validate(_swap(payload, check_blobs))
        return payload, blobs

    def submit(self) -> None:
        self._require(S.REVIEW, S.SUBMIT_FAILED)
        payload, blobs = self.build_submission()
        self._go(S.SUBMITTING)
        events, seals = self.services.events, self.seals
        # on the background runner, after the captures' sealing queued there before it
        self._after(self.services.background(
            lambda: events.enqueue("submission", payload, seals.attachments(blobs))),
            self._submitted, self._submit_failed)

    def _submit_failed(self, error: BaseException) -> None:
        self._go(S.SUBMIT_FAILED, "storage_unavailable"
                 if isinstance(error, StorageUnavailable) else "submit_error")

    def _submitted(self, enqueued: Enqueued) -> None:
        self.case_number = enqueued.case_number
        self.stored_offline = not self.services.online()
        owed = None
        if self.deferred():
            terms = self.commitment()
            owed = Owed(self.case_number, self.item.task_code,
                        tuple(m.id for m in terms.materials), terms.due_date, "this_kiosk")
        self.services.pending.record(self.identified, enqueued.case_number, self.item, owed)
        self._go(S.RECEIPT)
        self._print_receipt()

    def case_url(self) -> str:
        """The receipt QR: the case's follow-up page on the district's public address."""
        base = self.services.settings.followup_base_url.rstrip("/")
        return base + followup_path(self.case_number, self.followup_secret)

    def _print_receipt(self) -> None:
        printer = self.services.printer
        if not self.services.usable("receipt_printer", printer):
            self.print_status = "no_printer"
            return self._notify()
        self.print_status = "printing"
        self._notify()
        now = self.services.clock.now()
        limit = self.item.promised_limit
        promised = self.services.calendar.due_date(now.date(), limit.days, limit.unit)
        entries = list(self.materials.values())
        language = "en" if self.services.language().startswith("en") else "zh"
        deferred = tuple(e.material.name.get(language) for e in entries
                         if e.status == "deferred")
        terms = self.commitment() if self.deferred() else None
        receipt = ReceiptToPrint(
            case_number=self.case_number, item=self.item.name.get(language), submitted_at=now,
            promised_date=promised, materials_deferred=deferred,
            materials_received=tuple(e.material.name.get(language) for e in entries
                                     if e.status in ("provided", "reused")),
            supply_deadline=terms.due_date if terms else None, follow_url=self.case_url(),
            language=language)
        future = printer.print_document(receipt)
        if terms is not None:
            letter = CommitmentLetterToPrint(
                case_number=self.case_number, item=self.item.name.get(language),
                text=terms.text.get(language), text_version=terms.text_version,
                materials_deferred=deferred, deadline=terms.due_date,
                signer=self.identified.document.masked_name, signed_at=now,
                signature=self.signature or b"", language=language)
            future = _then(future, lambda: printer.print_document(letter))
        self._after(future, lambda _none: self._printed("printed"),
                    lambda _error: self._printed("failed"))

    def _printed(self, status: Literal["printed", "failed"]) -> None:
        self.print_status = status
        self._notify()

    def rating_context(self) -> dict[str, str]:
        """What the rating after this application refers to (read before `finish`)."""
        return {"case_number": self.case_number,
                "service_code": self.item.task_code if self.item else ""}

    def finish(self) -> None:
        self._require(S.RECEIPT)
        super().finish()


def _swap(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, str):
        return names.get(value, value)
    if isinstance(value, dict):
        return {k: _swap(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_swap(v, names) for v in value]
    return value


def _then(first: Future, make_second) -> Future:
    """A future for `make_second()` started after `first` succeeded."""
    result: Future = Future()

    def chain(done) -> None:
        if done.exception() is not None:
            result.set_exception(done.exception())
            return
        second = make_second()
        second.add_done_callback(lambda f: result.set_exception(f.exception())
                                 if f.exception() else result.set_result(f.result()))
    first.add_done_callback(chain)
    return result
