"""The clear errors of the identity-document readers (all `DeviceError`s)."""
from __future__ import annotations

from devices.model import DeviceHardwareError, InvalidData, NoDevice, UserError


class ParseError(InvalidData):
    """Bytes from a card or reader that do not have the structure the standard requires."""

    def __init__(self, message: str, *, code: str = "parseError") -> None:
        super().__init__(message, code=code)


class VerificationFailed(InvalidData):
    """A cryptographic check failed (MAC, cryptogram, hash, signature)."""

    def __init__(self, message: str, *, code: str = "verificationFailed") -> None:
        super().__init__(message, code=code)


class AccessDenied(UserError):
    """The card refused the access key (BAC): the MRZ data typed or scanned is wrong."""

    def __init__(self, message: str = "the card refused the access key: check the document "
                                      "number, birth date and expiry date") -> None:
        super().__init__(message, code="accessDenied")


class AccessKeyMissing(UserError):
    def __init__(self, message: str = "this document needs its MRZ key (document number, "
                                      "birth date, expiry date) before it can be read") -> None:
        super().__init__(message, code="accessKeyMissing")


class CardRemoved(UserError):
    """The card left the reader during the read; nothing partial is returned."""

    def __init__(self, message: str = "the card was removed before reading finished; "
                                      "insert it again and keep it still") -> None:
        super().__init__(message, code="cardRemoved")


class NoCard(UserError):
    def __init__(self, message: str = "no identity document is on the reader") -> None:
        super().__init__(message, code="noCard")


class CardError(DeviceHardwareError):
    """The card answered a command with an unexpected status word."""

    def __init__(self, message: str, sw: int = 0) -> None:
        super().__init__(message, code=f"cardStatus{sw:04X}" if sw else "cardError")
        self.sw = sw


class ReaderMissing(NoDevice):
    pass
