from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from district_server.db import Base, UtcDateTime


class StaffAccount(Base):
    """A member of staff as a person: signs in with staff id and password (scrypt hash), and
    at a kiosk of their hall with staff id and kiosk PIN (its scrypt hash, none until set)."""
    __tablename__ = "staff_accounts"
    staff_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(20))
    hall_code: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(200))
    kiosk_pin_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    #: their staff card (resident ID card) for the kiosk's card and face check: the scrypt
    #: hash of the ID number (wire.v1.staff_card_secret), never the number; none until set
    staff_card_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    #: Failed sign-ins since the last success; reaching the limit locks until locked_until.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class StaffSession(Base):
    """A signed-in session (bearer token or console cookie); only the token's hash is kept."""
    __tablename__ = "staff_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[str] = mapped_column(String(40), ForeignKey("staff_accounts.staff_id"),
                                          index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
