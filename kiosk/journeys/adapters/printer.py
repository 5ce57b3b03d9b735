"""The printer port: the journeys' documents as the printer kind's templates."""
from __future__ import annotations

import io
from concurrent.futures import Future
from datetime import datetime
from typing import TYPE_CHECKING, Any, Mapping

from kiosk.journeys.adapters.futures import command_value, not_ready

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

    def _document(self, name: str, data: Mapping[str, Any]) -> Any:
        from devices.printer import documents as docs
        if name == "receipt":
            return docs.SubmissionReceipt(
                hall=self._hall, case_number=data["case_number"], service=data["item"],
                submitted_at=datetime.fromisoformat(data["submitted_at"]),
                promised_date=datetime.fromisoformat(data["promised_date"]).date(),
                materials_received=data.get("materials_received", ()),
                materials_deferred=data.get("materials_deferred", ()),
                supply_deadline=(datetime.fromisoformat(data["due_date"]).date()
                                 if data.get("due_date") else None),
                follow_url=data.get("url", ""))
        if name == "commitment_letter":
            from PIL import Image
            return docs.CommitmentLetter(
                case_number=data["case_number"], service=data["item"],
                text_version=data["text_version"], paragraphs=[data["text"]],
                materials_deferred=data["materials_deferred"],
                deadline=datetime.fromisoformat(data["due_date"]).date(),
                signer=data["applicant"], signed_at=datetime.fromisoformat(data["submitted_at"]),
                signature=Image.open(io.BytesIO(data["signature"])).convert("L"))
        if name == "referral":
            return docs.ReferralSlip(
                hall=self._hall, reason=REFERRAL_REASONS.get(data["reason"], data["reason"]),
                kiosk_id=data["kiosk_id"], issued_at=datetime.fromisoformat(data["at"]))
        if name == "ticket":
            return docs.QueueTicket(hall=self._hall, ticket_no=data["ticket_no"],
                                    window_group=data["category"], waiting=data["waiting"],
                                    issued_at=datetime.fromisoformat(data["issued_at"]))
        from devices.model import Unsupported
        raise Unsupported(f"no printed template for {name!r}")

    def print_document(self, document: str, data: Mapping[str, Any]) -> Future:
        device = self._registry.first_usable("receipt_printer")
        if device is None:
            return not_ready("receipt printer")
        try:
            template = self._document(document, data)
        except Exception as error:  # data that makes no document fails this print only
            failed: Future = Future()
            failed.set_exception(error)
            return failed
        return command_value(device.print_document(template))
