"""Configuration keys the district pushes in its desired state (`wire.v1.DESIRED_CONFIG_KEYS`,
dotted keys of the kiosk configuration): each is applied to the running kiosk or refused.

The pushed keys are the district's whole wish: a key it stops pushing goes back to the
kiosk's own configuration (defaults and site file). Each key is validated alone against
the same typed model as the configuration files, so one bad value is refused with its
reason while the others apply. The core then hands the new configuration to whoever
follows it (availability, the UI shell and the idle timer), between sessions.
"""
from __future__ import annotations

from typing import Any, Mapping

from pydantic import BaseModel, ValidationError

from kiosk.config import KioskConfig
from wire.v1 import DESIRED_CONFIG_KEYS


def _problem(error: ValidationError) -> str:
    first = error.errors()[0]
    return f"{first['msg']} (got {first.get('input')!r})"


def apply_pushed(own: KioskConfig, pushed: Mapping[str, Any]
                 ) -> tuple[KioskConfig, dict[str, str]]:
    """The kiosk's own configuration `own` with the district's keys applied, and the keys
    refused with why."""
    sections: dict[str, BaseModel] = {}
    refused: dict[str, str] = {}
    for key, value in sorted(pushed.items()):
        section_name, _, name = key.partition(".")
        section = sections.get(section_name, getattr(own, section_name, None))
        if key not in DESIRED_CONFIG_KEYS:
            refused[key] = "not a key the district may set"
            continue
        if not isinstance(section, BaseModel) or name not in type(section).model_fields:
            refused[key] = "not known to this kiosk release"
            continue
        try:
            sections[section_name] = type(section).model_validate(
                {**section.model_dump(), name: value})
        except ValidationError as error:
            refused[key] = _problem(error)
    return own.model_copy(update=sections), refused
