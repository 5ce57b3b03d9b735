"""Supply a missing material (补交材料): the case is found from the receipt's QR (case number
and follow-up secret, read by the code reader) or by identification; the kiosk shows what
the case still owes and by when (the district's word when online; offline, what was promised
at this kiosk, said as such); the citizen scans each owed material with the document camera
and it goes through the event sink like everything else (encrypted at capture; offline it
waits in the queue), as a `commitment` event with action "supplied".
"""
from __future__ import annotations

from typing import Any, Callable

from foundation.events import Enqueued, StorageUnavailable
from kiosk.catalogue import Material, Text
from kiosk.journeys.base import Journey, JourneyState
from kiosk.journeys.identify import IdentifyJourney
from kiosk.journeys.ports import Identified, JourneyServices, NotFound, Owed
from kiosk.journeys.scanning import MaterialEntry, ScansMaterials
from wire.v1 import FEATURE_SUPPLY_BY_SECRET, CommitmentPayload, followup_from_url


class SupplyState(JourneyState):
    CHOOSE = ("choose", "find")              # scan the receipt's QR, or identify
    SCAN_RECEIPT = ("scan_receipt", "find")
    IDENTIFY = ("identify", "find")
    LOADING = ("loading", "find")
    NOTHING = ("nothing", "find")            # nothing owed the kiosk can see (problem: why)
    OWED = ("owed", "materials")
    SCAN = ("scan", "materials")
    SENDING = ("sending", "send")
    SEND_FAILED = ("send_failed", "send")
    SENT = ("sent", "send")
    ENDED = ("ended", "end")


S = SupplyState


