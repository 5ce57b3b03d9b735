"""Serial backend for second-generation resident-ID SAM readers (pyserial).

Find card -> select card -> read text and photo (-> added address). The SAM has
authenticated the card when it hands over the text, which is reported as the check
"sam_card_authentication"; the ID number's check character is verified too.
"""
from __future__ import annotations

import logging
from dataclasses import replace

import serial
from pydantic import Field

from devices.base import DeviceSettings
from devices.commands import CancelToken
from devices.id_reader import sam_protocol as sp
from devices.id_reader.errors import NoCard, ReaderMissing
from devices.id_reader.reader import IdReader
from devices.id_reader.result import (FOREIGN_PERMANENT_RESIDENT, HMT_RESIDENCE_PERMIT,
                                      RESIDENT_ID, IdDocument, Photo)
from devices.id_reader.sam_text import (FOREIGNER_2017, FOREIGNER_2023, HMT_PERMIT, SamText,
                                        parse_added_address, parse_text)
from devices.id_reader.sod import CheckResult, Outcome
from devices.id_reader.wlt import WltDecoder, WltUnavailable
from devices.model import DeviceIdentity, DeviceOffline
from foundation.clock import Clock
from foundation.identity_validation import resident_id_check_char

log = logging.getLogger(__name__)

NO_PLUGIN = "photo not available: no WLT decoder plug-in is configured"
_DOCUMENT_TYPES = {HMT_PERMIT: HMT_RESIDENCE_PERMIT, FOREIGNER_2017: FOREIGN_PERMANENT_RESIDENT,
                   FOREIGNER_2023: FOREIGN_PERMANENT_RESIDENT}


def id_number_check(text: SamText) -> CheckResult:
    """GB 11643 check character (resident cards, HMT permits and the 2023 foreigner card)."""
    number = text.id_number
    if text.layout == FOREIGNER_2017:
        return CheckResult("id_number_checksum", Outcome.NOT_CHECKED,
                           "the 2017 foreigner card number has no published check character")
    if len(number) != 18 or not number[:17].isdigit():
        return CheckResult("id_number_checksum", Outcome.FAILED, "the number is not 18 digits")
    if resident_id_check_char(number[:17]) != number[17]:
        return CheckResult("id_number_checksum", Outcome.FAILED,
                           "the check character does not match")
    return CheckResult("id_number_checksum", Outcome.PASSED)


def document_from_text(text: SamText, photo: Photo, *, reader: str,
                       timings: dict[str, float]) -> IdDocument:
    checks = (CheckResult("sam_card_authentication", Outcome.PASSED,
                          "the SAM authenticated the card"), id_number_check(text))
    return IdDocument(
        document_type=_DOCUMENT_TYPES.get(text.layout, RESIDENT_ID),
        document_number=text.id_number, name_zh=text.name_zh, name_latin=text.name_latin,
        sex=text.sex, birth_date=text.birth_date, nationality=text.nationality,
        ethnicity=text.nation, issuing_state="CHN", valid_from=text.valid_from,
        expiry_date=text.valid_until, long_term_valid=text.long_term,
        issuing_authority=text.issuing_authority, address=text.address, photo=photo,
        verification=checks, timings_ms=timings, source="sam", reader=reader)


