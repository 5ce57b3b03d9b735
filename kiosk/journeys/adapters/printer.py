"""The printer port: the journeys' documents as the printer kind's templates."""
from __future__ import annotations

import io
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from kiosk.journeys.adapters.futures import command_value, not_ready
from kiosk.journeys.ports import CommitmentLetterToPrint, DocumentToPrint, ReceiptToPrint, \
    ReferralToPrint, TicketToPrint

if TYPE_CHECKING:
    from devices.registry import DeviceRegistry


#: the staff path's reasons (IdentifyJourney.call_staff) in the referral slip's words
REFERRAL_REASONS = {"help": "市民请求人工帮助", "device_fault": "设备故障，需人工核验身份",
                    "identity_failed": "人脸比对未通过，需人工核验身份"}


class PrinterPort:
    """The journeys' documents as the printer kind's templates."""

    def __init__(self, registry: "DeviceRegistry", hall: str) -> None:
        self._registry = registry
        self._hall = hall

    def _template(self, document: DocumentToPrint) -> Any:
        from devices.printer import documents as docs
        if isinstance(document, ReceiptToPrint):
            return docs.SubmissionReceipt(
                hall=self._hall, case_number=document.case_number, service=document.item,
                submitted_at=document.submitted_at, promised_date=document.promised_date,
                materials_received=list(document.materials_received),
                materials_deferred=list(document.materials_deferred),
                supply_deadline=document.supply_deadline, follow_url=document.follow_url,
                language=document.language)
        if isinstance(document, CommitmentLetterToPrint):
            from PIL import Image
            return docs.CommitmentLetter(
                case_number=document.case_number, service=document.item,
                text_version=document.text_version, paragraphs=[document.text],
                materials_deferred=list(document.materials_deferred),
                deadline=document.deadline, signer=document.signer,
                signed_at=document.signed_at, language=document.language,
                signature=Image.open(io.BytesIO(document.signature)).convert("L"))
        if isinstance(document, ReferralToPrint):
            return docs.ReferralSlip(
                hall=self._hall, reason=REFERRAL_REASONS.get(document.reason, document.reason),
                kiosk_id=document.kiosk_id, issued_at=document.at)
        if isinstance(document, TicketToPrint):
            return docs.QueueTicket(hall=self._hall, ticket_no=document.ticket_no,
                                    window_group=document.category, waiting=document.waiting,
                                    issued_at=document.issued_at)
        from devices.model import Unsupported
        raise Unsupported(f"no printed template for {type(document).__name__}")

    def print_document(self, document: DocumentToPrint) -> Future:
        device = self._registry.first_usable("receipt_printer")
        if device is None:
            return not_ready("receipt printer")
        try:
            template = self._template(document)
        except Exception as error:  # data that makes no document fails this print only
            failed: Future = Future()
            failed.set_exception(error)
            return failed
        return command_value(device.print_document(template))
