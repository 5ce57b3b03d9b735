from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from district_server.db import Base, UtcDateTime
from district_server.submissions.models import SeqType


class Case(Base):
    """办件: one application, from a kiosk (case number '<kiosk>-<seq>') or a hall."""
    __tablename__ = "cases"
    case_number: Mapped[str] = mapped_column(String(80), primary_key=True)
    submission_id: Mapped[str | None] = mapped_column(String(36), unique=True, nullable=True)
    holder_hmac: Mapped[str] = mapped_column(String(64), index=True)
    service_code: Mapped[str] = mapped_column(String(64))
    catalogue_version: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(30))
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    promised_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    kiosk_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    hall_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    #: how a case staff took in came: "window" or "phone" (NULL: a kiosk's when it names
    #: one, else the window's; cases.service.channel_of)
    channel: Mapped[str | None] = mapped_column(String(10), nullable=True)
    pickup_method: Mapped[str] = mapped_column(String(20))
    outstanding_json: Mapped[str] = mapped_column(Text, default="[]")
    material_due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    #: the day staff asked for more materials (补正): the time limit stands still until the
    #: last one is supplied
    waiting_since: Mapped[date | None] = mapped_column(Date, nullable=True)
    #: the days of the 补正 pauses already over, in both units a time limit may count in
    #: (the district's figures subtract them from the elapsed time)
    paused_working_days: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    paused_calendar_days: Mapped[int] = mapped_column(Integer, default=0,
                                                      server_default=text("0"))
    #: when the case was decided (completed or rejected; an instant item at capture)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    #: sha256 of the follow-up secret from the receipt's QR code (the 掌上办 page).
    followup_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    #: The decrypted application (form data, applicant, materials) for hall staff.
    application_json: Mapped[str] = mapped_column(Text, default="{}")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: When the application and scans were deleted after the retention (retention.py).
    purged_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class Commitment(Base):
    """容缺受理 commitment: materials owed by due_date."""
    __tablename__ = "commitments"
    id: Mapped[int] = mapped_column(SeqType, primary_key=True, autoincrement=True)
    case_number: Mapped[str] = mapped_column(String(80), ForeignKey("cases.case_number"),
                                             index=True)
    materials_json: Mapped[str] = mapped_column(Text)
    text_version: Mapped[str] = mapped_column(String(64))
    signature_blob: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    due_date: Mapped[date] = mapped_column(Date)
    supply_channel: Mapped[str] = mapped_column(String(20))
    fill_state: Mapped[str] = mapped_column(String(20), default="pending")
    supplied_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class Parcel(Base):
    """A case's result for a kiosk's lockers, assigned by compartment size: `assigned` until
    hall staff fill a compartment at the kiosk (`stored`, with the compartment and the time
    its door closed), then `collected` by the holder or `recalled` by staff; a stored parcel
    past `expires_at` is shown `expired` (`state_at`). `needs_check`: a door that jammed or
    whose outcome is unknown. Rows of the previous release name a fixed compartment."""
    __tablename__ = "parcels"
    __table_args__ = (UniqueConstraint("active_slot", name="uq_parcels_active_slot"),)
    parcel_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(40), index=True)
    locker: Mapped[str] = mapped_column(String(64))
    compartment: Mapped[int | None] = mapped_column(Integer, nullable=True)
    size: Mapped[str | None] = mapped_column(String(2), nullable=True)
    case_number: Mapped[str] = mapped_column(String(80), ForeignKey("cases.case_number"))
    holder_hmac: Mapped[str] = mapped_column(String(64))
    code_hash: Mapped[str] = mapped_column(String(200))
    items_json: Mapped[str] = mapped_column(Text, default="[]")
    #: when the door closed on the parcel at the kiosk (stored)
    deposited_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    picked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    state: Mapped[str] = mapped_column(String(20), default="assigned")
    #: "<kiosk>/<locker>/<compartment>" while a compartment holds it, NULL otherwise: the
    #: unique constraint stops two parcels sharing a compartment (no check-then-insert).
    active_slot: Mapped[str | None] = mapped_column(String(160), nullable=True)

    def state_at(self, now: datetime) -> str:
        if self.state == "stored" and now >= self.expires_at:
            return "expired"
        return self.state


class Evaluation(Base):
    """好差评: one rating (the evaluator stays confidential: no holder stored)."""
    __tablename__ = "evaluations"
    id: Mapped[int] = mapped_column(SeqType, primary_key=True, autoincrement=True)
    submission_id: Mapped[str] = mapped_column(String(36), unique=True)
    kiosk_id: Mapped[str] = mapped_column(String(40))
    case_number: Mapped[str | None] = mapped_column(String(80), nullable=True)
    service_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    target: Mapped[str] = mapped_column(String(20))
    level: Mapped[int] = mapped_column(Integer)
    indicator_set_version: Mapped[str] = mapped_column(String(64))
    indicators_json: Mapped[str] = mapped_column(Text)
    comment: Mapped[str] = mapped_column(Text)
    rated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class BadReview(Base):
    """差评 follow-up (国办发〔2019〕51号): a rating of 1 or 2 must be verified, rectified and
    answered by a deadline in working days."""
    __tablename__ = "bad_reviews"
    id: Mapped[int] = mapped_column(SeqType, primary_key=True, autoincrement=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id"), unique=True)
    kiosk_id: Mapped[str] = mapped_column(String(40))
    case_number: Mapped[str | None] = mapped_column(String(80), nullable=True)
    service_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    level: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text)
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime)
    deadline: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(20), default="open")
    outcome: Mapped[str | None] = mapped_column(String(20), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
