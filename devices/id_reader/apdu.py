"""ISO 7816-4 command and response APDUs, short and extended length."""
from __future__ import annotations

from dataclasses import dataclass

from devices.id_reader import tlv
from devices.id_reader.errors import ParseError

SW_OK = 0x9000


@dataclass(frozen=True)
class CommandApdu:
    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    #: expected response length; None = no Le field, 256 = "00"; above 256 the APDU
    #: takes the extended-length form (65536 = "0000")
    le: int | None = None

    @property
    def extended(self) -> bool:
        return len(self.data) > 255 or (self.le or 0) > 256

    def to_bytes(self) -> bytes:
        out = bytes([self.cla, self.ins, self.p1, self.p2])
        if not self.extended:
            if self.data:
                out += bytes([len(self.data)]) + self.data
            if self.le is not None:
                out += bytes([self.le & 0xFF])
            return out
        if len(self.data) > 0xFFFF or (self.le or 0) > 0x10000:
            raise ValueError("an APDU carries at most 65535 bytes and expects at most 65536")
        if self.data:
            out += b"\x00" + len(self.data).to_bytes(2, "big") + self.data
        if self.le is not None:
            out += (b"" if self.data else b"\x00") + (self.le & 0xFFFF).to_bytes(2, "big")
        return out


@dataclass(frozen=True)
class ResponseApdu:
    data: bytes
    sw: int

    @classmethod
    def parse(cls, raw: bytes) -> "ResponseApdu":
        if len(raw) < 2:
            raise ParseError(f"a response APDU needs at least the 2 status bytes, got {len(raw)}")
        return cls(bytes(raw[:-2]), int.from_bytes(raw[-2:], "big"))

    @property
    def ok(self) -> bool:
        return self.sw == SW_OK


def select_application(aid: bytes) -> CommandApdu:
    return CommandApdu(0x00, 0xA4, 0x04, 0x0C, aid)


def select_file(fid: int) -> CommandApdu:
    return CommandApdu(0x00, 0xA4, 0x02, 0x0C, fid.to_bytes(2, "big"))


#: INS B0 carries the offset in P1-P2 with 15 bits; beyond that ISO 7816-4's odd INS B1
#: carries it in data object 54 and answers in data object 53
MAX_SHORT_OFFSET = 0x7FFF
#: the 53 header of an odd-INS answer takes at most this many bytes of the Le budget
ODD_HEADER_MAX = 4


def read_binary(offset: int, length: int) -> CommandApdu:
    if offset < 0:
        raise ValueError("READ BINARY offsets are not negative")
    if offset <= MAX_SHORT_OFFSET:
        return CommandApdu(0x00, 0xB0, offset >> 8, offset & 0xFF, le=length)
    where = offset.to_bytes((offset.bit_length() + 7) // 8, "big")
    return CommandApdu(0x00, 0xB1, 0x00, 0x00, tlv.encode(0x54, where), le=length)


#: READ BINARY of EF.ATR/INFO by its short EF identifier 01, in the master file
READ_ATR_INFO = CommandApdu(0x00, 0xB0, 0x81, 0x00, le=256)

GET_CHALLENGE = CommandApdu(0x00, 0x84, 0x00, 0x00, le=8)


def mutual_authenticate(data: bytes) -> CommandApdu:
    return CommandApdu(0x00, 0x82, 0x00, 0x00, data, le=40)
