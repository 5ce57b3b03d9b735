"""The service catalogue as the kiosk uses it: loading and indexing only.

The schema is the district's (`wire.v1.Catalogue`: items (实施清单), their materials, forms
and FAQ, every citizen-facing text in both languages), so the kiosk accepts exactly what the
district publishes. Loaded once from `config/catalogue/` (or the version the district pushed)
and then read-only: journeys, the service guide and search all share one `Catalogue`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Mapping

from wire.catalogue_files import CatalogueInvalid as CatalogueError
from wire.catalogue_files import load_directory, validate
from wire.v1 import Catalogue as CatalogueData
from wire.v1 import Category, Faq, FieldKind, FormField, Material, Necessity, ServiceItem, Text

__all__ = ["Catalogue", "CatalogueError", "Category", "Faq", "FieldKind", "FormField",
           "Material", "Necessity", "ServiceItem", "Text", "catalogue_from_mapping",
           "load_catalogue"]

CATALOGUE_DIR = Path(__file__).resolve().parents[1] / "config" / "catalogue"


class Catalogue:
    """Read-only view over one catalogue version."""

    def __init__(self, data: CatalogueData) -> None:
        self.data = data   # validated: task codes unique, references resolve
        self._items = {item.task_code: item for item in data.items}

    @property
    def version(self) -> str:
        return self.data.version

    @property
    def items(self) -> list[ServiceItem]:
        return self.data.items

    @property
    def topics(self) -> list[Category]:
        return self.data.topics

    @property
    def life_events(self) -> list[Category]:
        return self.data.life_events

    def item(self, task_code: str) -> ServiceItem:
        try:
            return self._items[task_code]
        except KeyError:
            raise KeyError(f"no service item {task_code!r} in catalogue {self.version}") from None

    def kiosk_items(self) -> list[ServiceItem]:
        return [item for item in self.items if item.kiosk_enabled]

    def in_category(self, category_id: str) -> list[ServiceItem]:
        return [item for item in self.items
                if category_id in item.topics or category_id in item.life_events]

    def all_faq(self) -> Iterable[tuple[ServiceItem | None, Faq]]:
        for entry in self.data.faq:
            yield None, entry
        for item in self.items:
            for entry in item.faq:
                yield item, entry


# --- loading ------------------------------------------------------------------------

def catalogue_from_mapping(data: Mapping[str, Any], *, source: str = "catalogue") -> Catalogue:
    return Catalogue(validate(data, source=source))


def load_catalogue(directory: Path = CATALOGUE_DIR) -> Catalogue:
    """Load `catalogue.{yaml,json,toml}` from `directory`; items may also sit one per file
    in `directory/items/`."""
    return Catalogue(load_directory(directory))
