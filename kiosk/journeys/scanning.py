"""Scanning a material with the document camera: one page per capture, added to the
material's pages, and sealed for the district as it is captured (`CaptureSeals`). Apply
(materials while applying) and supply (补交: a material owed under a commitment) share it."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Mapping

from foundation.events import SealedBlob
from kiosk.catalogue import Material
from kiosk.journeys.base import JourneyState
from kiosk.journeys.ports import ScannedPage, ScanView
from wire.v1 import CertificateOnFile

if TYPE_CHECKING:
    from kiosk.journeys.ports import JourneyServices

MaterialStatus = Literal["missing", "provided", "reused", "deferred", "waived"]


@dataclass
class MaterialEntry:
    material: Material
    status: MaterialStatus = "missing"
    pages: list[bytes] = field(default_factory=list)      # scanned JPEGs (personal)
    certificate: CertificateOnFile | None = None          # (personal)
    #: the citizen's answer to keeping the scan on file for next time (零材料); None: not
    #: answered, which keeps nothing
    keep_on_file: bool | None = None

    @property
    def done(self) -> bool:
        return self.status != "missing"


class CaptureSeals:
    """Attachments encrypted when they are captured (a page scanned, the signature signed):
    `EventSink.seal` on the journey's background runner, so that the submit hands the sink
    sealed copies (which it may have stored already) and neither seals nor writes 600 KB on
    its way to the disk. Keyed by the captured bytes: a retaken page or signature is sealed
    anew and only what is sent is used; one not sealed yet (or whose sealing failed) goes
    plaintext and the sink seals it then. When the journey is wiped, `discard` gives every
    sealed copy up to the sink (those sent are their item's by then), one still being sealed
    as soon as it is done."""

    def __init__(self, services: "JourneyServices") -> None:
        self._services = services
        self._sealed: dict[bytes, SealedBlob] = {}
        self._lock = threading.Lock()
        self._discarded = False

    def seal(self, data: bytes) -> None:
        events = self._services.events

        def work() -> None:
            blob = events.seal(data)
            with self._lock:
                if not self._discarded:
                    self._sealed[data] = blob
                    return
            events.discard([blob])
        self._services.background(work)

    def discard(self) -> None:
        with self._lock:
            self._discarded = True
            sealed, self._sealed = self._sealed, {}
        if sealed:
            self._services.events.discard(sealed.values())

    def __len__(self) -> int:
        return len(self._sealed)

    def attachments(self, blobs: Mapping[str, bytes]) -> dict[str, bytes | SealedBlob]:
        """`blobs` for `EventSink.enqueue`, each replaced by its copy sealed at capture."""
        return {name: self._sealed.get(data, data) for name, data in blobs.items()}


class ScansMaterials:
    """Mixed into a Journey that keeps `materials` (key -> MaterialEntry) and has a
    `scan_state` in which the camera looks and a `materials_state` it returns to."""

    services: "JourneyServices"
    materials: dict[str, MaterialEntry]
    #: the pages (and the signature) sealed as they were captured
    seals: CaptureSeals
    scan_state: JourneyState
    materials_state: JourneyState
    #: the key of the material being scanned
    scanning: str | None = None
    #: the page's outline and the countdown, as the document camera sees them now
    scan_view: ScanView = ScanView()

    def _fresh_seals(self) -> CaptureSeals:
        """Seals for the next citizen's captures; the last one's are given up."""
        last: CaptureSeals | None = vars(self).get("seals")
        if last is not None:
            last.discard()
        return CaptureSeals(self.services)

    def start_scan(self, key: str) -> None:
        self._require(self.materials_state)
        scanner = self.services.scanner
        if not self.services.usable("document_camera", scanner):
            return self._go(self.materials_state, "scanner_down")
        self.scanning, self.scan_view = key, ScanView()
        self._go(self.scan_state)
        self.on_cancel(scanner.stop)
        self._after(scanner.capture(self._viewed), self._scanned,
                    lambda error: self._go(self.materials_state, "scan_failed"))

    def _viewed(self, view: ScanView) -> None:
        """From the camera's side, for every frame looked at: shown when it changes."""
        def show() -> None:
            if self.state is self.scan_state and view != self.scan_view:
                self.scan_view = view
                self._notify()
        self.services.post(show)

    def take_picture(self) -> None:
        """Take the page now instead of waiting for the countdown."""
        self._require(self.scan_state)
        self.services.scanner.take_now()

    def _scanned(self, page: ScannedPage) -> None:
        entry = self.materials[self.scanning]
        entry.pages.append(page.image)
        self.seals.seal(page.image)
        entry.status, entry.certificate = "provided", None
        self.scanning, self.scan_view = None, ScanView()
        self._go(self.materials_state)

    def stop_scan(self) -> None:
        self._require(self.scan_state)
        self._abandon_in_flight()
        self.services.scanner.stop()
        self.scanning, self.scan_view = None, ScanView()
        self._go(self.materials_state)
