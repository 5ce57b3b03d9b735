"""Printer parsers of outside bytes: DLE EOT status replies and our ESC/POS parser."""
from __future__ import annotations

from devices.printer.escpos_parser import EscPosParseError, parse
from devices.printer.status import StatusReplyError, decode_status_replies

TARGETS = {
    "printer_status": (decode_status_replies, (StatusReplyError,)),
    "escpos_parser": (parse, (EscPosParseError,)),
}
