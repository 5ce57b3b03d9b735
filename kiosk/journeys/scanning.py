"""Scanning a material with the document camera: one page per capture, added to the
material's pages. Apply (materials while applying) and supply (补交: a material owed under
a commitment) share it."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from kiosk.catalogue import Material
from kiosk.journeys.base import JourneyState
from kiosk.journeys.ports import ScannedPage
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

    @property
    def done(self) -> bool:
        return self.status != "missing"


class ScansMaterials:
    """Mixed into a Journey that keeps `materials` (key -> MaterialEntry) and has a
    `scan_state` in which the camera looks and a `materials_state` it returns to."""

    services: "JourneyServices"
    materials: dict[str, MaterialEntry]
    scan_state: JourneyState
    materials_state: JourneyState
    #: the key of the material being scanned
    scanning: str | None = None

    def start_scan(self, key: str) -> None:
        self._require(self.materials_state)
        scanner = self.services.scanner
        if not self.services.usable("document_camera", scanner):
            return self._go(self.materials_state, "scanner_down")
        self.scanning = key
        self._go(self.scan_state)
        self.on_cancel(scanner.stop)
        self._after(scanner.capture(), self._scanned,
                    lambda error: self._go(self.materials_state, "scan_failed"))

    def _scanned(self, page: ScannedPage) -> None:
        entry = self.materials[self.scanning]
        entry.pages.append(page.image)
        entry.status, entry.certificate = "provided", None
        self.scanning = None
        self._go(self.materials_state)

    def stop_scan(self) -> None:
        self._require(self.scan_state)
        self._abandon_in_flight()
        self.services.scanner.stop()
        self.scanning = None
        self._go(self.materials_state)
