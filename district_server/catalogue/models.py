from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from district_server.db import Base, UtcDateTime


class CatalogueVersion(Base):
    """A validated catalogue, immutable once stored (canonical JSON of wire.v1.Catalogue)."""
    __tablename__ = "catalogue_versions"
    version: Mapped[str] = mapped_column(String(40), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CataloguePublication(Base):
    """Which catalogue version a cohort of kiosks should run."""
    __tablename__ = "catalogue_publications"
    cohort: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[str] = mapped_column(String(40), ForeignKey("catalogue_versions.version"))
    published_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Rollout(Base):
    """A catalogue or configuration version published to a cohort in stages: first to the
    canary kiosks, then, once they stayed healthy through the health window, to all; or
    rolled back (the previous content published again under a new version) when they did
    not."""
    __tablename__ = "catalogue_rollouts"
    rollout_id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True)
    #: what is rolled out: "catalogue" (versions are catalogue versions) or "config"
    #: (versions are configuration version numbers, district_server/kiosk_config)
    subject: Mapped[str] = mapped_column(String(20), default="catalogue")
    cohort: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[str] = mapped_column(String(40))
    previous_version: Mapped[str] = mapped_column(String(40))
    #: the plan (district_server.catalogue.rollout.RolloutPlan) as JSON
    plan_json: Mapped[str] = mapped_column(Text)
    #: kiosk ids of the canary (JSON list)
    canary_json: Mapped[str] = mapped_column(Text)
    #: canary, complete or rolled_back
    state: Mapped[str] = mapped_column(String(20))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    canary_until: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    verdict: Mapped[str] = mapped_column(Text, default="")
    #: the version the previous content was published again as, after a rollback
    rollback_version: Mapped[str | None] = mapped_column(String(40), nullable=True)