class SamLink:
    """One SAM reader on a serial port: framing, status codes and reading the card on it."""

    def __init__(self, port: str, *, baudrate: int, timeout_s: float, clock: Clock,
                 wlt_plugin: str = "", log_name: str = "") -> None:
        self.port, self.baudrate, self.timeout_s = port, baudrate, timeout_s
        self.clock = clock
        self.log_name = log_name
        self._serial: serial.Serial | None = None
        self._wlt: WltDecoder | None = None
        self._wlt_problem = NO_PLUGIN
        if wlt_plugin:
            try:
                self._wlt = WltDecoder(wlt_plugin)
            except WltUnavailable as error:
                self._wlt_problem = f"photo not available: {error}"
                log.warning("WLT plug-in unavailable", extra={"device": log_name,
                                                              "reason": str(error)})

    def open(self) -> bytes:
        """Open the port and check the SAM; returns the SAM ID."""
        try:
            self._serial = serial.Serial(self.port, self.baudrate, timeout=self.timeout_s)
        except (serial.SerialException, OSError) as error:
            raise ReaderMissing(f"the SAM reader port {self.port} cannot be opened: "
                                f"{error}") from None
        self.exchange(sp.STATUS)
        return self.exchange(sp.READ_SAM_ID).data

    def close(self) -> None:
        if self._serial is not None:
            self._serial.close()
        self._serial = None

    def exchange(self, command: sp.SamCommand, data: bytes = b"") -> sp.SamResponse:
        """Send one command; return the answer, or raise the clear error of its status."""
        link = self._serial
        if link is None:
            raise ReaderMissing("the SAM reader is not open")
        try:
            link.reset_input_buffer()  # drop the rest of any broken earlier answer
            link.write(sp.encode_command(command, data))
            frame = sp.read_frame(link.read, what=f"the SAM reader on {self.port}")
        except (serial.SerialException, OSError) as error:
            raise DeviceOffline(f"the SAM reader link failed: {error}") from None
        response = sp.parse_response(frame)
        error = sp.status_error(command, response.sw3)
        if error is not None:
            raise error
        return response

    def card_present(self) -> bool:
        try:
            return self.exchange(sp.FIND_CARD).sw3 == sp.SW_CARD_FOUND
        except NoCard:
            return False

    def read_document(self, token: CancelToken, *, reader: str) -> IdDocument:
        timings: dict[str, float] = {}
        clock = self.clock
        started = clock.monotonic()
        if self.exchange(sp.FIND_CARD).sw3 != sp.SW_CARD_FOUND:
            raise NoCard()
        token.raise_if_cancelled()
        self.exchange(sp.SELECT_CARD)
        token.raise_if_cancelled()
        step = clock.monotonic()
        content = sp.parse_card_content(self.exchange(sp.READ_TEXT_PHOTO).data)
        timings["read"] = (clock.monotonic() - step) * 1000
        text = parse_text(content.text)
        extra = self._added_address()
        if extra:
            text = _with_address(text, extra)
        photo = self._photo(content.photo, timings)
        timings["total"] = (clock.monotonic() - started) * 1000
        return document_from_text(text, photo, reader=reader, timings=timings)

    def _added_address(self) -> str:
        """The card's added address; "" when it has none or the SAM firmware predates the command.

        The added address is an optional step: older firmware answers "unknown command", and
        the text and photo already read must still reach the citizen.
        """
        try:
            added = self.exchange(sp.READ_ADDED_ADDRESS)
        except sp.SamStatusError as error:
            if error.code != f"samStatus{sp.SW_UNKNOWN_COMMAND:02X}":
                raise
            log.warning("SAM firmware cannot read the added address; the card's address may "
                        "be incomplete", extra={"device": self.log_name,
                                                 "step": sp.READ_ADDED_ADDRESS.name,
                                                 "sam_status": f"{sp.SW_UNKNOWN_COMMAND:02X}"})
            return ""
        if added.sw3 != sp.SW_OK or not added.data:
            return ""
        return parse_added_address(added.data)

    def _photo(self, wlt: bytes, timings: dict[str, float]) -> Photo:
        if self._wlt is None:
            return Photo.absent(self._wlt_problem)
        step = self.clock.monotonic()
        try:
            png = self._wlt.decode_png(wlt)
        except WltUnavailable as error:
            return Photo.absent(f"photo not available: {error}")
        finally:
            timings["photo_decode"] = (self.clock.monotonic() - step) * 1000
        return Photo(png, "png", 102, 126)


class SamIdReader(IdReader):
    backend = "sam"

    class Settings(DeviceSettings):
        port: str = "/dev/ttyUSB0"
        baudrate: int = Field(default=115200, ge=1200, le=921600)
        timeout_s: float = Field(default=2.0, gt=0, le=30)
        poll_interval_s: float = Field(default=0.5, gt=0, le=10)
        wlt_plugin: str = ""

    settings: Settings

    def __init__(self, name: str, settings: "SamIdReader.Settings | None" = None, *,
                 clock=None) -> None:
        super().__init__(name, settings, clock=clock)
        self.poll_interval = self.settings.poll_interval_s
        options = self.settings
        self.link = SamLink(options.port, baudrate=options.baudrate, timeout_s=options.timeout_s,
                            clock=self.clock, wlt_plugin=options.wlt_plugin, log_name=name)

    def _open(self) -> DeviceIdentity:
        sam_id = self.link.open()
        return DeviceIdentity(model="resident-ID SAM reader", serial=sam_id.hex().upper(),
                              backend=self.backend, port=self.settings.port)

    def _close(self) -> None:
        self.link.close()

    def exchange(self, command: sp.SamCommand, data: bytes = b"") -> sp.SamResponse:
        """One raw command (on the worker; for maintenance and tests)."""
        return self.link.exchange(command, data)

    def _detect_card(self) -> bool:
        return self.link.card_present()

    def _read(self, token: CancelToken, access_key: object = None) -> IdDocument:
        return self.link.read_document(token, reader=f"SAM reader on {self.settings.port}")


def _with_address(text: SamText, added: str) -> SamText:
    return replace(text, address=f"{text.address} {added}".strip())

