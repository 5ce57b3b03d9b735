"""The printed documents as templates: each turns its data into layout blocks.

Dates shown to the citizen are China Standard Time (foundation/dates.py). The receipt and the
commitment letter print in the citizen's language (`language`, "zh" or "en"): labels, dates
and, as handed in, the item and material names; the staff-facing slips stay Chinese.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Sequence

from PIL import Image as PilImage

from devices.printer.escpos_commands import Align
from devices.printer.layout import Block, Feed, Field, PaperProfile, Picture, Qr, Rule, Text, \
    render, render_commands
from foundation.dates import written_date, written_datetime


def cn_date(value: date | datetime) -> str:
    return written_date(value, "zh")


def cn_datetime(value: datetime) -> str:
    return written_datetime(value, "zh")


#: the receipt's and the letter's words; English uses English punctuation (": ", not "：")
WORDS = {
    "zh": {"receipt": "受理回执", "case": "案件编号", "service": "办理事项",
           "submitted": "提交日期", "promised": "承诺办结", "received": "已收材料：",
           "deferred": "容缺后补材料：", "supply_by": "补交期限",
           "scan_owed": "扫码在手机上查看进度、补交材料", "scan": "扫码在手机上查看办理进度",
           "letter": "容缺受理承诺书", "text_version": "文本版本", "owed": "后补材料：",
           "signer": "承诺人", "signature": "签名：", "signed_at": "签署时间"},
    "en": {"receipt": "Receipt", "case": "Case no.", "service": "Service",
           "submitted": "Submitted", "promised": "Done by", "received": "Materials received:",
           "deferred": "Materials to bring later:", "supply_by": "Bring them by",
           "scan_owed": "Scan to follow the case and hand in materials on your phone",
           "scan": "Scan to follow the case on your phone",
           "letter": "Commitment letter", "text_version": "Text version",
           "owed": "Materials to bring later:", "signer": "Signed by",
           "signature": "Signature:", "signed_at": "Signed at"},
}


def _words(language: str) -> dict[str, str]:
    return WORDS["en" if language.startswith("en") else "zh"]


def _field(language: str, label: str, value: str) -> Field:
    return Field(label, value, ": " if language.startswith("en") else "：")


def _title(text: str) -> Text:
    return Text(text, Align.CENTER, bold=True, size=2)


def _numbered(items: Sequence[str]) -> list[Block]:
    return [Text(f"{i}. {item}") for i, item in enumerate(items, 1)]


class Document:
    """A printable template; `kind` names it in logs and status (never its content)."""
    kind = "document"

    def blocks(self) -> list[Block]:
        raise NotImplementedError

    def render(self, profile: PaperProfile) -> bytes:
        return render(self.blocks(), profile)

    def render_commands(self, profile: PaperProfile) -> list[bytes]:
        return render_commands(self.blocks(), profile)


@dataclass(frozen=True)
class SubmissionReceipt(Document):
    kind = "submissionReceipt"
    hall: str
    case_number: str
    service: str
    submitted_at: datetime
    promised_date: date
    materials_received: Sequence[str]
    materials_deferred: Sequence[str] = ()
    supply_deadline: date | None = None
    follow_url: str = ""
    language: str = "zh"

    def blocks(self) -> list[Block]:
        lang, words = self.language, _words(self.language)
        blocks: list[Block] = [
            _title(words["receipt"]), Text(self.hall, Align.CENTER), Rule(),
            _field(lang, words["case"], self.case_number),
            _field(lang, words["service"], self.service),
            _field(lang, words["submitted"], written_date(self.submitted_at, lang)),
            _field(lang, words["promised"], written_date(self.promised_date, lang)),
            Text(words["received"]), *_numbered(self.materials_received)]
        if self.materials_deferred:
            blocks += [Text(words["deferred"]), *_numbered(self.materials_deferred)]
            if self.supply_deadline is not None:
                blocks.append(_field(lang, words["supply_by"],
                                     written_date(self.supply_deadline, lang)))
        blocks.append(Rule())
        if self.follow_url:
            # the words of the receipt screen under its QR: what the page behind it offers
            blocks += [Qr(self.follow_url),
                       Text(words["scan_owed"] if self.materials_deferred else words["scan"],
                            Align.CENTER)]
        return blocks


@dataclass(frozen=True)
class CommitmentLetter(Document):
    """容缺受理承诺书: the signed commitment to supply deferred materials by the deadline."""
    kind = "commitmentLetter"
    case_number: str
    service: str
    text_version: str
    paragraphs: Sequence[str]
    materials_deferred: Sequence[str]
    deadline: date
    signer: str
    signed_at: datetime
    signature: PilImage.Image = field(compare=False)
    language: str = "zh"

    def blocks(self) -> list[Block]:
        lang, words = self.language, _words(self.language)
        return [
            _title(words["letter"]), _field(lang, words["text_version"], self.text_version),
            Rule(), _field(lang, words["case"], self.case_number),
            _field(lang, words["service"], self.service),
            *[Text(paragraph) for paragraph in self.paragraphs],
            Text(words["owed"]), *_numbered(self.materials_deferred),
            _field(lang, words["supply_by"], written_date(self.deadline, lang)),
            _field(lang, words["signer"], self.signer), Text(words["signature"]),
            Picture(self.signature),
            _field(lang, words["signed_at"], written_datetime(self.signed_at, lang))]


PRIORITY_LABELS = {"elderly": "老年人优先", "disabled": "残障人士优先", "appointment": "预约优先"}


@dataclass(frozen=True)
class QueueTicket(Document):
    kind = "queueTicket"
    hall: str
    ticket_no: str
    window_group: str
    waiting: int
    issued_at: datetime
    priority: str = "normal"     # normal | elderly | disabled | appointment

    def blocks(self) -> list[Block]:
        blocks: list[Block] = [
            Text(self.hall, Align.CENTER), Text("排队号", Align.CENTER, bold=True),
            Text(self.ticket_no, Align.CENTER, bold=True, size=3)]
        if self.priority in PRIORITY_LABELS:
            blocks.append(Text(f"【{PRIORITY_LABELS[self.priority]}】", Align.CENTER, bold=True))
        return blocks + [
            Field("业务类型", self.window_group), Field("前方等候", f"{self.waiting}人"),
            Field("取号时间", cn_datetime(self.issued_at)),
            Text("请留意叫号，过号请重新取号。")]


@dataclass(frozen=True)
class PickupSlip(Document):
    kind = "pickupSlip"
    case_number: str
    compartment: int
    items: Sequence[str]
    picked_at: datetime

    def blocks(self) -> list[Block]:
        return [
            _title("取件凭条"), Rule(), Field("案件编号", self.case_number),
            Field("柜门", f"{self.compartment}号"), Text("取件材料："), *_numbered(self.items),
            Field("取件时间", cn_datetime(self.picked_at)), Text("请妥善保管本凭条。")]


@dataclass(frozen=True)
class ReferralSlip(Document):
    """The staff-assisted path: sends the citizen to the help desk with the reason."""
    kind = "referralSlip"
    hall: str
    reason: str
    kiosk_id: str
    issued_at: datetime

    def blocks(self) -> list[Block]:
        return [
            _title("人工服务引导单"), Text(self.hall, Align.CENTER), Rule(),
            Field("事由", self.reason), Field("终端", self.kiosk_id),
            Field("时间", cn_datetime(self.issued_at)),
            Text("请持本单到服务台，工作人员将协助您办理。")]


@dataclass(frozen=True)
class TestPage(Document):
    """The technician's test page: identity, paper, status, both scripts and a QR code."""
    __test__ = False  # not a pytest class
    kind = "testPage"
    model: str
    backend: str
    width_mm: int
    status: str
    printed_at: datetime
    qr_data: str = "https://www.gdzwfw.gov.cn/"

    def blocks(self) -> list[Block]:
        return [
            _title("打印机测试页"), Rule(), Field("型号", self.model or "-"),
            Field("接口", self.backend), Field("纸宽", f"{self.width_mm} mm"),
            Field("状态", self.status), Field("时间", cn_datetime(self.printed_at)),
            Text("中文：政务服务自助终端"), Text("全角标点：，。：；！？（）【】“”￥"),
            Text("ASCII: 0123456789 ABC abc"), Rule(), Qr(self.qr_data), Feed(1)]
