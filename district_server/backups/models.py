from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from district_server.db import Base, UtcDateTime


class BackupWatermark(Base):
    """One backup taken by `district-server backup`: every submission with a server_seq up
    to `backed_up_through` is in it. Recorded after the backup is complete."""
    __tablename__ = "backup_watermarks"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"),
                                    primary_key=True, autoincrement=True)
    backed_up_through: Mapped[int] = mapped_column(BigInteger)
    taken_at: Mapped[datetime] = mapped_column(UtcDateTime)
    target: Mapped[str] = mapped_column(Text)
