"""The one result every identity-document backend returns.

Personal fields never reach logs: `repr()` masks them, and `as_dict()` (for the
operator's `kiosk id read` and for the journeys) is the only way to see them.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from devices.id_reader.sod import CheckResult, Outcome

#: document types every backend uses
PASSPORT = "passport"
TRAVEL_PERMIT = "travel_permit"          # ICAO TD1/TD2 cards: permits, ID cards
RESIDENT_ID = "resident_id"              # 居民身份证
HMT_RESIDENCE_PERMIT = "hk_macao_taiwan_residence_permit"  # 港澳台居民居住证 ('J')
FOREIGN_PERMANENT_RESIDENT = "foreign_permanent_resident"  # 外国人永久居留身份证 ('I', 'Y')


@dataclass(frozen=True)
class Photo:
    """The face image as stored on the document (`data` + `format`), or why there is none."""
    data: bytes = b""
    format: str = ""          # jpeg, jp2, j2k, png
    width: int = 0
    height: int = 0
    absent_reason: str = ""

    @property
    def available(self) -> bool:
        return bool(self.data)

    @classmethod
    def absent(cls, reason: str) -> "Photo":
        return cls(absent_reason=reason)

    def __repr__(self) -> str:
        if self.available:
            return f"Photo({self.format}, {self.width}x{self.height}, {len(self.data)} bytes)"
        return f"Photo(absent: {self.absent_reason})"

    def as_dict(self) -> dict[str, Any]:
        if self.available:
            return {"format": self.format, "size_bytes": len(self.data), "width": self.width,
                    "height": self.height}
        return {"absent": self.absent_reason}


_PERSONAL = {"document_number", "name_zh", "name_latin", "birth_date", "address", "sex",
             "nationality", "ethnicity", "photo"}


@dataclass(frozen=True)
class IdDocument:
    document_type: str
    document_number: str
    name_zh: str = ""
    name_latin: str = ""
    sex: str = ""                      # M, F or X
    birth_date: date | None = None
    nationality: str = ""              # ISO 3166 alpha-3 (CHN for resident IDs)
    ethnicity: str = ""                # 民族 on resident ID cards (GB/T 3304 name)
    issuing_state: str = ""
    valid_from: date | None = None
    expiry_date: date | None = None
    long_term_valid: bool = False      # 长期 resident IDs
    issuing_authority: str = ""
    address: str = ""
    photo: Photo = field(default_factory=lambda: Photo.absent("not read"))
    verification: tuple[CheckResult, ...] = ()
    timings_ms: dict[str, float] = field(default_factory=dict)
    #: where it came from: "emrtd" (chip via PC/SC) or "sam" (resident-ID SAM reader)
    source: str = ""
    #: the reader behind it, e.g. "Virtual PCD 00" or "simulated (in-process virtual card)"
    reader: str = ""

    @property
    def name(self) -> str:
        return self.name_zh or self.name_latin

    @property
    def verified(self) -> bool:
        """True when no check failed (a check "not_checked" is no failure, and no pass)."""
        return all(c.outcome != Outcome.FAILED for c in self.verification)

    def valid_on(self, day: date) -> bool:
        """Whether the document is within its validity on `day` (long-term cards never end)."""
        if self.valid_from is not None and day < self.valid_from:
            return False
        return self.long_term_valid or self.expiry_date is None or day <= self.expiry_date

    def failed_checks(self) -> list[CheckResult]:
        return [c for c in self.verification if c.outcome == Outcome.FAILED]

    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}=<masked>" if f.name in _PERSONAL else
                          f"{f.name}={getattr(self, f.name)!r}" for f in fields(self)
                          if f.name not in ("verification", "timings_ms"))
        return f"IdDocument({shown}, verified={self.verified})"

    __str__ = __repr__

    def as_dict(self) -> dict[str, Any]:
        """Everything except the photo bytes (shown to the operator; never logged)."""
        def day(value: date | None) -> str | None:
            return value.isoformat() if value else None
        return {
            "document_type": self.document_type, "document_number": self.document_number,
            "name": self.name, "name_zh": self.name_zh, "name_latin": self.name_latin,
            "sex": self.sex, "birth_date": day(self.birth_date), "nationality": self.nationality,
            "ethnicity": self.ethnicity,
            "issuing_state": self.issuing_state, "valid_from": day(self.valid_from),
            "expiry_date": day(self.expiry_date), "long_term_valid": self.long_term_valid,
            "issuing_authority": self.issuing_authority, "address": self.address,
            "photo": self.photo.as_dict(), "source": self.source, "reader": self.reader,
            "verified": self.verified,
            "verification": [{"check": c.name, "outcome": c.outcome, "detail": c.detail}
                             for c in self.verification],
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
        }
