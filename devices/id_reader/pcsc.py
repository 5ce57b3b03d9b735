"""PC/SC backend: eMRTDs on a contactless reader through pcscd (pyscard's scard layer).

A "Virtual PCD" reader (vsmartcard vpcd) listens on every network interface; it is
ignored unless `allow_virtual_reader` is set (tests only), and `virtual_readers()` lets
`kiosk doctor` flag it.
"""
from __future__ import annotations

from smartcard import scard

from devices.id_reader.errors import CardError, CardRemoved, NoCard, ReaderMissing
from devices.id_reader.reader import EmrtdIdReader, EmrtdSettings
from devices.id_reader.security import is_virtual_reader
from devices.model import DeviceIdentity, DeviceOffline

_REMOVED = {scard.SCARD_W_REMOVED_CARD, scard.SCARD_E_NO_SMARTCARD, scard.SCARD_W_RESET_CARD,
            scard.SCARD_W_UNPOWERED_CARD}
_NO_SERVICE = {scard.SCARD_E_NO_SERVICE, scard.SCARD_E_SERVICE_STOPPED,
               scard.SCARD_E_INVALID_HANDLE}


def _message(code: int) -> str:
    return scard.SCardGetErrorMessage(code).strip().rstrip(".")


def _check(code: int, what: str) -> None:
    if code == scard.SCARD_S_SUCCESS:
        return
    if code in _NO_SERVICE:
        raise DeviceOffline(f"pcscd stopped answering during {what}: {_message(code)}")
    if code in (scard.SCARD_E_NO_READERS_AVAILABLE, scard.SCARD_E_UNKNOWN_READER,
                scard.SCARD_E_READER_UNAVAILABLE):
        raise ReaderMissing(f"no smart-card reader: {_message(code)}")
    raise CardError(f"{what} failed: {_message(code)}")


def establish_context() -> int:
    code, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if code != scard.SCARD_S_SUCCESS:
        raise ReaderMissing(f"pcscd is not running or not reachable: {_message(code)}")
    return context


def list_readers(context: int) -> list[str]:
    code, readers = scard.SCardListReaders(context, [])
    if code == scard.SCARD_E_NO_READERS_AVAILABLE:
        return []
    _check(code, "listing readers")
    return list(readers)


def virtual_readers() -> list[str]:
    """Names of vpcd readers pcscd offers (a security finding outside tests)."""
    try:
        context = establish_context()
    except ReaderMissing:
        return []
    try:
        return [r for r in list_readers(context) if is_virtual_reader(r)]
    finally:
        scard.SCardReleaseContext(context)


class PcscConnection:
    def __init__(self, handle: int, protocol: int) -> None:
        self._handle, self._protocol = handle, protocol
        self._removed = False

    def transmit(self, apdu: bytes) -> bytes:
        code, response = scard.SCardTransmit(self._handle, self._protocol, list(apdu))
        if code in _REMOVED:
            self._removed = True
            raise CardRemoved()
        _check(code, "card command")
        if len(response) < 2:
            # vpcd and some readers report a card lost mid-command as an empty answer
            self._removed = True
            raise CardRemoved("the card stopped answering before reading finished; insert it "
                              "again and keep it still")
        return bytes(response)

    def disconnect(self) -> None:
        # a card still present is reset: the next session finds the master file selected
        # (EF.ATR/INFO is read there by its short identifier) and no secure messaging left
        scard.SCardDisconnect(self._handle, scard.SCARD_LEAVE_CARD if self._removed
                              else scard.SCARD_RESET_CARD)


class PcscTransport:
    def __init__(self, context: int, reader: str) -> None:
        self._context, self.reader = context, reader
        self.description = reader

    def card_present(self) -> bool:
        code, states = scard.SCardGetStatusChange(self._context, 0,
                                                  [(self.reader, scard.SCARD_STATE_UNAWARE)])
        if code == scard.SCARD_E_TIMEOUT:
            return False
        _check(code, "card presence check")
        return bool(states[0][1] & scard.SCARD_STATE_PRESENT)

    def connect(self) -> PcscConnection:
        code, handle, protocol = scard.SCardConnect(
            self._context, self.reader, scard.SCARD_SHARE_SHARED,
            scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1)
        if code in _REMOVED:
            raise NoCard()
        _check(code, "connecting to the card")
        return PcscConnection(handle, protocol)


class PcscIdReader(EmrtdIdReader):
    backend = "pcsc"

    class Settings(EmrtdSettings):
        reader: str = ""
        allow_virtual_reader: bool = False

    settings: Settings

    def __init__(self, name: str, settings: "PcscIdReader.Settings | None" = None, *,
                 clock=None) -> None:
        super().__init__(name, settings, clock=clock)
        self._context: int | None = None
        self._pcsc: PcscTransport | None = None

    def _choose_reader(self, readers: list[str]) -> str:
        wanted = self.settings.reader
        usable = [r for r in readers if self.settings.allow_virtual_reader
                  or not is_virtual_reader(r)]
        matching = [r for r in usable if wanted in r] if wanted else usable
        if not matching:
            found = ", ".join(readers) or "none"
            raise ReaderMissing(f"no PC/SC reader matches {wanted or 'any'!r} "
                                f"(readers: {found}; virtual readers need "
                                "allow_virtual_reader)")
        return matching[0]

    def _open(self) -> DeviceIdentity:
        context = establish_context()
        try:
            reader = self._choose_reader(list_readers(context))
        except Exception:
            scard.SCardReleaseContext(context)
            raise
        self._context, self._pcsc = context, PcscTransport(context, reader)
        return DeviceIdentity(model=reader, backend=self.backend, port=reader)

    def _close(self) -> None:
        if self._context is not None:
            scard.SCardReleaseContext(self._context)
        self._context = self._pcsc = None

    def _transport(self) -> PcscTransport:
        if self._pcsc is None:
            raise ReaderMissing("the PC/SC reader is not open")
        return self._pcsc

    def _detect_card(self) -> bool:
        return self._transport().card_present()
