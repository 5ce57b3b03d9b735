"""Reading an ICAO eMRTD through any `CardConnection`: BAC, secure messaging, LDS, PA."""
from __future__ import annotations

import os
from datetime import datetime
from typing import Callable

from cryptography import x509 as cx509

from devices.commands import CancelToken
from devices.id_reader import apdu as cmd
from devices.id_reader import tlv
from devices.id_reader.apdu import CommandApdu, ResponseApdu
from devices.id_reader.bac import BacHandshake
from devices.id_reader.errors import AccessDenied, CardError, ParseError
from devices.id_reader.face_image import decode_image
from devices.id_reader.lds import (AID_EMRTD, DATA_GROUPS, FID_COM, FID_SOD, AdditionalDetails,
                                   DocumentDetails, mrz_date, parse_dg1, parse_dg2, parse_dg11,
                                   parse_dg12, parse_ef_com)
from devices.id_reader.result import PASSPORT, TRAVEL_PERMIT, IdDocument, Photo
from devices.id_reader.secure_messaging import SecureMessaging
from devices.id_reader.sod import (CheckResult, Outcome, check_chain, check_data_group,
                                   check_message_digest, check_signature, parse_sod)
from devices.id_reader.transport import CardConnection
from foundation.identity_validation import BacKeyInput

#: the largest plaintext READ BINARY a short-length BAC response can carry (ICAO: 0xE7 is safe)
MAX_SM_READ = 0xE7
#: what a protected answer adds to its plaintext besides padding: 87 with a three-byte
#: length and the padding indicator, 99 (status), 8E (MAC), SW1 SW2
_SM_ANSWER_OVERHEAD = 5 + 4 + 10 + 2
#: ISO 7816-4 "extended length information" in EF.ATR/INFO
_EXTENDED_LENGTH_INFO = 0x7F66
#: status words meaning "wrong length; ask for less"
_WRONG_LENGTH = 0x6700
_END_OF_FILE = 0x6282
_AUTH_FAILED = {0x6300, 0x6982, 0x6A80}


