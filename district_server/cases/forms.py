"""Server-side checks of what a citizen filled in: the item's form fields, ID numbers (GB
11643) and unified social credit codes (GB 32100). Returns readable problems, never raises."""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from wire import v1

_RESIDENT_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")


def valid_resident_id(value: str) -> bool:
    value = value.upper()
    if not re.fullmatch(r"[0-9]{17}[0-9X]", value):
        return False
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    total = sum(int(c) * w for c, w in zip(value[:17], _RESIDENT_WEIGHTS))
    return "10X98765432"[total % 11] == value[17]


def valid_uscc(value: str) -> bool:
    value = value.upper()
    if len(value) != 18 or any(c not in _USCC_ALPHABET for c in value):
        return False
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(value[:17], _USCC_WEIGHTS))
    return _USCC_ALPHABET[(31 - total % 31) % 31] == value[17]


def _field_problem(field: v1.FormField, value: Any) -> str | None:
    kind = field.kind
    if kind == "yes_no":
        return None if isinstance(value, bool) else "must be yes or no"
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return "must be a number"
        if field.min_value is not None and value < field.min_value:
            return f"must be at least {field.min_value:g}"
        if field.max_value is not None and value > field.max_value:
            return f"must be at most {field.max_value:g}"
        return None
    if not isinstance(value, str):
        return "must be text"
    if len(value) > field.max_length:
        return f"is longer than {field.max_length} characters"
    if kind == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            return "must be a date (YYYY-MM-DD)"
    elif kind == "choice" and value not in {c.value for c in field.choices}:
        return "is not one of the offered choices"
    elif kind == "id_number" and not valid_resident_id(value):
        return "is not a valid resident ID number"
    elif kind == "uscc" and not valid_uscc(value):
        return "is not a valid unified social credit code"
    elif kind == "phone" and not _MOBILE.match(value):
        return "is not a mobile number"
    return None


def form_problems(item: v1.ServiceItem, data: dict[str, Any]) -> list[str]:
    problems = []
    fields = {f.id: f for f in item.form}
    for name in data.keys() - fields.keys():
        problems.append(f"{name}: not a field of {item.task_code}")
    for field in item.form:
        value = data.get(field.id)
        if value is None or value == "":
            if field.required:
                problems.append(f"{field.id}: required")
            continue
        problem = _field_problem(field, value)
        if problem:
            problems.append(f"{field.id}: {problem}")
    return problems
