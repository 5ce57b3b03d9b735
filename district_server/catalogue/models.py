from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
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
