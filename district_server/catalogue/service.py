"""Catalogue: load and validate (wire.v1.Catalogue), store immutable versions, publish a
version to a cohort of kiosks."""
from __future__ import annotations

import json
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from sqlalchemy.orm import Session

from district_server.catalogue.models import CatalogueVersion, CataloguePublication
from wire import v1


#: libyaml's parser when present (ten times faster on the catalogue), else the pure one.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class CatalogueInvalid(ValueError):
    """The catalogue cannot be published; the message lists what is wrong."""


def _read(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    try:
        return json.loads(text) if path.suffix == ".json" else yaml.load(text, Loader=_YAML_LOADER)
    except (ValueError, yaml.YAMLError) as error:
        raise CatalogueInvalid(f"{path}: unreadable: {error}") from None


def load_directory(directory: Path) -> v1.Catalogue:
    """`catalogue.yaml` plus one file per item in `items/` (the layout kiosk/catalogue.py reads)."""
    main = directory / "catalogue.yaml"
    if not main.exists():
        raise CatalogueInvalid(f"{directory}: catalogue.yaml not found")
    data = dict(_read(main) or {})
    items_dir = directory / "items"
    if items_dir.is_dir():
        data["items"] = list(data.get("items") or []) + [
            _read(p) for p in sorted(items_dir.iterdir()) if p.suffix in (".yaml", ".yml", ".json")]
    return validate(data, source=str(directory))


def validate(data: Any, *, source: str = "catalogue") -> v1.Catalogue:
    try:
        return v1.Catalogue.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors()[:20]:
            where = ".".join(str(p) for p in item["loc"])
            problems.append(f"  {where}: {item['msg']}")
        raise CatalogueInvalid(f"{source}: {error.error_count()} problem(s):\n"
                               + "\n".join(problems)) from None


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
    publication = session.get(CataloguePublication, cohort)
    if publication is None:
        session.add(CataloguePublication(cohort=cohort, version=version, published_at=now))
    elif publication.version != version:
        publication.version, publication.published_at = version, now


def published_version(session: Session, cohort: str, default_cohort: str) -> CatalogueVersion:
    publication = session.get(CataloguePublication, cohort) or \
        session.get(CataloguePublication, default_cohort)
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
