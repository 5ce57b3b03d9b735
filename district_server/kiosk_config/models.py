from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from district_server.db import Base, UtcDateTime


class ConfigVersion(Base):
    """A configuration pushed to kiosks (wire.v1.DESIRED_CONFIG_KEYS), numbered in the order
    stored and immutable once stored (canonical JSON of the keys)."""
    __tablename__ = "config_versions"
    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    sha256: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    #: who made it: "settings" (Settings.kiosk_config at start), a member of staff's actor,
    #: or "rollback of rollout N"
    source: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ConfigPublication(Base):
    """Which configuration version a cohort of kiosks should run."""
    __tablename__ = "config_publications"
    cohort: Mapped[str] = mapped_column(String(64), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, ForeignKey("config_versions.number"))
    published_at: Mapped[datetime] = mapped_column(UtcDateTime)
