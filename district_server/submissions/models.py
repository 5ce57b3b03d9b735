from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from district_server.db import Base, UtcDateTime

#: BIGINT identity on PostgreSQL; SQLite only autoincrements an INTEGER PRIMARY KEY.
SeqType = BigInteger().with_variant(Integer(), "sqlite")


class Submission(Base):
    """One accepted submission. The unique constraints are the idempotency guarantee:
    a duplicate PUT fails the INSERT and is then answered from this row."""
    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("kiosk_id", "kiosk_seq", name="uq_submissions_kiosk_seq"),)
    server_seq: Mapped[int] = mapped_column(SeqType, primary_key=True, autoincrement=True)
    submission_id: Mapped[str] = mapped_column(String(36), unique=True)
    kiosk_id: Mapped[str] = mapped_column(String(40))
    kiosk_seq: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(20))
    digest: Mapped[str] = mapped_column(String(64))
    envelope: Mapped[str] = mapped_column(Text)
    receipt: Mapped[str] = mapped_column(Text, default="")
    signature_b64: Mapped[str] = mapped_column(String(128), default="")
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Event(Base):
    """Decrypted payloads of the event kinds that carry no personal data (tickets printed,
    check-ins, offline staff calls), for statistics."""
    __tablename__ = "events"
    id: Mapped[int] = mapped_column(SeqType, primary_key=True, autoincrement=True)
    submission_id: Mapped[str] = mapped_column(String(36), unique=True)
    kiosk_id: Mapped[str] = mapped_column(String(40), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
