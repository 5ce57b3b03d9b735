"""Catalogue: store validated versions (wire/catalogue_files.py loads and validates, as on
the kiosk) immutably, publish a version to a cohort of kiosks."""
from __future__ import annotations

import threading
from datetime import datetime

from sqlalchemy.orm import Session

from district_server.catalogue.models import CatalogueVersion, CataloguePublication
from district_server.publications import in_cohort, publish_to_cohort
from wire import v1
from wire.catalogue_files import CatalogueInvalid, load_directory, validate

__all__ = ["CatalogueCache", "CatalogueInvalid", "load_directory", "publish",
           "published_version", "store", "validate"]


def store(session: Session, catalogue: v1.Catalogue, *, now: datetime) -> bool:
    """Keep a version; a version number is never reused with other content."""
    body = v1.canonical_json(catalogue).decode("utf-8")
    sha = v1.sha256_hex(body.encode("utf-8"))
    existing = session.get(CatalogueVersion, catalogue.version)
    if existing is not None:
        if existing.sha256 != sha:
            raise CatalogueInvalid(f"catalogue version {catalogue.version} exists with other "
                                   "content: raise the version")
        return False
    session.add(CatalogueVersion(version=catalogue.version, sha256=sha, body=body,
                                 created_at=now))
    session.flush()
    return True


def publish(session: Session, version: str, cohort: str, *, now: datetime) -> None:
    if session.get(CatalogueVersion, version) is None:
        raise CatalogueInvalid(f"no stored catalogue version {version}")
    publish_to_cohort(session, CataloguePublication, cohort, "version", version, now=now)


def published_version(session: Session, cohort: str, default_cohort: str) -> CatalogueVersion:
    publication = in_cohort(session, CataloguePublication, cohort, default_cohort)
    if publication is None:
        raise CatalogueInvalid("no catalogue is published")
    return session.get(CatalogueVersion, publication.version)


class CatalogueCache:
    """Parsed catalogue versions (immutable, so cached for good)."""

    def __init__(self) -> None:
        self._parsed: dict[str, v1.Catalogue] = {}
        self._lock = threading.Lock()

    def get(self, session: Session, version: str) -> v1.Catalogue | None:
        with self._lock:
            if version in self._parsed:
                return self._parsed[version]
        row = session.get(CatalogueVersion, version)
        if row is None:
            return None
        catalogue = v1.Catalogue.model_validate_json(row.body)
        with self._lock:
            self._parsed[version] = catalogue
        return catalogue
