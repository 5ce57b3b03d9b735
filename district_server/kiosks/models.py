from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from district_server.db import Base, UtcDateTime


class Kiosk(Base):
    __tablename__ = "kiosks"
    kiosk_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    signing_public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    hall_code: Mapped[str] = mapped_column(String(64))
    cohort: Mapped[str] = mapped_column(String(64))
    enrolled_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    #: Monotonic desired-state version and the hash of the content it was issued for.
    desired_version: Mapped[int] = mapped_column(Integer, default=0)
    desired_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    #: Reported state merged from the deltas (JSON object).
    reported_json: Mapped[str] = mapped_column(Text, default="{}")
    reported_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    #: The last authenticated request (any signed request is a sign of life).
    last_contact_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    #: Submissions from this kiosk the district refused for good (the kiosk sets them
    #: aside), counted here so a rollout's gate sees them before the kiosk reports them.
    failed_submissions: Mapped[int] = mapped_column(Integer, default=0)


class EnrollmentToken(Base):
    __tablename__ = "enrollment_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    kiosk_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    hall_code: Mapped[str] = mapped_column(String(64))
    cohort: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    used_by: Mapped[str | None] = mapped_column(String(40), nullable=True)


class SeenNonce(Base):
    """Nonces of signed requests and citizen assertions inside the time window (replay guard)."""
    __tablename__ = "seen_nonces"
    kiosk_id: Mapped[str] = mapped_column(String(40), ForeignKey("kiosks.kiosk_id"),
                                          primary_key=True)
    nonce: Mapped[str] = mapped_column(String(48), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class KioskAlarm(Base):
    """An alert: a problem of one kiosk (and so of its hall) the fleet pages show, from the
    moment its condition is seen (`opened_at`) until it is gone (`resolved_at`). A condition
    that must last before it is news (a door left open) is raised at `raised_at`; None: raised
    when opened. Staff acknowledge it (they are on it); it stays open until it clears."""
    __tablename__ = "kiosk_alarms"
    kiosk_id: Mapped[str] = mapped_column(String(40), ForeignKey("kiosks.kiosk_id"),
                                          primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    detail: Mapped[str] = mapped_column(Text)
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    raised_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    acknowledged_by: Mapped[str | None] = mapped_column(String(80), nullable=True)


class KioskCommandRow(Base):
    """A remote command (wire.v1.KioskCommand) and where it is in its lifecycle
    (wire.v1.COMMAND_STATES). `idempotency_key`: the sender's, so a form sent twice makes one
    command."""
    __tablename__ = "kiosk_commands"
    __table_args__ = (UniqueConstraint("kiosk_id", "idempotency_key"),)
    command_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(40), ForeignKey("kiosks.kiosk_id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    args_json: Mapped[str] = mapped_column(Text, default="{}")
    state: Mapped[str] = mapped_column(String(20))
    sent_by: Mapped[str] = mapped_column(String(80))
    idempotency_key: Mapped[str | None] = mapped_column(String(80), nullable=True)
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    detail: Mapped[str] = mapped_column(Text, default="")
    blob_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)


class DeviceStatusChange(Base):
    """A change of one kiosk device's status (availability, severity, detail, error, action,
    consumables and doors) as the kiosk reported it. `at`: when it changed by the kiosk's clock
    (DeviceHealth.since), or when the report came when the kiosk did not say."""
    __tablename__ = "kiosk_device_history"
    change_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kiosk_id: Mapped[str] = mapped_column(String(40), ForeignKey("kiosks.kiosk_id"), index=True)
    device: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    availability: Mapped[str] = mapped_column(String(20))
    severity: Mapped[str] = mapped_column(String(10))
    detail: Mapped[str] = mapped_column(Text, default="")
    error_code: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(40), default="")
    units_json: Mapped[str] = mapped_column(Text, default="{}")
