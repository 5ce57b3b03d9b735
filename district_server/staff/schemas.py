"""Bodies of the hall-staff API (/v1/staff/...): server-side only, not part of the kiosk wire."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from wire import v1


class StaffRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StaffCase(v1.CaseSummary):
    channel: Literal["kiosk", "window", "phone"] = Field(description="how it came in")
    overdue: bool = Field(description="promised date passed and the case is not finished")
    materials_overdue: bool = Field(description="容缺 materials still missing after their "
                                                "due date")


class StaffCases(v1.Response):
    cases: list[StaffCase]


class StaffCaseDetail(v1.Response):
    case: StaffCase
    application: dict[str, Any] = Field(description="the decrypted application (personal data: "
                                                    "every read is audited)")
    history: list[dict[str, Any]] = Field(
        default_factory=list, description="materials supplied and follow-up secrets "
                                          "re-issued since the case opened, oldest first")


class FollowupSecretIssued(v1.Response):
    case_number: str
    followup_secret: str = Field(description="print it as the QR of a new receipt")
    followup_path: str = Field(description="the follow-up page, relative to the public URL")


class SupplementRequest(StaffRequest):
    """补正: materials the applicant must still supply, by a date (texted to the applicant)."""
    materials: list[v1.Code] = Field(min_length=1, max_length=20)
    due_date: date
    note: str = Field(default="", max_length=200)


class CaseIntake(StaffRequest):
    """An application staff take at the hall's window or on the phone (a kiosk's comes by
    the queue)."""
    service_code: v1.Code
    id_number: v1.IdNumber
    name: v1.ShortText
    channel: Literal["window", "phone"]


class CaseStateChange(StaffRequest):
    state: Literal["accepted", "in_review", "special_procedure", "completed", "rejected",
                   "withdrawn"]
    note: str = Field(default="", max_length=500)


class ParcelAssign(StaffRequest):
    case_number: str = Field(max_length=80)
    kiosk_id: v1.KioskId
    locker: v1.Code = "lockers"
    size: v1.CompartmentSize = "M"
    items: list[v1.ShortText] = Field(min_length=1, max_length=10)
    keep_days: int = Field(default=7, ge=1, le=30)


class ParcelAssigned(v1.Response):
    parcel_id: str
    pickup_code: str = Field(description="shown once, for the text message to the holder")
    expires_at: datetime


class ParcelView(v1.Response):
    """Where a parcel is: assigned, stored (compartment and time), collected, recalled,
    expired or needs_check."""
    parcel_id: str
    case_number: str
    kiosk_id: str
    state: str
    size: str | None = None
    compartment: int | None = None
    stored_at: datetime | None = None
    collected_at: datetime | None = None
    expires_at: datetime


class CallNext(StaffRequest):
    window: str = Field(min_length=1, max_length=10)


class TicketCalled(v1.Response):
    ticket_no: str
    priority: str
    window: str
    waiting: int


class KioskView(v1.Response):
    kiosk_id: str
    hall_code: str
    cohort: str
    enrolled_at: datetime
    desired_version: int
    reported: dict[str, Any]
    reported_at: datetime | None
    last_contact_at: datetime | None = None
    alarms: list[str]


class AlertView(v1.Response):
    kiosk_id: str
    hall_code: str
    kind: str
    detail: str
    raised_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None


class Alerts(v1.Response):
    alerts: list[AlertView]


class Fleet(v1.Response):
    kiosks: list[KioskView]


class StaffCallView(v1.Response):
    call_id: str
    kiosk_id: str
    reason: str
    journey: str | None
    created_at: datetime
    identified: bool


class StaffCalls(v1.Response):
    calls: list[StaffCallView]


class BadReviewView(v1.Response):
    id: int
    kiosk_id: str
    case_number: str | None
    service_code: str | None
    level: int
    comment: str
    opened_at: datetime
    deadline: date
    overdue: bool


class BadReviews(v1.Response):
    reviews: list[BadReviewView]


class BadReviewClose(StaffRequest):
    outcome: Literal["rectified", "explained", "unfounded"]
    note: str = Field(min_length=1, max_length=2000, description="the answer to the citizen")


class StaffLogin(StaffRequest):
    staff_id: str = Field(min_length=1, max_length=40)
    password: str = Field(min_length=1, max_length=200)


class StaffSessionStarted(v1.Response):
    token: str = Field(description="Authorization: Bearer <token> until expires_at")
    expires_at: datetime


class StaffAccountView(v1.Response):
    staff_id: str
    name: str
    role: str
    hall_code: str
    revoked: bool


class StaffAccounts(v1.Response):
    accounts: list[StaffAccountView]