def extended_read_size(atr_info: bytes) -> int | None:
    """The largest plaintext one protected READ BINARY can ask for, from EF.ATR/INFO's
    extended length information (the largest answer APDU the card sends); None when the
    card states none, or one no larger than short length allows."""
    try:
        info = next((element for element in tlv.iterate(atr_info)
                     if element.tag == _EXTENDED_LENGTH_INFO), None)
        limits = [child for child in info.children() if child.tag == 0x02] if info else []
    except ParseError:
        return None
    if len(limits) < 2:
        return None
    max_response = int.from_bytes(limits[1].value, "big")
    size = min((max_response - _SM_ANSWER_OVERHEAD) // 8 * 8 - 1, 0xFFFF)
    return size if size > MAX_SM_READ else None


class EmrtdSession:
    """One card session: select, BAC, then protected file reads of the largest size accepted
    (extended length when EF.ATR/INFO offers it)."""

    def __init__(self, connection: CardConnection, *, max_read: int = MAX_SM_READ,
                 random: Callable[[int], bytes] = os.urandom,
                 token: CancelToken | None = None) -> None:
        self.connection = connection
        self.max_read = max(1, min(max_read, MAX_SM_READ))
        self.random = random
        self.token = token
        self.sm: SecureMessaging | None = None

    def transmit(self, command: CommandApdu) -> ResponseApdu:
        if self.token is not None:
            self.token.raise_if_cancelled()
        if self.sm is None:
            return ResponseApdu.parse(self.connection.transmit(command.to_bytes()))
        protected = self.sm.protect(command)
        return self.sm.unprotect(ResponseApdu.parse(self.connection.transmit(protected.to_bytes())))

    def use_extended_length(self) -> bool:
        """Read EF.ATR/INFO (in plain, before the application is selected); when the card
        takes extended-length APDUs, later reads ask for as much as its answers can hold."""
        response = self.transmit(cmd.READ_ATR_INFO)
        if response.sw not in (cmd.SW_OK, _END_OF_FILE) or not response.data:
            return False  # no EF.ATR/INFO (most older chips): short length
        size = extended_read_size(response.data)
        if size is None:
            return False
        self.max_read = size
        return True

    def select_application(self) -> None:
        response = self.transmit(cmd.select_application(AID_EMRTD))
        if not response.ok:
            raise CardError(f"the card has no eMRTD application (SW {response.sw:04X})",
                            response.sw)

    def basic_access_control(self, key: BacKeyInput) -> None:
        handshake = BacHandshake(key.mrz_information(), self.random(8), self.random(16))
        challenge = self.transmit(cmd.GET_CHALLENGE)
        if not challenge.ok:
            raise CardError(f"GET CHALLENGE failed (SW {challenge.sw:04X})", challenge.sw)
        answer = self.transmit(cmd.mutual_authenticate(handshake.authenticate_data(challenge.data)))
        if answer.sw in _AUTH_FAILED:
            raise AccessDenied()
        if not answer.ok:
            raise CardError(f"MUTUAL AUTHENTICATE failed (SW {answer.sw:04X})", answer.sw)
        self.sm = SecureMessaging(handshake.finish(answer.data))

    def select_file(self, fid: int) -> None:
        response = self.transmit(cmd.select_file(fid))
        if not response.ok:
            raise CardError(f"file {fid:04X} cannot be selected (SW {response.sw:04X})",
                            response.sw)

    def read_chunk(self, offset: int, length: int, *, shrink: bool = True) -> bytes:
        """Up to `length` bytes at `offset`; 6Cxx and (with `shrink`) 6700 lower the size
        of this and every later read to what the card accepts."""
        odd = offset > cmd.MAX_SHORT_OFFSET
        if odd:  # the answer's 53 header counts against Le
            length = min(self.max_read, length + cmd.ODD_HEADER_MAX)
        while True:
            response = self.transmit(cmd.read_binary(offset, length))
            if response.ok or response.sw == _END_OF_FILE:
                if odd:
                    return tlv.expect(response.data, 0x53, "an odd-INS READ BINARY answer").value
                return response.data
            if response.sw == _WRONG_LENGTH and length > 1 and shrink:
                length = self.max_read = max(1, length // 2)
                continue
            if response.sw >> 8 == 0x6C and response.sw & 0xFF:
                length = self.max_read = min(length, response.sw & 0xFF)
                continue
            raise CardError(f"READ BINARY at {offset} failed (SW {response.sw:04X})", response.sw)

    def read_file(self, fid: int) -> bytes:
        """The whole file: its TLV header tells the size; chunks are as large as accepted."""
        self.select_file(fid)
        try:
            data = self.read_chunk(0, self.max_read, shrink=False)
        except CardError as error:
            if error.sw != _WRONG_LENGTH:
                raise
            # this card refuses reads past the end of a short file: learn the size first
            data = self.read_chunk(0, 4)
        if not data:
            raise ParseError(f"file {fid:04X} is empty")
        _tag, length, start = tlv.read_header(data)
        total = start + length
        while len(data) < total:
            chunk = self.read_chunk(len(data), min(self.max_read, total - len(data)))
            if not chunk:
                raise ParseError(f"file {fid:04X} ends after {len(data)} of {total} bytes")
            data += chunk
        return data[:total]


def read_emrtd(connection: CardConnection, key: BacKeyInput, *, now: datetime,
               csca_store: list[cx509.Certificate] | None = None, max_read: int = MAX_SM_READ,
               extended_length: bool = True,
               random: Callable[[int], bytes] = os.urandom, token: CancelToken | None = None,
               timer: Callable[[], float], reader: str = "") -> IdDocument:
    """Read EF.COM, DG1, DG2, DG11 and DG12 (when listed) and EF.SOD, then run Passive
    Authentication.

    `timer` only measures step durations for the report (never used for timeouts)."""
    timings: dict[str, float] = {}
    session = EmrtdSession(connection, max_read=max_read, random=random, token=token)

    def timed(step: str, fn: Callable[[], object]):
        started = timer()
        value = fn()
        timings[step] = (timer() - started) * 1000
        return value

    started = timer()
    if extended_length:
        timed("card_info", session.use_extended_length)
    timed("select", session.select_application)
    timed("bac", lambda: session.basic_access_control(key))
    com = parse_ef_com(timed("ef_com", lambda: session.read_file(FID_COM)))
    dg1 = timed("dg1", lambda: session.read_file(DATA_GROUPS[1][0]))
    dg2 = timed("dg2", lambda: session.read_file(DATA_GROUPS[2][0])) if 2 in com.data_groups \
        else None
    dg11, dg12 = (timed(f"dg{n}", lambda n=n: session.read_file(DATA_GROUPS[n][0]))
                  if n in com.data_groups else None for n in (11, 12))
    sod_bytes = timed("sod", lambda: session.read_file(FID_SOD))
    mrz = parse_dg1(dg1)
    checks = [CheckResult("mrz_check_digits",
                          Outcome.PASSED if mrz.check_digits_ok else Outcome.FAILED,
                          ", ".join(k for k, ok in mrz.checks.items() if not ok))]
    photo = Photo.absent("the document has no face image (DG2)")
    if dg2 is not None:
        try:
            image = decode_image(parse_dg2(dg2))
            photo = Photo(image.data, image.format, image.width, image.height)
        except ParseError as error:
            photo = Photo.absent(f"the face image could not be read: {error.message}")
    details, issue = AdditionalDetails(), DocumentDetails()
    try:
        details = parse_dg11(dg11) if dg11 is not None else details
        issue = parse_dg12(dg12) if dg12 is not None else issue
    except ParseError as error:
        checks.append(CheckResult("optional_data_groups", Outcome.FAILED, error.message))
    pa_started = timer()
    try:
        sod = parse_sod(sod_bytes)
    except ParseError as error:
        checks.append(CheckResult("sod", Outcome.FAILED, error.message))
    else:
        checks.append(check_data_group(sod, 1, dg1))
        for number, data in ((2, dg2), (11, dg11), (12, dg12)):
            if data is not None:
                checks.append(check_data_group(sod, number, data))
        checks.append(check_message_digest(sod))
        checks.append(check_signature(sod))
        checks.append(check_chain(sod, csca_store, at=now))
    timings["passive_authentication"] = (timer() - pa_started) * 1000
    timings["total"] = (timer() - started) * 1000
    document_type = PASSPORT if mrz.layout == "TD3" or mrz.document_code.startswith("P") \
        else TRAVEL_PERMIT
    latin = " ".join(part for part in (mrz.surname, mrz.given_names) if part)
    national = details.full_name if not details.full_name.isascii() else ""
    birth = details.full_birth_date or mrz_date(mrz.birth_yymmdd, today=now.date(), future=False)
    return IdDocument(
        document_type=document_type, document_number=mrz.document_number,
        name_zh=national, name_latin=latin, sex=mrz.sex, birth_date=birth,
        nationality=mrz.nationality, issuing_state=mrz.issuing_state,
        valid_from=issue.date_of_issue,
        expiry_date=mrz_date(mrz.expiry_yymmdd, today=now.date(), future=True),
        issuing_authority=issue.issuing_authority, address=details.address, photo=photo, verification=tuple(checks), timings_ms=timings,
        source="emrtd", reader=reader)
