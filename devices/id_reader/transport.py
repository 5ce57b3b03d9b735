"""Card transport: how APDUs reach a contactless card (pcscd, or an in-process virtual card).

The eMRTD reading code only sees `CardConnection.transmit`; the `pcsc` and `simulated`
backends differ only in the transport they hand it.
"""
from __future__ import annotations

from typing import Protocol


class CardConnection(Protocol):
    def transmit(self, apdu: bytes) -> bytes:
        """Send one command APDU; return the response including SW1 SW2.

        Raises `CardRemoved` when the card left the field."""

    def disconnect(self) -> None: ...


class CardTransport(Protocol):
    #: shown in the device identity and in `kiosk doctor`
    description: str

    def card_present(self) -> bool: ...

    def connect(self) -> CardConnection:
        """Raises `NoCard` when no card is in the field, `ReaderMissing` without a reader."""


class CountingConnection:
    """Wraps a connection to count APDUs (reported in timings and by bench/idread.py)."""

    def __init__(self, inner: CardConnection) -> None:
        self.inner = inner
        self.apdus = 0

    def transmit(self, apdu: bytes) -> bytes:
        self.apdus += 1
        return self.inner.transmit(apdu)

    def disconnect(self) -> None:
        self.inner.disconnect()
