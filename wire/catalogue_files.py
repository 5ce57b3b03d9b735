"""Reading and validating a catalogue directory (`config/catalogue/`): `catalogue.{yaml,json,
toml}` plus one file per item in `items/`. The district publishes from it and the kiosk
starts from it; both validate with `wire.v1.Catalogue`, so they accept the same catalogues."""
from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from wire import v1

#: libyaml's parser when present (ten times faster on the catalogue), else the pure one
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SUFFIXES = (".yaml", ".yml", ".json", ".toml")
#: problems listed in the message; the count says how many there are in all
LISTED_PROBLEMS = 20


class CatalogueInvalid(ValueError):
    """The catalogue cannot be used; the message names the source and what is wrong."""


def read_file(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    try:
        if path.suffix == ".json":
            return json.loads(text)
        if path.suffix == ".toml":
            return tomllib.loads(text)
        return yaml.load(text, Loader=_YAML_LOADER)
    except (ValueError, yaml.YAMLError) as error:
        raise CatalogueInvalid(f"{path}: not valid {path.suffix[1:]}: {error}") from None


def read_directory(directory: Path) -> dict[str, Any]:
    """The catalogue's data as one mapping (items from `items/` appended in name order)."""
    main = next((directory / f"catalogue{suffix}" for suffix in SUFFIXES
                 if (directory / f"catalogue{suffix}").exists()), None)
    if main is None:
        raise CatalogueInvalid(f"{directory}: no catalogue.yaml/json/toml found")
    data = dict(read_file(main) or {})
    items_dir = directory / "items"
    if items_dir.is_dir():
        data["items"] = list(data.get("items") or []) + [
            read_file(path) for path in sorted(items_dir.iterdir()) if path.suffix in SUFFIXES]
    return data


def validate(data: Any, *, source: str = "catalogue") -> v1.Catalogue:
    try:
        return v1.Catalogue.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors()[:LISTED_PROBLEMS]:
            where = ".".join(str(p) for p in item["loc"])
            problems.append(f"  {where}: {item['msg']}")
        raise CatalogueInvalid(f"{source}: {error.error_count()} problem(s):\n"
                               + "\n".join(problems)) from None


def load_directory(directory: Path) -> v1.Catalogue:
    return validate(read_directory(directory), source=str(directory))
