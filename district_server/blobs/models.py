from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from district_server.db import Base, UtcDateTime


class Blob(Base):
    """A published blob: its bytes (HPKE ciphertext) verified against the sha256 it is named by."""
    __tablename__ = "blobs"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    length: Mapped[int] = mapped_column(BigInteger)
    stored_at: Mapped[datetime] = mapped_column(UtcDateTime)


class BlobUpload(Base):
    """A resumable upload in progress; `offset` bytes are on disk and checksummed."""
    __tablename__ = "blob_uploads"
    upload_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    kiosk_id: Mapped[str] = mapped_column(String(40), index=True)
    length: Mapped[int] = mapped_column(BigInteger)
    offset: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class BlobOwner(Base):
    """A kiosk that uploaded (and so holds) a blob: the bytes are stored once, but a kiosk
    sees and references only blobs it uploaded itself."""
    __tablename__ = "blob_owners"
    sha256: Mapped[str] = mapped_column(String(64), ForeignKey("blobs.sha256"), primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(40), primary_key=True)
