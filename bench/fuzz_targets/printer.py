"""Printer parsers of outside bytes: DLE EOT status replies and our ESC/POS parser."""
from __future__ import annotations

from datetime import date, datetime, timezone

from devices.printer.documents import SubmissionReceipt
from devices.printer.escpos_parser import EscPosParseError, parse
from devices.printer.layout import PaperProfile
from devices.printer.status import StatusReplyError, decode_status_replies

TARGETS = {
    "printer_status": (decode_status_replies, (StatusReplyError,)),
    "escpos_parser": (parse, (EscPosParseError,)),
}

_RECEIPT = SubmissionReceipt(
    hall="福田中心", case_number="K1-7", service="户籍证明",
    submitted_at=datetime(2026, 11, 26, tzinfo=timezone.utc), promised_date=date(2026, 12, 10),
    materials_received=["身份证"], materials_deferred=["照片"], follow_url="https://z.gov.cn/c/1")

SEEDS = {
    "printer_status": [bytes.fromhex("12 12 12 12"), bytes.fromhex("1A 32 12 72"),
                       bytes.fromhex("12 12 12 1E"), bytes.fromhex("1A 16 3A 12")],
    "escpos_parser": [_RECEIPT.render(PaperProfile(58)),
                      _RECEIPT.render(PaperProfile(80)),
                      _RECEIPT.render(PaperProfile(80, native_qr=False))],
}
