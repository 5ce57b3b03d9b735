"""Real printer status from DLE EOT 1..4, validated, with timeouts.

python-escpos 3.1 reads status too, but `paper_status()` reports "paper OK" on an empty
read and nothing checks the fixed bits, so a mute or garbled printer looks healthy.
Every status byte has the fixed pattern 0xx1xx10b (bits 1 and 4 set, 0 and 7 clear);
anything else is rejected.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Callable

from devices.model import DeviceOffline, InvalidData
from devices.printer.escpos_commands import status_request

FIXED_MASK, FIXED_VALUE = 0b1001_0011, 0b0001_0010


class Paper(StrEnum):
    OK = "ok"
    NEAR_END = "nearEnd"
    OUT = "out"


class StatusReplyError(InvalidData):
    """A status byte that does not have the fixed bit pattern of a DLE EOT reply."""


@dataclass(frozen=True)
class PrinterState:
    online: bool = True
    waiting_online_recovery: bool = False
    feed_button_pressed: bool = False
    cover_open: bool = False
    feeding_by_button: bool = False
    stopped_by_paper_end: bool = False
    error: bool = False
    mechanical_error: bool = False
    autocutter_error: bool = False
    unrecoverable_error: bool = False
    auto_recoverable_error: bool = False
    paper: Paper = Paper.OK

    @property
    def blocking_reason(self) -> str:
        """Why nothing can be printed now, or "" when the printer can print."""
        if self.cover_open:
            return "cover open"
        if self.paper is Paper.OUT or self.stopped_by_paper_end:
            return "paper out"
        if self.unrecoverable_error:
            return "unrecoverable printer error"
        if self.autocutter_error:
            return "autocutter error"
        if self.mechanical_error:
            return "mechanical error"
        if self.auto_recoverable_error:
            return "printer error (recovers automatically)"
        if self.error:
            return "printer error"
        if not self.online:
            return "printer offline"
        return ""

    def as_dict(self) -> dict[str, object]:
        data = {k: v for k, v in self.__dict__.items()}
        data["paper"] = str(self.paper)
        data["blocking_reason"] = self.blocking_reason
        return data


def _bit(value: int, bit: int) -> bool:
    return bool(value >> bit & 1)


def validate_status_byte(n: int, value: int) -> int:
    if not 0 <= value <= 0xFF or value & FIXED_MASK != FIXED_VALUE:
        raise StatusReplyError(f"DLE EOT {n} reply 0x{value:02X} is not a status byte "
                               "(fixed bits 0xx1xx10 missing)", code="badStatusReply")
    return value


def decode_status(printer: int, offline: int, error: int, paper: int) -> PrinterState:
    """Decode the four DLE EOT replies (n = 1, 2, 3, 4) into one state."""
    for n, value in ((1, printer), (2, offline), (3, error), (4, paper)):
        validate_status_byte(n, value)
    if _bit(paper, 5) or _bit(paper, 6):
        level = Paper.OUT           # bits 5-6: roll paper end sensor
    elif _bit(paper, 2) or _bit(paper, 3):
        level = Paper.NEAR_END      # bits 2-3: roll paper near-end sensor
    else:
        level = Paper.OK
    return PrinterState(
        online=not _bit(printer, 3),
        waiting_online_recovery=_bit(printer, 5),
        feed_button_pressed=_bit(printer, 6),
        cover_open=_bit(offline, 2),
        feeding_by_button=_bit(offline, 3),
        stopped_by_paper_end=_bit(offline, 5),
        error=_bit(offline, 6),
        mechanical_error=_bit(error, 2),
        autocutter_error=_bit(error, 3),
        unrecoverable_error=_bit(error, 5),
        auto_recoverable_error=_bit(error, 6),
        paper=level,
    )


def decode_status_replies(replies: bytes) -> PrinterState:
    """Decode the concatenated replies to DLE EOT 1, 2, 3, 4 (the fuzzed entry point)."""
    if len(replies) != 4:
        raise StatusReplyError(f"expected 4 status bytes, got {len(replies)}",
                               code="badStatusReply")
    return decode_status(*replies)


def read_status(exchange: Callable[[bytes, float], bytes], timeout: float) -> PrinterState:
    """Query DLE EOT 1..4 through `exchange(request, timeout) -> reply`.

    An empty reply is a printer that does not answer (`DeviceOffline`), never "paper OK"."""
    replies = bytearray()
    for n in (1, 2, 3, 4):
        reply = exchange(status_request(n), timeout)
        if not reply:
            raise DeviceOffline(f"printer did not answer DLE EOT {n} within {timeout:g} s",
                                code="statusTimeout")
        if len(reply) != 1:
            raise StatusReplyError(f"DLE EOT {n} answered {len(reply)} bytes instead of 1",
                                   code="badStatusReply")
        replies += reply
    return decode_status_replies(bytes(replies))
