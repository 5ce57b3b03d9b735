"""The virtual eMRTD: ISO 7816-4 commands, BAC mutual authentication and secure messaging."""
from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from typing import Callable

from devices.id_reader.virtual_card import card_crypto as cc

AID = bytes.fromhex("A0000002471001")
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
    lc = body[0]
    if lc == 0 or len(body) not in (1 + lc, 2 + lc):
        return None
    le = (body[1 + lc] or 256) if len(body) == 2 + lc else None
    return _Apdu(cla, ins, p1, p2, body[1:1 + lc], le)


def _objects(data: bytes) -> dict[int, bytes] | None:
    """The SM data objects (87, 97, 8E) of a protected command; None when malformed."""
    found: dict[int, bytes] = {}
    i = 0
    while i < len(data):
        if i + 2 > len(data):
            return None
        tag, length, i = data[i], data[i + 1], i + 2
        if length == 0x81:
            length, i = data[i], i + 1
        if i + length > len(data):
            return None
        found[tag] = data[i:i + length]
        i += length
    return found


def _do(tag: int, value: bytes) -> bytes:
    length = bytes([len(value)]) if len(value) < 0x80 else bytes([0x81, len(value)])
    return bytes([tag]) + length + value


class VirtualEmrtd:
    """One card: its files, its BAC key and a session state.

    `remove_after_reads`: the card leaves the field after that many READ BINARY commands
    (the "removal mid-read" fault). `strict_length`: reads past a file's end get 6700.
    `random` gives RND.IC and K.IC (fixed in the replay test).
    """

    def __init__(self, files: dict[int, bytes], mrz_information: str, *,
                 max_read: int = 0xE7, random: Callable[[int], bytes] = os.urandom,
                 remove_after_reads: int | None = None, strict_length: bool = False) -> None:
        self.files = dict(files)
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
        if 0x97 in objects:
            le = objects[0x97][0] if objects[0x97] else 0
            le = le or 256
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
            return b"", bytes([0x6C, self.max_read])
        if offset >= len(self._file):
            return b"", WRONG_P1P2
        if self.strict_length and offset + wanted > len(self._file) and apdu.ins == 0xB0:
            return b"", WRONG_LENGTH
        if apdu.ins == 0xB1:
            room = wanted - 2 if wanted - 2 < 0x80 else wanted - 3
            chunk = self._file[offset:offset + room]
            return _do(0x53, chunk), (OK if len(chunk) == room else END_OF_FILE)
        chunk = self._file[offset:offset + wanted]
        return chunk, (OK if len(chunk) == wanted else END_OF_FILE)
