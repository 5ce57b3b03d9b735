"""The identity-document reader port: resident IDs and travel documents."""
from __future__ import annotations

from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from devices.commands import Command
from foundation.identity_validation import BacKeyInput, IdentityValidationError, \
    validate_resident_id
from kiosk.journeys.adapters.futures import command_value, not_ready
from kiosk.journeys.ports import CitizenDocument, MrzKey

if TYPE_CHECKING:
    from devices.registry import DeviceRegistry


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
                           id_number=_id_number(document.document_number))


def _id_number(number: str) -> str:
    """The 18-character citizen ID number the document carries, or "": resident IDs, and the
    Hong Kong / Macao / Taiwan residence permits (81/82/83...), hold one; passports do not."""
    try:
        return validate_resident_id(number).number
    except IdentityValidationError:
        return ""


class IdReaderPort:
    def __init__(self, registry: "DeviceRegistry") -> None:
        self._registry = registry
        self._running: Command | None = None

    def _read(self, key: BacKeyInput | None) -> Future:
        device = self._registry.first_usable("id_reader")
        if device is None:
            return not_ready("identity-document reader")
        self._running = device.read(key)
        return command_value(self._running, citizen_document)

    def read_resident_id(self) -> Future:
        return self._read(None)

    def read_travel_document(self, key: MrzKey) -> Future:
        return self._read(BacKeyInput(key.document_number, key.birth_date, key.expiry_date))

    def cancel(self) -> None:
        if self._running is not None:
            self._running.token.cancel("journey ended")
