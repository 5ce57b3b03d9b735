"""Form fields from an item's schema: plain-word validation as the citizen types, prefill.

Messages are `Text` in both languages, written for a citizen, never an error code.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from kiosk.catalogue import FieldKind, FormField, Text
from foundation.identity_validation import IdentityValidationError, validate_resident_id, \
    validate_uscc
from kiosk.journeys.ports import CitizenDocument

_PHONE = re.compile(r"^1[3-9][0-9]{9}$")
YES, NO = "yes", "no"


def _say(zh: str, en: str) -> Text:
    return Text(zh=zh, en=en)


def check(form_field: FormField, raw: str, *, today: date) -> Text | None:
    """None when `raw` is acceptable; otherwise what to do about it, in plain words."""
    value = raw.strip()
    label = form_field.label
    if not value:
        if form_field.required:
            return _say(f"请填写{label.zh}", f"Please fill in {label.en or label.zh}")
        return None
    kind = form_field.kind
    if len(value) > form_field.max_length:
        return _say(f"最多填写{form_field.max_length}个字",
                    f"Please use at most {form_field.max_length} characters")
    if kind is FieldKind.NUMBER:
        try:
            number = float(value)
        except ValueError:
            return _say(f"{label.zh}请只填数字", f"Please use digits only for {label.en}")
        low, high = form_field.min_value, form_field.max_value
        if (low is not None and number < low) or (high is not None and number > high):
            return _say(f"{label.zh}应在{_plain(low)}到{_plain(high)}之间",
                        f"{label.en} must be between {_plain(low)} and {_plain(high)}")
    elif kind is FieldKind.DATE:
        try:
            date.fromisoformat(value)
        except ValueError:
            return _say("请按“年-月-日”填写日期，例如 2026-12-01",
                        "Please give the date as year-month-day, for example 2026-12-01")
    elif kind is FieldKind.ID_NUMBER:
        try:
            validate_resident_id(value, today=today)
        except IdentityValidationError:
            if len(value) != 18:
                return _say(f"身份证号码是18位，您填了{len(value)}位",
                            f"An ID number has 18 characters; you typed {len(value)}")
            return _say("这个身份证号码对不上，请对照证件再核对一遍",
                        "This ID number does not add up; please check it against the card")
    elif kind is FieldKind.USCC:
        try:
            validate_uscc(value)
        except IdentityValidationError:
            if len(value) != 18:
                return _say(f"统一社会信用代码是18位，您填了{len(value)}位",
                            f"The credit code has 18 characters; you typed {len(value)}")
            return _say("这个统一社会信用代码对不上，请对照营业执照核对",
                        "This credit code does not add up; please check it on the licence")
    elif kind is FieldKind.PHONE:
        if not _PHONE.match(value):
            return _say("手机号码是以1开头的11位数字", "A mobile number has 11 digits and starts with 1")
    elif kind is FieldKind.CHOICE:
        if value not in {choice.value for choice in form_field.choices}:
            return _say("请从选项中选一个", "Please pick one of the options")
    elif kind is FieldKind.YES_NO:
        if value not in (YES, NO):
            return _say("请选择“是”或“否”", "Please choose yes or no")
    return None


def _plain(number: float | None) -> str:
    if number is None:
        return "…"
    return str(int(number)) if float(number).is_integer() else str(number)


def typed_value(form_field: FormField, raw: str) -> Any:
    """The checked text as the submission carries it (numbers as numbers, yes/no as bool)."""
    value = raw.strip()
    if not value:
        return None
    if form_field.kind is FieldKind.NUMBER:
        number = float(value)
        return int(number) if number.is_integer() else number
    if form_field.kind is FieldKind.YES_NO:
        return value == YES
    if form_field.kind in (FieldKind.ID_NUMBER, FieldKind.USCC):
        return value.upper()
    return value


def prefill_value(form_field: FormField, document: CitizenDocument) -> str:
    source = form_field.prefill
    if source == "name":
        return document.name
    if source == "id_number":
        return document.id_number or (document.number if document.document_type ==
                                      "resident_id" else "")
    if source == "birth_date":
        return document.birth_date.isoformat() if document.birth_date else ""
    if source in ("gender", "sex"):
        return document.sex
    if source == "nationality":
        return document.nationality
    if source == "address":
        return document.address
    return ""
