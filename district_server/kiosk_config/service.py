"""The configuration the district pushes in kiosks' desired state (wire.v1.DESIRED_CONFIG_KEYS),
kept as numbered versions: immutable once stored, published to a cohort like the catalogue,
and staged through the same rollouts (district_server/catalogue/rollout.py). Numbers only
grow, so a rollback stores the previous content under the next number and a kiosk never
goes back a number. `Settings.kiosk_config` is stored and published to the default cohort
at start when it changed since it was last stored from the settings."""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from district_server.kiosk_config.models import ConfigPublication, ConfigVersion
from district_server.publications import in_cohort, publish_to_cohort
from wire import v1

FROM_SETTINGS = "settings"


class ConfigInvalid(ValueError):
    pass


def parse(text: str) -> dict[str, Any]:
    """A configuration as a member of staff types it: a JSON object of allowed keys."""
    try:
        config = json.loads(text or "{}")
    except ValueError as error:
        raise ConfigInvalid(f"not JSON: {error}") from None
    if not isinstance(config, dict):
        raise ConfigInvalid("a configuration is a JSON object of keys and values")
    return config


def store(session: Session, config: dict[str, Any], *, now: datetime,
          source: str) -> ConfigVersion:
    """Keep `config` under the next number."""
    unknown = set(config) - v1.DESIRED_CONFIG_KEYS
    if unknown:
        raise ConfigInvalid(f"not allowed to push remotely: {sorted(unknown)}; allowed: "
                            f"{sorted(v1.DESIRED_CONFIG_KEYS)}")
    body = v1.canonical_json(config)
    number = (session.scalar(select(func.max(ConfigVersion.number))) or 0) + 1
    row = ConfigVersion(number=number, sha256=v1.sha256_hex(body), body=body.decode("utf-8"),
                        source=source[:80], created_at=now)
    session.add(row)
    session.flush()
    return row


def publish(session: Session, number: int, cohort: str, *, now: datetime) -> None:
    if session.get(ConfigVersion, number) is None:
        raise ConfigInvalid(f"no stored configuration version {number}")
    publish_to_cohort(session, ConfigPublication, cohort, "number", number, now=now)


def published_number(session: Session, cohort: str, default_cohort: str) -> int | None:
    """The version `cohort` runs (the default cohort's when it has none of its own)."""
    publication = in_cohort(session, ConfigPublication, cohort, default_cohort)
    return publication.number if publication is not None else None


def content(session: Session, number: int | None) -> dict[str, Any]:
    row = session.get(ConfigVersion, number) if number is not None else None
    return json.loads(row.body) if row is not None else {}


def publish_settings(session: Session, config: dict[str, Any], cohort: str, *,
                     now: datetime) -> ConfigVersion | None:
    """Store and publish the settings' configuration when it differs from the one last
    stored from them (a version published since from the console stays in use otherwise)."""
    last = session.scalar(select(ConfigVersion).where(ConfigVersion.source == FROM_SETTINGS)
                          .order_by(ConfigVersion.number.desc()).limit(1))
    if last is not None and last.sha256 == v1.sha256_hex(v1.canonical_json(config)):
        return None
    row = store(session, config, now=now, source=FROM_SETTINGS)
    publish(session, row.number, cohort, now=now)
    return row


def versions(session: Session, limit: int = 20) -> list[ConfigVersion]:
    return list(session.scalars(select(ConfigVersion).order_by(ConfigVersion.number.desc())
                                .limit(limit)))
