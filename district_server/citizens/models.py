from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from district_server.db import Base, UtcDateTime
from district_server.submissions.models import SeqType


class Appointment(Base):
    __tablename__ = "appointments"
    __table_args__ = (UniqueConstraint("booking_code", name="uq_appointments_booking_code"),)
    appointment_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: The code in the booking message; checking in with it needs no identification.
    booking_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    holder_hmac: Mapped[str] = mapped_column(String(64), index=True)
    service_code: Mapped[str] = mapped_column(String(64))
    queue_category: Mapped[str] = mapped_column(String(64))
    hall_code: Mapped[str] = mapped_column(String(64))
    slot_start: Mapped[datetime] = mapped_column(UtcDateTime)
    slot_end: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(20), default="booked")
    checked_in_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class QueueTicket(Base):
    """取号: numbers run per hall, category and day; the unique constraint hands them out."""
    __tablename__ = "queue_tickets"
    __table_args__ = (UniqueConstraint("hall_code", "category", "day", "number",
                                       name="uq_queue_ticket_number"),)
    id: Mapped[int] = mapped_column(SeqType, primary_key=True, autoincrement=True)
    hall_code: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(64))
    day: Mapped[date] = mapped_column(Date)
    number: Mapped[int] = mapped_column(Integer)
    ticket_no: Mapped[str] = mapped_column(String(16))
    priority: Mapped[str] = mapped_column(String(20))
    holder_hmac: Mapped[str | None] = mapped_column(String(64), nullable=True)
    kiosk_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(20), default="waiting")


class StaffCall(Base):
    __tablename__ = "staff_calls"
    call_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    hall_code: Mapped[str] = mapped_column(String(64), index=True)
    kiosk_id: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(String(30))
    journey: Mapped[str | None] = mapped_column(String(64), nullable=True)
    holder_hmac: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(20), default="open")


class DemoSeed(Base):
    """Marks a demo citizen whose sample appointments and hall cases exist already."""
    __tablename__ = "demo_seeds"
    holder_hmac: Mapped[str] = mapped_column(String(64), primary_key=True)
    seeded_at: Mapped[datetime] = mapped_column(UtcDateTime)


class KeptCertificate(Base):
    """零材料: a material a citizen scanned at a kiosk, kept with their consent once staff
    accepted it, offered on their next application until they withdraw the consent. Its
    scans are copies of its own (`blobs_json`), deleted with it; the case keeps its originals."""
    __tablename__ = "kept_certificates"
    certificate_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder_hmac: Mapped[str] = mapped_column(String(64), index=True)
    elicence_type: Mapped[str] = mapped_column(String(64))
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    issuer: Mapped[str] = mapped_column(String(200))
    issued_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    case_number: Mapped[str] = mapped_column(String(80))
    material_code: Mapped[str] = mapped_column(String(64))
    blobs_json: Mapped[str] = mapped_column(Text)
    kept_at: Mapped[datetime] = mapped_column(UtcDateTime)
    kept_by: Mapped[str] = mapped_column(String(100))
