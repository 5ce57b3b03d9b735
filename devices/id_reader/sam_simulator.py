"""A resident-ID SAM reader simulator on a pseudo-terminal (os.openpty).

The `sam` backend opens `simulator.path` like any serial port, so the real framing,
status handling and text decoding run against it. Profiles cover the four card layouts;
one-shot faults: removed_mid_read (status 41 and the card gone), corrupted_frame (wrong
checksum), truncated_frame (the answer breaks off), verification_failed (status 33);
`force_status(command, sw3)` makes the next such command answer any status code.
"""
from __future__ import annotations

import os
import select
import threading
import tty
from dataclasses import dataclass, field

from devices.id_reader import sam_protocol as sp
from foundation.identity_validation import resident_id_check_char

SAM_FAULTS = ("removed_mid_read", "corrupted_frame", "truncated_frame", "verification_failed")
SAM_ID = bytes.fromhex("05000000000000000000000000000001")


def _with_check(first17: str) -> str:
    return first17 + resident_id_check_char(first17)


@dataclass(frozen=True)
class SamProfile:
    name: str
    #: (offset, length, text) placed into the 256-byte UTF-16LE block, space padded
    fields: tuple[tuple[int, int, str], ...]
    added_address: str = ""
    wlt: bytes = field(default=bytes(range(256)) * 4, repr=False)

    def text(self) -> bytes:
        block = bytearray(" ".encode("utf-16-le") * 128)
        for offset, length, value in self.fields:
            encoded = value.encode("utf-16-le")[:length]
            block[offset:offset + length] = encoded + " ".encode("utf-16-le") * (
                (length - len(encoded)) // 2)
        return bytes(block)


RESIDENT_NUMBER = _with_check("44030419900101123")
HMT_NUMBER = _with_check("81000019900101123")
FOREIGNER_2023_NUMBER = _with_check("93315619900101123")

SAM_PROFILES = {p.name: p for p in (
    SamProfile("resident", ((0, 30, "张三"), (30, 2, "1"), (32, 4, "01"), (36, 16, "19900101"),
                            (52, 70, "广东省深圳市福田区福中三路1号"), (122, 36, RESIDENT_NUMBER),
                            (158, 30, "深圳市公安局福田分局"), (188, 16, "20200101"),
                            (204, 16, "20400101")),
               added_address="广东省深圳市南山区科技园1栋"),
    SamProfile("resident_long_term", ((0, 30, "李四"), (30, 2, "2"), (32, 4, "03"),
                                      (36, 16, "19500101"), (52, 70, "广东省深圳市罗湖区"),
                                      (122, 36, _with_check("44030319500101222")),
                                      (158, 30, "深圳市公安局罗湖分局"), (188, 16, "20100101"),
                                      (204, 16, "长期"))),
    SamProfile("hmt_permit", ((0, 30, "陈大文"), (30, 2, "1"), (36, 16, "19900101"),
                              (52, 70, "广东省深圳市福田区"), (122, 36, HMT_NUMBER),
                              (158, 30, "深圳市公安局"), (188, 16, "20210101"),
                              (204, 16, "20260101"), (220, 18, "H12345678"), (238, 4, "01"),
                              (248, 2, "J"))),
    SamProfile("foreigner_2017", ((0, 120, "SMITH, JOHN"), (120, 2, "1"),
                                  (122, 30, "USA441990010112"), (152, 6, "USA"),
                                  (158, 30, "史密斯"), (188, 16, "20170101"),
                                  (204, 16, "20270101"), (220, 16, "19900101"), (236, 4, "01"),
                                  (240, 8, "1500"), (248, 2, "I"))),
    SamProfile("foreigner_2023", ((0, 30, "史密斯"), (30, 2, "2"), (32, 4, "00"),
                                  (36, 16, "19900101"), (52, 70, "SMITH, JANE MARY ELIZABETH"),
                                  (122, 36, FOREIGNER_2023_NUMBER), (158, 30, "国家移民管理局"),
                                  (188, 16, "20230101"), (204, 16, "20330101"),
                                  (220, 22, "ANNE"), (242, 6, "GBR"), (248, 2, "Y"),
                                  (250, 6, "old"))),
)}


class SamSimulator:
    """Answers SAM frames on the master side of a pty; `path` is the port to open."""

    def __init__(self, profile: str | None = "resident") -> None:
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)
        self.path = os.ttyname(self._slave)
        self._lock = threading.Lock()
        self._profile = SAM_PROFILES[profile] if profile else None
        self._selected = False
        self._faults: list[str] = []
        self._forced: dict[tuple[int, int], int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="sam-simulator", daemon=True)

    def __enter__(self) -> "SamSimulator":
        self.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)
        for fd in (self._master, self._slave):
            try:
                os.close(fd)
            except OSError:
                pass

    # --- scenario ------------------------------------------------------------------

    def insert_card(self, profile: str = "resident") -> None:
        if profile not in SAM_PROFILES:
            raise ValueError(f"unknown SAM profile {profile!r}; known: {', '.join(SAM_PROFILES)}")
        with self._lock:
            self._profile, self._selected = SAM_PROFILES[profile], False

    def remove_card(self) -> None:
        with self._lock:
            self._profile, self._selected = None, False

    def fault(self, name: str) -> None:
        if name not in SAM_FAULTS:
            raise ValueError(f"unknown SAM fault {name!r}; known: {', '.join(SAM_FAULTS)}")
        with self._lock:
            self._faults.append(name)

    def force_status(self, command: sp.SamCommand, sw3: int) -> None:
        with self._lock:
            self._forced[(command.cmd, command.para)] = sw3

    def _take(self, name: str) -> bool:
        if name in self._faults:
            self._faults.remove(name)
            return True
        return False

    # --- serving ---------------------------------------------------------------------

    def _serve(self) -> None:
        buffer = b""
        while not self._stop.is_set():
            ready, _, _ = select.select([self._master], [], [], 0.05)
            if not ready:
                continue
            try:
                buffer += os.read(self._master, 4096)
            except OSError:
                return
            while True:
                start = buffer.find(sp.PREAMBLE)
                if start < 0 or len(buffer) < start + 7:
                    break
                length = int.from_bytes(buffer[start + 5:start + 7], "big")
                end = start + 7 + length
                if len(buffer) < end:
                    break
                frame, buffer = buffer[start:end], buffer[end:]
                os.write(self._master, self._answer(frame))

    def _answer(self, frame: bytes) -> bytes:
        try:
            cmd, para, _data = sp.parse_command(frame)
        except sp.SamFrameError:
            return sp.encode_response(0x10)
        with self._lock:
            forced = self._forced.pop((cmd, para), None)
            if forced is not None:
                return sp.encode_response(forced)
            response = self._respond(cmd, para)
            if self._take("corrupted_frame"):
                response = response[:-1] + bytes([response[-1] ^ 0xFF])
            elif self._take("truncated_frame"):
                response = response[:len(response) // 2]
            return response

    def _respond(self, cmd: int, para: int) -> bytes:
        key = (cmd, para)
        if key in ((sp.RESET.cmd, sp.RESET.para), (sp.STATUS.cmd, sp.STATUS.para),
                   (sp.SET_MAX_RF_BYTES.cmd, sp.SET_MAX_RF_BYTES.para)):
            return sp.encode_response(sp.SW_OK)
        if key == (sp.READ_SAM_ID.cmd, sp.READ_SAM_ID.para):
            return sp.encode_response(sp.SW_OK, SAM_ID)
        if key == (sp.FIND_CARD.cmd, sp.FIND_CARD.para):
            if self._profile is None:
                return sp.encode_response(0x80)
            return sp.encode_response(sp.SW_CARD_FOUND, bytes(4))
        if key == (sp.SELECT_CARD.cmd, sp.SELECT_CARD.para):
            if self._profile is None:
                return sp.encode_response(0x81)
            self._selected = True
            return sp.encode_response(sp.SW_OK, bytes(8))
        if cmd == 0x30 and para in (sp.READ_TEXT_PHOTO.para, sp.READ_ADDED_ADDRESS.para,
                                    sp.READ_TEXT_PHOTO_FINGERPRINT.para):
            return self._read(para)
        return sp.encode_response(0x21)

    def _read(self, para: int) -> bytes:
        profile = self._profile
        if profile is None or not self._selected:
            return sp.encode_response(0x41)
        if self._take("removed_mid_read"):
            self._profile, self._selected = None, False
            return sp.encode_response(0x41)
        if self._take("verification_failed"):
            return sp.encode_response(0x33)
        if para == sp.READ_ADDED_ADDRESS.para:
            if not profile.added_address:
                return sp.encode_response(sp.SW_NO_CONTENT)
            return sp.encode_response(sp.SW_OK, profile.added_address.encode("utf-16-le")
                                      .ljust(70, b"\x00")[:70])
        text, wlt = profile.text(), profile.wlt
        if para == sp.READ_TEXT_PHOTO_FINGERPRINT.para:
            fingerprints = bytes(1024)
            return sp.encode_response(sp.SW_OK, len(text).to_bytes(2, "big")
                                      + len(wlt).to_bytes(2, "big")
                                      + len(fingerprints).to_bytes(2, "big")
                                      + text + wlt + fingerprints)
        return sp.encode_response(sp.SW_OK, len(text).to_bytes(2, "big")
                                  + len(wlt).to_bytes(2, "big") + text + wlt)