class SupplyJourney(ScansMaterials, Journey[SupplyState]):
    name = "supply"
    State = SupplyState
    steps = ("find", "materials", "send")
    committing = frozenset({"sending"})
    personal = ("identified", "followup_secret", "owed", "materials", "seals", "sent_cases")
    scan_state, materials_state = S.SCAN, S.OWED

    def __init__(self, services: JourneyServices) -> None:
        self.identify: IdentifyJourney | None = None
        super().__init__(services)
        #: sent while the district could not be reached: stored here, delivered later
        self.stored_offline = False

    def initial_state(self) -> SupplyState:
        return S.CHOOSE

    def _reset_personal(self) -> None:
        self.identified: Identified | None = None
        self.followup_secret = ""
        self.owed: list[Owed] = []
        #: "<case number>/<material code>" -> the material and its scanned pages
        self.materials: dict[str, MaterialEntry] = {}
        self.seals = self._fresh_seals()
        self.sent_cases: list[str] = []

    def children(self) -> list[Journey]:
        return [self.identify] if self.identify is not None else []

    # --- find the case ------------------------------------------------------------------------

    def scan_receipt(self) -> None:
        """Read the QR code on the receipt with the code reader."""
        self._require(S.CHOOSE, S.NOTHING)
        codes = self.services.codes
        if not self.services.usable("code_reader", codes):
            return self._go(S.CHOOSE, "receipt_reader_down")
        self._go(S.SCAN_RECEIPT)
        self.on_cancel(codes.cancel)
        self._after(codes.read_code(), self._receipt_read,
                    lambda error: self._go(S.CHOOSE, "not_a_receipt"))

    def _receipt_read(self, text: str) -> None:
        found = followup_from_url(text)
        if found is None:
            return self._go(S.CHOOSE, "not_a_receipt")
        case_number, self.followup_secret = found
        promised = lambda: [self.services.pending.owed(case_number)]  # noqa: E731
        if not self.services.online():
            return self._known_here(promised())
        self._go(S.LOADING)
        self._after(self.services.citizen.followup_case(case_number, self.followup_secret),
                    lambda case: self._district([case], promised),
                    lambda error: self._lookup_failed(error, promised))

    def identify_me(self) -> None:
        self._require(S.CHOOSE, S.NOTHING)
        self.identify = IdentifyJourney(self.services, on_identified=self._identified)
        self.identify.subscribe(lambda _child: self._notify())
        self._go(S.IDENTIFY)

    def _identified(self, who: Identified) -> None:
        self.identified = who
        if not self.services.online():
            return self._known_here(self.services.pending.owed_for(who))
        promised = lambda: self.services.pending.owed_for(who)  # noqa: E731
        self._go(S.LOADING)
        self._after(self.services.citizen.cases(who), lambda cases: self._district(cases, promised),
                    lambda error: self._lookup_failed(error, promised))

    def _lookup_failed(self, error: BaseException, promised: Callable[[], list]) -> None:
        if isinstance(error, NotFound):
            if not any(promised()):
                return self._go(S.NOTHING, "no_such_case")
            return self._district([], promised)
        self._known_here(promised())

    def _district(self, cases: list, promised: Callable[[], list]) -> None:
        """The district's word, and what was promised here for a case still on its way to
        it (in the queue: only this kiosk knows it yet)."""
        listed = {case.case_number for case in cases}
        arriving = [o for o in promised() if o is not None and o.case_number not in listed]
        self._show([Owed.of(case) for case in cases if case.outstanding_materials] + arriving,
                   "promised_not_arrived" if arriving else "", "nothing_owed")

    def _known_here(self, promised: list[Owed | None]) -> None:
        """The district cannot be asked: only what was promised at this kiosk is known, and
        the screen says so."""
        self._show([owed for owed in promised if owed is not None], "promised_here",
                   "unknown_offline")

    def _show(self, owed: list[Owed], problem: str, none_problem: str) -> None:
        self.owed = sorted(owed, key=lambda o: (o.due is None, o.due, o.case_number))
        self.materials = {f"{o.case_number}/{code}": MaterialEntry(self._material(o, code))
                          for o in self.owed for code in o.materials}
        if not self.materials:
            return self._go(S.NOTHING, none_problem)
        self._go(S.OWED, problem)

    def _material(self, owed: Owed, code: str) -> Material:
        try:
            materials = self.services.catalogue.item(owed.service_code).materials
        except KeyError:
            materials = []
        return next((m for m in materials if m.id == code),
                    Material(id=code, name=Text(zh=code, en=code)))

    def owed_for_case(self, case_number: str) -> list[tuple[str, MaterialEntry]]:
        """The (key, entry) pairs of one case's owed materials, in the case's order."""
        return [(key, entry) for key, entry in self.materials.items()
                if key.split("/", 1)[0] == case_number]

    # --- scan (ScansMaterials) and send -----------------------------------------------------

    def undo(self, key: str) -> None:
        self._require(S.OWED)
        entry = self.materials[key]
        entry.status, entry.pages = "missing", []
        self._go(S.OWED)

    def materials_done(self) -> None:
        """Send what was scanned (a case at a time, each its own event)."""
        self._require(S.OWED, S.SEND_FAILED)
        if not any(entry.pages for entry in self.materials.values()):
            return self._go(S.OWED, "scan_something")
        submissions = [self._submission(owed) for owed in self.owed
                       if any(e.pages for _k, e in self.owed_for_case(owed.case_number))]
        self._go(S.SENDING)
        events, seals = self.services.events, self.seals
        self._after(self.services.background(
            lambda: [events.enqueue("commitment", payload, seals.attachments(blobs))
                     for payload, blobs in submissions]),
            self._sent, self._send_failed)

    def _submission(self, owed: Owed) -> tuple[dict[str, Any], dict[str, bytes]]:
        blobs: dict[str, bytes] = {}
        supplied = []
        for key, entry in self.owed_for_case(owed.case_number):
            if not entry.pages:
                continue
            names = []
            for number, page in enumerate(entry.pages, 1):
                name = f"blob:{entry.material.id}-{number}"
                blobs[name] = page
                names.append(name)
            supplied.append({"code": entry.material.id, "status": "provided", "blobs": names})
        payload: dict[str, Any] = {"case_number": owed.case_number, "action": "supplied",
                                   "supplied": supplied}
        # the district acts on a case another kiosk opened only for its holder: the receipt
        # QR read here, or the identification just made (ignored for this kiosk's own cases)
        if self.followup_secret and FEATURE_SUPPLY_BY_SECRET in self.services.server_features():
            payload["followup_secret"] = self.followup_secret
        elif self.identified is not None and owed.source == "district":
            payload["holder_assertion"] = self.services.citizen.holder_assertion(self.identified)
        CommitmentPayload.model_validate(
            {**payload, "supplied": [{**m, "blobs": ["0" * 64] * len(m["blobs"])}
                                     for m in supplied]})
        return payload, blobs

    def _send_failed(self, error: BaseException) -> None:
        self._go(S.SEND_FAILED, "storage_unavailable"
                 if isinstance(error, StorageUnavailable) else "submit_error")

    def _sent(self, enqueued: list[Enqueued]) -> None:
        self.stored_offline = not self.services.online()
        self.sent_cases = []
        for owed in self.owed:
            codes = [e.material.id for _k, e in self.owed_for_case(owed.case_number) if e.pages]
            if codes:
                self.services.pending.supplied(owed.case_number, codes)
                self.sent_cases.append(owed.case_number)
        self._go(S.SENT)

    def back(self) -> None:
        """The fixed bar's Back: only out of the camera step."""
        self.stop_scan()

    def finish(self) -> None:
        self._require(S.SENT, S.NOTHING)
        super().finish()
