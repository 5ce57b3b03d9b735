"""The identity-document reader device kind.

`read(access_key)` submits one read and returns the `Command`; its value is an
`IdDocument`. Card presence is polled on the device's worker and published as the
unit "card" (occupied/empty) plus `cardInserted` / `cardRemoved` events.
"""
from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import ClassVar

from pydantic import Field

from devices.base import Device, DeviceSettings
from devices.commands import CancelToken, Command
from devices.id_reader.emrtd import MAX_SM_READ, read_emrtd
from devices.id_reader.errors import AccessKeyMissing
from devices.id_reader.result import IdDocument
from devices.id_reader.sod import load_csca_store
from devices.id_reader.transport import CardTransport, CountingConnection
from devices.model import UnitState
from foundation.identity_validation import BacKeyInput

log = logging.getLogger(__name__)


class IdReader(Device, ABC):
    kind: ClassVar[str] = "id_reader"
    poll_interval: float = 0.5

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._card_seen: bool | None = None

    def read(self, access_key: BacKeyInput | None = None, *, timeout: float = 30.0) -> Command:
        """Read the document on the reader; eMRTDs need the MRZ `access_key`."""
        return self.submit("read", lambda token: self._read(token, access_key), timeout=timeout)

    @property
    def card_present(self) -> bool:
        return bool(self._card_seen)

    @abstractmethod
    def _read(self, token: CancelToken, access_key: BacKeyInput | None) -> IdDocument: ...

    @abstractmethod
    def _detect_card(self) -> bool:
        """Whether a card is on the reader now (runs on the worker)."""

    def _after_open(self) -> None:
        self._poll_card(None)
        self.every(self.poll_interval, "poll card", self._poll_card)

    def _poll_card(self, _token: CancelToken | None) -> None:
        present = self._detect_card()
        if present == self._card_seen:
            return
        self._card_seen = present
        self.set_unit("card", UnitState.OCCUPIED if present else UnitState.EMPTY)
        self.emit("cardInserted" if present else "cardRemoved")


class EmrtdSettings(DeviceSettings):
    max_read: int = Field(default=MAX_SM_READ, ge=1, le=MAX_SM_READ)
    #: read in extended length when the chip's EF.ATR/INFO offers it (off: for a reader
    #: that cannot pass extended-length APDUs)
    extended_length: bool = True
    poll_interval_s: float = Field(default=0.5, gt=0, le=10)
    #: folder of trusted CSCA certificates; empty: the chain is reported "not checked"
    csca_dir: str = ""


class EmrtdIdReader(IdReader):
    """ICAO eMRTD reading shared by `pcsc` and `simulated`: only the transport differs."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.poll_interval = self.settings.poll_interval_s
        csca_dir = self.settings.csca_dir
        self._csca = load_csca_store(csca_dir) if csca_dir else None

    @abstractmethod
    def _transport(self) -> CardTransport: ...

    def _access_key(self, given: BacKeyInput | None) -> BacKeyInput:
        if given is None:
            raise AccessKeyMissing()
        return given

    def _read(self, token: CancelToken, access_key: BacKeyInput | None) -> IdDocument:
        transport = self._transport()
        connection = CountingConnection(transport.connect())
        try:
            key = self._access_key(access_key)
            now = self.clock.now()
            document = read_emrtd(connection, key, now=now,
                                  csca_store=self._csca, max_read=self.settings.max_read,
                                  extended_length=self.settings.extended_length,
                                  token=token, reader=transport.description,
                                  timer=self.clock.monotonic)
        finally:
            connection.disconnect()
        log.info("identity document read", extra={
            "device": self.name, "apdus": connection.apdus, "verified": document.verified,
            "failed_checks": [c.name for c in document.failed_checks()]})
        return document
