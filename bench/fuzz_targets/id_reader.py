"""Parsers of bytes from identity documents and their readers (eMRTD chip, SAM reader).

Seeds are valid inputs built from the virtual card and SAM simulator profiles (no
shared test data needed); bench/fuzz.py mutates them, tests/devices/id_reader runs a short pass.
"""
from __future__ import annotations

import io
from functools import lru_cache

from devices.id_reader import sam_protocol, tlv
from devices.id_reader.apdu import ResponseApdu
from devices.id_reader.bac import SessionKeys
from devices.id_reader.errors import ParseError, VerificationFailed
from devices.id_reader.face_image import parse_iso19794_5, parse_iso39794_5
from devices.id_reader.lds import parse_dg1, parse_dg2, parse_dg11, parse_dg12, parse_ef_com
from devices.id_reader.sam_text import parse_added_address, parse_text
from devices.id_reader.secure_messaging import SecureMessaging
from devices.id_reader.sod import parse_sod
from devices.model import DeviceOffline

#: the Doc 9303 Appendix D session, so mutated protected responses reach the MAC check
_KEYS = SessionKeys(bytes.fromhex("979EC13B1CBFE9DCD01AB0FED307EAE5"),
                    bytes.fromhex("F1CB1F1FB5ADF208806B89DC579DC1F8"), 0x887022120C06C229)


def parse_protected_response(data: bytes) -> ResponseApdu:
    return SecureMessaging(_KEYS).unprotect(ResponseApdu.parse(data))


def read_sam_frame(data: bytes) -> bytes:
    return sam_protocol.read_frame(io.BytesIO(data).read)


def parse_sam_content(data: bytes) -> object:
    return sam_protocol.parse_card_content(data, fingerprints=len(data) > 1300)


TARGETS = {
    "tlv": (tlv.parse_all, (ParseError,)),
    "ef_com": (parse_ef_com, (ParseError,)),
    "dg1": (parse_dg1, (ParseError,)),
    "dg2": (parse_dg2, (ParseError,)),
    "dg11": (parse_dg11, (ParseError,)),
    "dg12": (parse_dg12, (ParseError,)),
    "sod": (parse_sod, (ParseError,)),
    "iso19794_5": (parse_iso19794_5, (ParseError,)),
    "iso39794_5": (parse_iso39794_5, (ParseError,)),
    "sm_response": (parse_protected_response, (ParseError, VerificationFailed)),
    "sam_response": (sam_protocol.parse_response, (sam_protocol.SamFrameError,)),
    "sam_command": (sam_protocol.parse_command, (sam_protocol.SamFrameError,)),
    "sam_frame_stream": (read_sam_frame, (sam_protocol.SamFrameError, DeviceOffline)),
    "sam_card_content": (parse_sam_content, (ParseError,)),
    "sam_text": (parse_text, (ParseError,)),
    "sam_added_address": (parse_added_address, (ParseError,)),
}


@lru_cache(maxsize=1)
def seeds() -> dict[str, list[bytes]]:
    from devices.id_reader.sam_simulator import SAM_PROFILES
    from devices.id_reader.virtual_card.profiles import (PROFILES, TestPki, build_files,
                                                         iso19794_record, iso39794_record,
                                                         synthetic_jpeg)
    pki = TestPki.generate("ecdsa")
    small = [p.__class__(**{**p.__dict__, "photo_bytes": 1500}) for p in PROFILES.values()]
    files = [build_files(p, pki) for p in small]
    jpeg = synthetic_jpeg(1500)
    texts = [p.text() for p in SAM_PROFILES.values()]
    contents = [len(t).to_bytes(2, "big") + (1024).to_bytes(2, "big") + t + bytes(1024)
                for t in texts]
    responses = [sam_protocol.encode_response(0x90, c) for c in contents] + \
        [sam_protocol.encode_response(0x9F, bytes(4))]
    return {
        "tlv": [f[0x0101] for f in files] + [f[0x011E] for f in files],
        "ef_com": [f[0x011E] for f in files],
        "dg1": [f[0x0101] for f in files],
        "dg2": [f[0x0102] for f in files],
        "dg11": [f[0x010B] for f in files if 0x010B in f],
        "dg12": [f[0x010C] for f in files if 0x010C in f],
        "sod": [f[0x011D] for f in files],
        "iso19794_5": [iso19794_record(jpeg)],
        "iso39794_5": [iso39794_record(jpeg)],
        "sm_response": [bytes.fromhex("8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000")],
        "sam_response": responses,
        "sam_command": [sam_protocol.encode_command(c) for c in sam_protocol.COMMANDS],
        "sam_frame_stream": responses,
        "sam_card_content": contents,
        "sam_text": texts,
        "sam_added_address": ["广东省深圳市南山区".encode("utf-16-le").ljust(70, b"\x00")],
    }


class _Seeds(dict):
    """`SEEDS` as bench/fuzz.py reads it; built on first use (it signs test documents)."""

    def get(self, key, default=None):
        return seeds().get(key, default)

    def __getitem__(self, key):
        return seeds()[key]


SEEDS = _Seeds()
