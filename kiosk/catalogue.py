"""The service catalogue as the kiosk sees it: items (实施清单), their materials, forms and FAQ.

Loaded once from `config/catalogue/` (or the catalogue version the district pushed) and then
read-only: journeys, the service guide and search all share one `Catalogue`. Every text a
citizen sees comes in both languages (`Text`). Field names follow the implementation-list
fields in the domain reference (gov-domain.md, "Proposed data model").
"""
from __future__ import annotations

import json
import tomllib
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, Iterable, Literal, Mapping

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, \
    model_validator

from wire.v1 import check_commitment_text

CATALOGUE_DIR = Path(__file__).resolve().parents[1] / "config" / "catalogue"


class CatalogueError(ValueError):
    """The catalogue data is unusable; the message names the file and the problem."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Text(_Model):
    """A text in Chinese and English; English falls back to Chinese when missing."""
    zh: str
    en: str = ""

    def get(self, language: str) -> str:
        return self.en if language.startswith("en") and self.en else self.zh

    @model_validator(mode="before")
    @classmethod
    def _from_plain(cls, value: Any) -> Any:
        return {"zh": value} if isinstance(value, str) else value


class Necessity(StrEnum):
    REQUIRED = "required"
    OPTIONAL = "optional"
    CONDITIONAL = "conditional"


class Material(_Model):
    id: str
    name: Text
    necessity: Necessity = Necessity.REQUIRED
    condition: Text | None = None           # when CONDITIONAL: when it is needed
    form: Literal["paper", "electronic", "either"] = "either"
    copies: int = Field(default=1, ge=1)
    elicence_type: str | None = None        # reusable certificate on file (零材料)
    tolerance_allowed: bool = False         # may be supplied later under a commitment (容缺)
    max_supply_days: int | None = Field(default=None, ge=1, le=180)  # working days

    @model_validator(mode="after")
    def _deferral_has_deadline(self) -> "Material":
        if self.tolerance_allowed and self.max_supply_days is None:
            raise ValueError(f"material {self.id}: tolerance_allowed needs max_supply_days")
        return self


class FieldKind(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    CHOICE = "choice"
    YES_NO = "yes_no"
    ID_NUMBER = "id_number"
    USCC = "uscc"
    PHONE = "phone"


class Choice(_Model):
    value: str
    label: Text


class FormField(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: Text
    kind: FieldKind = FieldKind.TEXT
    group: Text | None = None               # one group of questions per screen
    required: bool = True
    prefill: str | None = None              # document attribute: name, id_number, birth_date...
    choices: tuple[Choice, ...] = ()
    min_value: float | None = None
    max_value: float | None = None
    max_length: int = Field(default=60, ge=1, le=500)
    hint: Text | None = None

    @model_validator(mode="after")
    def _choices_for_choice(self) -> "FormField":
        if self.kind is FieldKind.CHOICE and not self.choices:
            raise ValueError(f"field {self.id}: a choice field needs choices")
        return self


class TimeLimit(_Model):
    days: int = Field(ge=0)
    unit: Literal["working_days", "calendar_days"] = "working_days"

    @property
    def instant(self) -> bool:
        return self.days == 0


class Fee(_Model):
    name: Text
    amount_yuan: float = Field(ge=0)


class Faq(_Model):
    question: Text
    answer: Text


class ServiceItem(_Model):
    task_code: str                          # 实施编码, the item's identity on the wire
    catalog_code: str = ""
    version: str = "1"
    name: Text
    item_type: str = "公共服务"
    department: Text
    summary: Text | None = None
    accept_conditions: tuple[Text, ...] = ()
    legal_limit: TimeLimit
    promised_limit: TimeLimit
    fees: tuple[Fee, ...] = ()              # empty: free of charge (零收费)
    pickup_methods: tuple[Literal["locker", "window", "post", "electronic", "none"], ...] = ()
    kiosk_enabled: bool = True
    tolerance_allowed: bool = False
    commitment_template: Text | None = None
    topics: tuple[str, ...] = ()
    life_events: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()          # other words citizens use for this item
    materials: tuple[Material, ...] = ()
    form: tuple[FormField, ...] = ()
    faq: tuple[Faq, ...] = ()

    @field_validator("form")
    @classmethod
    def _unique_fields(cls, fields: tuple[FormField, ...]) -> tuple[FormField, ...]:
        ids = [f.id for f in fields]
        duplicates = {i for i in ids if ids.count(i) > 1}
        if duplicates:
            raise ValueError(f"form field ids repeated: {sorted(duplicates)}")
        return fields

    @model_validator(mode="after")
    def _commitment_needs_text(self) -> "ServiceItem":
        check_commitment_text(self)
        return self

    @property
    def free(self) -> bool:
        return not any(fee.amount_yuan > 0 for fee in self.fees)

    def material(self, material_id: str) -> Material:
        for material in self.materials:
            if material.id == material_id:
                return material
        raise KeyError(material_id)

    def form_groups(self) -> list[tuple[Text, list[FormField]]]:
        """Form fields grouped for one screen each, in the order they first appear."""
        groups: dict[str, tuple[Text, list[FormField]]] = {}
        default = Text(zh="基本信息", en="Basic information")
        for form_field in self.form:
            label = form_field.group or default
            groups.setdefault(label.zh, (label, []))[1].append(form_field)
        return list(groups.values())


class Category(_Model):
    """A topic (主题) or life event (一件事) tile on the catalogue screen."""
    id: str
    name: Text
    icon: str = ""


class CalendarData(_Model):
    """Public holidays and make-up working days (调休) for the working-day calendar."""
    holidays: tuple[date, ...] = ()
    workdays: tuple[date, ...] = ()         # weekend days that are working days


class CatalogueData(_Model):
    version: str
    topics: tuple[Category, ...] = ()
    life_events: tuple[Category, ...] = ()
    items: tuple[ServiceItem, ...]
    faq: tuple[Faq, ...] = ()               # general questions not tied to one item
    calendar: CalendarData = CalendarData()


class Catalogue:
    """Read-only view over one catalogue version."""

    def __init__(self, data: CatalogueData) -> None:
        self.data = data
        self._items = {item.task_code: item for item in data.items}
        if len(self._items) != len(data.items):
            raise CatalogueError("two items share a task_code")
        known = {c.id for c in data.topics} | {c.id for c in data.life_events}
        for item in data.items:
            unknown = set(item.topics) | set(item.life_events)
            unknown -= known
            if unknown:
                raise CatalogueError(f"item {item.task_code} names unknown topics or life "
                                     f"events: {sorted(unknown)}")

    @property
    def version(self) -> str:
        return self.data.version

    @property
    def items(self) -> tuple[ServiceItem, ...]:
        return self.data.items

    @property
    def topics(self) -> tuple[Category, ...]:
        return self.data.topics

    @property
    def life_events(self) -> tuple[Category, ...]:
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

def _read(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    try:
        if path.suffix == ".json":
            return json.loads(text)
        if path.suffix == ".toml":
            return tomllib.loads(text)
        return yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as error:
        raise CatalogueError(f"{path}: not valid {path.suffix[1:]}: {error}") from None


def catalogue_from_mapping(data: Mapping[str, Any], *, source: str = "catalogue") -> Catalogue:
    try:
        return Catalogue(CatalogueData.model_validate(data))
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise CatalogueError(f"{source}: {where}: {first['msg']} "
                             f"({error.error_count()} problem(s))") from None


def load_catalogue(directory: Path = CATALOGUE_DIR) -> Catalogue:
    """Load `catalogue.{yaml,json,toml}` from `directory`; items may also sit one per file
    in `directory/items/`."""
    main = next((directory / f"catalogue.{ext}" for ext in ("yaml", "yml", "json", "toml")
                 if (directory / f"catalogue.{ext}").exists()), None)
    if main is None:
        raise CatalogueError(f"{directory}: no catalogue.yaml/json/toml found")
    data = dict(_read(main) or {})
    items_dir = directory / "items"
    if items_dir.is_dir():
        extra = [_read(p) for p in sorted(items_dir.iterdir())
                 if p.suffix in (".yaml", ".yml", ".json", ".toml")]
        data["items"] = list(data.get("items", [])) + extra
    return catalogue_from_mapping(data, source=str(main))
