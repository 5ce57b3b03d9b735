"""The virtual eMRTD: ISO 7816-4 commands, BAC mutual authentication and secure messaging."""
from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from typing import Callable

from devices.id_reader.virtual_card import card_crypto as cc

AID = bytes.fromhex("A0000002471001")
#: EF.ATR/INFO's short EF identifier (in the master file, ISO 7816-4 §8.2.1.1)
SFI_ATR_INFO = 0x01
#: a contactless PC/SC ATR with no historical bytes (3B 8n 80 01 ... TCK)
ATR = bytes.fromhex("3B80800101")

OK = b"\x90\x00"
END_OF_FILE = b"\x62\x82"
AUTH_FAILED = b"\x63\x00"
WRONG_LENGTH = b"\x67\x00"
SECURITY_NOT_SATISFIED = b"\x69\x82"
SM_MISSING = b"\x69\x87"
SM_WRONG = b"\x69\x88"
FILE_NOT_FOUND = b"\x6A\x82"
WRONG_P1P2 = b"\x6B\x00"
INS_NOT_SUPPORTED = b"\x6D\x00"
CLA_NOT_SUPPORTED = b"\x6E\x00"
WRONG_DATA = b"\x6A\x80"


class CardLeftField(Exception):
    """Raised by `process` when the card is taken away mid-session (a simulated fault)."""


@dataclass
class _Apdu:
    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes
    le: int | None


def _parse(raw: bytes) -> _Apdu | None:
    if len(raw) < 4:
        return None
    cla, ins, p1, p2 = raw[:4]
    body = raw[4:]
    if not body:
        return _Apdu(cla, ins, p1, p2, b"", None)
    if len(body) == 1:
        return _Apdu(cla, ins, p1, p2, b"", body[0] or 256)
    if body[0] == 0 and len(body) >= 3:
        return _parse_extended(cla, ins, p1, p2, body)
    lc = body[0]
    if lc == 0 or len(body) not in (1 + lc, 2 + lc):
        return None
    le = (body[1 + lc] or 256) if len(body) == 2 + lc else None
    return _Apdu(cla, ins, p1, p2, body[1:1 + lc], le)


def _parse_extended(cla: int, ins: int, p1: int, p2: int, body: bytes) -> _Apdu | None:
    """ISO 7816-4 extended length: Lc as 00 + 2 bytes, Le as 2 bytes (00 + 2 without data)."""
    if len(body) == 3:
        return _Apdu(cla, ins, p1, p2, b"", int.from_bytes(body[1:], "big") or 65536)
    lc, rest = int.from_bytes(body[1:3], "big"), body[3:]
    if lc == 0 or len(rest) not in (lc, lc + 2):
        return None
    le = (int.from_bytes(rest[lc:], "big") or 65536) if len(rest) == lc + 2 else None
    return _Apdu(cla, ins, p1, p2, rest[:lc], le)


def _objects(data: bytes) -> dict[int, bytes] | None:
    """The SM data objects (87, 97, 8E) of a protected command; None when malformed."""
    found: dict[int, bytes] = {}
    i = 0
    while i < len(data):
        if i + 2 > len(data):
            return None
        tag, length, i = data[i], data[i + 1], i + 2
        if length in (0x81, 0x82):
            count = length & 0x7F
            length, i = int.from_bytes(data[i:i + count], "big"), i + count
        if i + length > len(data):
            return None
        found[tag] = data[i:i + length]
        i += length
    return found


def _length(size: int) -> bytes:
    if size < 0x80:
        return bytes([size])
    return bytes([0x81, size]) if size < 0x100 else b"\x82" + size.to_bytes(2, "big")


def _do(tag: int, value: bytes) -> bytes:
    return bytes([tag]) + _length(len(value)) + value


