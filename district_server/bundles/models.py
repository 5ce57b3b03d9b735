from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from district_server.db import Base, UtcDateTime


class BundleVersion(Base):
    """A kiosk application bundle, immutable once stored: its archive lies in the bundle
    directory under its sha256; `signed_manifest` is what kiosks are served (canonical JSON
    of wire.v1.SignedBundleManifest, signed with the district's receipt key)."""
    __tablename__ = "bundle_versions"
    version: Mapped[str] = mapped_column(String(40), primary_key=True)
    archive_sha256: Mapped[str] = mapped_column(String(64))
    archive_bytes: Mapped[int] = mapped_column(BigInteger)
    signed_manifest: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class BundlePublication(Base):
    """Which bundle version a cohort of kiosks should run."""
    __tablename__ = "bundle_publications"
    cohort: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[str] = mapped_column(String(40), ForeignKey("bundle_versions.version"))
    published_at: Mapped[datetime] = mapped_column(UtcDateTime)