def atr_info(max_command: int, max_response: int) -> bytes:
    """EF.ATR/INFO with ISO 7816-4 "extended length information" (7F66): the largest
    command and response APDU the card takes, each an INTEGER (02)."""
    limits = b"".join(_do(0x02, n.to_bytes((n.bit_length() + 7) // 8, "big"))
                      for n in (max_command, max_response))
    return b"\x7F\x66" + _length(len(limits)) + limits


class VirtualEmrtd:
    """One card: its files, its BAC key and a session state.

    `remove_after_reads`: the card leaves the field after that many READ BINARY commands
    (the "removal mid-read" fault). `strict_length`: reads past a file's end get 6700.
    `random` gives RND.IC and K.IC (fixed in the replay test). `max_response`: the card
    takes extended-length APDUs with answers up to that many bytes and says so in
    EF.ATR/INFO; None: short length only, and no EF.ATR/INFO.
    """

    def __init__(self, files: dict[int, bytes], mrz_information: str, *,
                 max_read: int = 0xE7, random: Callable[[int], bytes] = os.urandom,
                 remove_after_reads: int | None = None, strict_length: bool = False,
                 max_response: int | None = None) -> None:
        self.files = dict(files)
        self.atr_info = atr_info(max_response, max_response) if max_response else None
        seed = hashlib.sha1(mrz_information.encode("ascii")).digest()[:16]
        self._k_enc, self._k_mac = cc.key_from_seed(seed, 1), cc.key_from_seed(seed, 2)
        self.max_read = max_read
        self.random = random
        self.remove_after_reads = remove_after_reads
        #: answer 6700 to reads past the end of a file (as some cards do) instead of 6282
        self.strict_length = strict_length
        self.reads = 0
        self.atr = ATR
        self.power_on()

    def power_on(self) -> None:
        self._selected_app = False
        self._challenge: bytes | None = None
        self._session: tuple[bytes, bytes] | None = None
        self._ssc = 0
        self._file: bytes | None = None

    # --- dispatch -----------------------------------------------------------------

    def process(self, raw: bytes) -> bytes:
        apdu = _parse(raw)
        if apdu is None:
            return WRONG_LENGTH
        if apdu.cla & 0x0C == 0x0C:
            return self._secure(apdu)
        if apdu.cla != 0x00:
            return CLA_NOT_SUPPORTED
        if self._session is not None:
            self._session = None  # a plain command ends secure messaging
            if apdu.ins != 0xA4:
                return SM_MISSING
        data, sw = self._execute(apdu, plain=True)
        return data + sw

    def _execute(self, apdu: _Apdu, *, plain: bool) -> tuple[bytes, bytes]:
        if apdu.ins == 0xA4 and apdu.p1 == 0x04:
            if apdu.data != AID:
                return b"", FILE_NOT_FOUND
            self.power_on()
            self._selected_app = True
            return b"", OK
        if not self._selected_app:
            if plain and apdu.ins == 0xB0 and apdu.p1 == 0x80 | SFI_ATR_INFO:
                return self._read_atr_info(apdu)
            return b"", SECURITY_NOT_SATISFIED
        if plain and apdu.ins == 0x84:
            if apdu.le != 8:
                return b"", WRONG_LENGTH
            self._challenge = self.random(8)
            return self._challenge, OK
        if plain and apdu.ins == 0x82:
            return self._mutual_authenticate(apdu.data)
        if plain:
            return b"", SECURITY_NOT_SATISFIED
        if apdu.ins == 0xA4 and apdu.p1 == 0x02:
            fid = int.from_bytes(apdu.data, "big") if len(apdu.data) == 2 else -1
            if fid not in self.files:
                return b"", FILE_NOT_FOUND
            self._file = self.files[fid]
            return b"", OK
        if apdu.ins in (0xB0, 0xB1):
            return self._read_binary(apdu)
        return b"", INS_NOT_SUPPORTED

    def _read_atr_info(self, apdu: _Apdu) -> tuple[bytes, bytes]:
        """EF.ATR/INFO in the master file, free to read before access control."""
        if self.atr_info is None:
            return b"", FILE_NOT_FOUND
        chunk = self.atr_info[apdu.p2:apdu.p2 + (apdu.le or 256)]
        return chunk, (OK if len(chunk) == apdu.le else END_OF_FILE)

    # --- BAC ---------------------------------------------------------------------

    def _mutual_authenticate(self, data: bytes) -> tuple[bytes, bytes]:
        challenge, self._challenge = self._challenge, None
        if challenge is None or len(data) != 40:
            return b"", SECURITY_NOT_SATISFIED
        cryptogram, mac = data[:32], data[32:]
        if not hmac.compare_digest(cc.mac(self._k_mac, cc.padded(cryptogram)), mac):
            return b"", AUTH_FAILED
        plain = cc.decrypt(self._k_enc, cryptogram)
        rnd_ifd, rnd_ic, k_ifd = plain[:8], plain[8:16], plain[16:]
        if rnd_ic != challenge:
            return b"", AUTH_FAILED
        k_ic = self.random(16)
        answer = cc.encrypt(self._k_enc, rnd_ic + rnd_ifd + k_ic)
        seed = bytes(a ^ b for a, b in zip(k_ifd, k_ic))
        self._session = (cc.key_from_seed(seed, 1), cc.key_from_seed(seed, 2))
        self._ssc = int.from_bytes(rnd_ic[4:] + rnd_ifd[4:], "big")
        return answer + cc.mac(self._k_mac, cc.padded(answer)), OK

    # --- secure messaging -----------------------------------------------------------

    def _secure(self, apdu: _Apdu) -> bytes:
        if self._session is None:
            return SM_WRONG
        ks_enc, ks_mac = self._session
        objects = _objects(apdu.data)
        if objects is None or 0x8E not in objects:
            self._session = None
            return SM_MISSING
        self._ssc += 1
        covered = b"".join(_do(tag, objects[tag]) for tag in (0x85, 0x87, 0x97) if tag in objects)
        header = cc.padded(bytes([apdu.cla, apdu.ins, apdu.p1, apdu.p2]))
        expected = cc.mac(ks_mac, cc.padded(self._ssc.to_bytes(8, "big") + header + covered))
        if not hmac.compare_digest(expected, objects[0x8E]):
            self._session = None
            return SM_WRONG
        data = b""
        odd = bool(apdu.ins & 1)  # odd INS: DO85, no padding-indicator byte
        body = objects.get(0x85 if odd else 0x87)
        if body is not None:
            if not odd:
                body = body[1:] if body[:1] == b"\x01" else b"?"
            clear = cc.strip_padding(cc.decrypt(ks_enc, body)) if body and len(body) % 8 == 0 \
                else None
            if clear is None:
                self._session = None
                return SM_WRONG
            data = clear
        le = None
        if 0x97 in objects:  # one byte (00: 256) or two (0000: 65536, extended length)
            le = int.from_bytes(objects[0x97], "big") or (65536 if len(objects[0x97]) == 2
                                                          else 256)
        data_out, sw = self._execute(_Apdu(0x00, apdu.ins, apdu.p1, apdu.p2, data, le),
                                     plain=False)
        self._ssc += 1
        reply = b""
        if data_out:
            cipher = cc.encrypt(ks_enc, cc.padded(data_out))
            reply += _do(0x85, cipher) if odd else _do(0x87, b"\x01" + cipher)
        reply += _do(0x99, sw)
        reply += _do(0x8E, cc.mac(ks_mac, cc.padded(self._ssc.to_bytes(8, "big") + reply)))
        return reply + OK

    def _read_binary(self, apdu: _Apdu) -> tuple[bytes, bytes]:
        if self._file is None:
            return b"", FILE_NOT_FOUND
        if self.remove_after_reads is not None and self.reads >= self.remove_after_reads:
            raise CardLeftField("the card left the field")
        self.reads += 1
        wanted = apdu.le or 256
        if apdu.ins == 0xB1:
            # offset in DO54; the answer is DO53, whose header counts against Le
            if len(apdu.data) < 3 or apdu.data[0] != 0x54 or apdu.data[1] != len(apdu.data) - 2:
                return b"", WRONG_DATA
            offset = int.from_bytes(apdu.data[2:], "big")
        elif apdu.p1 & 0x80:
            return b"", WRONG_P1P2
        else:
            offset = (apdu.p1 << 8) | apdu.p2
        if wanted > self.max_read:
            return b"", bytes([0x6C, min(self.max_read, 0xFF)])
        if offset >= len(self._file):
            return b"", WRONG_P1P2
        if self.strict_length and offset + wanted > len(self._file) and apdu.ins == 0xB0:
            return b"", WRONG_LENGTH
        if apdu.ins == 0xB1:
            room = wanted - 2
            while 1 + len(_length(room)) + room > wanted:  # the 53 object fits in Le
                room -= 1
            chunk = self._file[offset:offset + room]
            return _do(0x53, chunk), (OK if len(chunk) == room else END_OF_FILE)
        chunk = self._file[offset:offset + wanted]
        return chunk, (OK if len(chunk) == wanted else END_OF_FILE)
