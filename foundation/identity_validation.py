"""Validation of identity numbers typed by citizens or read from documents.

- the 18-digit resident identity number (GB 11643-1999: region, birth date, sequence,
  ISO 7064 MOD 11-2 check character),
- the unified social credit code of organisations (GB 32100-2015),
- ICAO Doc 9303 MRZ check digits and the BAC key triple.

Every failure is an `IdentityValidationError` whose message says precisely what is wrong
and where, without repeating the whole number (messages may reach logs).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date


class IdentityValidationError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


# --- ICAO MRZ ----------------------------------------------------------------------

_MRZ_WEIGHTS = (7, 3, 1)


def mrz_char_value(char: str) -> int:
    if char == "<":
        return 0
    if "0" <= char <= "9":
        return ord(char) - ord("0")
    if "A" <= char <= "Z":
        return ord(char) - ord("A") + 10
    raise IdentityValidationError("mrz", f"character {char!r} cannot appear in an MRZ "
                                         "(only A-Z, 0-9 and '<')")


def mrz_check_digit(field: str) -> str:
    """The Doc 9303 Part 3 check digit of `field` (weights 7, 3, 1; '<' = 0; A = 10)."""
    total = sum(mrz_char_value(c) * _MRZ_WEIGHTS[i % 3] for i, c in enumerate(field))
    return str(total % 10)


def check_mrz_field(name: str, value: str, digit: str) -> None:
    expected = mrz_check_digit(value)
    if digit != expected:
        raise IdentityValidationError(name, f"{name}: check digit is {digit!r} but the field "
                                            f"gives {expected}")


def _check_yymmdd(name: str, value: str) -> None:
    if not re.fullmatch(r"\d{6}", value):
        raise IdentityValidationError(name, f"{name} must be 6 digits YYMMDD, got {len(value)} "
                                            "characters")
    month, day = int(value[2:4]), int(value[4:6])
    if not 1 <= month <= 12:
        raise IdentityValidationError(name, f"{name}: month {month:02d} does not exist")
    if not 1 <= day <= 31:
        raise IdentityValidationError(name, f"{name}: day {day:02d} does not exist")


@dataclass(frozen=True)
class BacKeyInput:
    """The three MRZ fields that make the BAC access key."""
    document_number: str
    birth_yymmdd: str
    expiry_yymmdd: str

    def __repr__(self) -> str:  # the document number is personal data
        return "BacKeyInput(<masked>)"

    def mrz_information(self) -> str:
        number = self.document_number.ljust(9, "<")
        return (number + mrz_check_digit(number) + self.birth_yymmdd
                + mrz_check_digit(self.birth_yymmdd) + self.expiry_yymmdd
                + mrz_check_digit(self.expiry_yymmdd))


def parse_bac_key(text: str) -> BacKeyInput:
    """`DOCUMENT_NUMBER:BIRTH_YYMMDD:EXPIRY_YYMMDD` (the form `kiosk id read --bac` takes)."""
    parts = text.strip().split(":")
    if len(parts) != 3:
        raise IdentityValidationError("bac", "the MRZ key must be DOCUMENT_NUMBER:BIRTH_YYMMDD:"
                                             f"EXPIRY_YYMMDD (3 parts), got {len(parts)} part(s)")
    return bac_key(*parts)


def bac_key(document_number: str, birth_yymmdd: str, expiry_yymmdd: str) -> BacKeyInput:
    number = document_number.strip().upper().replace(" ", "")
    if not number:
        raise IdentityValidationError("document_number", "the document number is empty")
    if not re.fullmatch(r"[A-Z0-9<]+", number):
        raise IdentityValidationError("document_number", "the document number may hold only "
                                                         "letters A-Z and digits")
    _check_yymmdd("birth date", birth_yymmdd)
    _check_yymmdd("expiry date", expiry_yymmdd)
    return BacKeyInput(number, birth_yymmdd, expiry_yymmdd)


# --- resident identity number (GB 11643-1999) ----------------------------------------

_ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_ID_CHECK = "10X98765432"
#: province-level codes (first two digits); 81-83 are HK/Macao/Taiwan residence permits
PROVINCES = {
    "11": "北京", "12": "天津", "13": "河北", "14": "山西", "15": "内蒙古", "21": "辽宁",
    "22": "吉林", "23": "黑龙江", "31": "上海", "32": "江苏", "33": "浙江", "34": "安徽",
    "35": "福建", "36": "江西", "37": "山东", "41": "河南", "42": "湖北", "43": "湖南",
    "44": "广东", "45": "广西", "46": "海南", "50": "重庆", "51": "四川", "52": "贵州",
    "53": "云南", "54": "西藏", "61": "陕西", "62": "甘肃", "63": "青海", "64": "宁夏",
    "65": "新疆", "71": "台湾", "81": "香港", "82": "澳门", "83": "台湾",
}


def resident_id_check_char(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS))
    return _ID_CHECK[total % 11]


@dataclass(frozen=True)
class ResidentIdNumber:
    number: str
    region: str
    birth_date: date
    sex: str  # "M" or "F" (odd sequence digit = male)

    def __repr__(self) -> str:
        return "ResidentIdNumber(<masked>)"


def validate_resident_id(text: str, *, today: date | None = None) -> ResidentIdNumber:
    number = text.strip().upper()
    if len(number) != 18:
        raise IdentityValidationError("id_number", f"an ID number has 18 characters; this one "
                                                   f"has {len(number)}")
    if not number[:17].isdigit():
        bad = next(i for i, c in enumerate(number[:17]) if not c.isdigit())
        raise IdentityValidationError("id_number", f"character {bad + 1} must be a digit "
                                                   "(only the last may be X)")
    if not (number[17].isdigit() or number[17] == "X"):
        raise IdentityValidationError("id_number", "the last character must be a digit or X")
    if number[:2] not in PROVINCES:
        raise IdentityValidationError("id_number", f"the region code starts with "
                                                   f"{number[:2]}, which is no province")
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdentityValidationError("id_number", "characters 7-14 are not a valid birth "
                                                   "date (YYYYMMDD)") from None
    if birth.year < 1900 or (today is not None and birth > today):
        raise IdentityValidationError("id_number", "the birth date in characters 7-14 is "
                                                   "out of range")
    expected = resident_id_check_char(number[:17])
    if number[17] != expected:
        raise IdentityValidationError("id_number", "the check character (the last one) does "
                                                   "not match: the number is mistyped")
    sex = "M" if int(number[16]) % 2 else "F"
    return ResidentIdNumber(number, number[:6], birth, sex)


# --- unified social credit code (GB 32100-2015) --------------------------------------

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_AUTHORITIES = "123456789ANY"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS))
    return USCC_CHARSET[(31 - total % 31) % 31]


def _org_code_check(first8: str) -> str:
    """GB 11714 check character of the 9-character organisation code inside the USCC."""
    total = sum(USCC_CHARSET.index(c) * w if c.isdigit() else (ord(c) - 55) * w
                for c, w in zip(first8, _ORG_WEIGHTS))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def validate_uscc(text: str) -> str:
    code = text.strip().upper()
    if len(code) != 18:
        raise IdentityValidationError("uscc", f"a unified social credit code has 18 "
                                              f"characters; this one has {len(code)}")
    for i, c in enumerate(code):
        if c not in USCC_CHARSET:
            raise IdentityValidationError("uscc", f"character {i + 1} ({c!r}) is not allowed "
                                                  "(I, O, S, V and Z are never used)")
    if code[0] not in _USCC_AUTHORITIES:
        raise IdentityValidationError("uscc", f"character 1 ({code[0]!r}) is no registration "
                                              "authority code")
    if not code[2:8].isdigit():
        raise IdentityValidationError("uscc", "characters 3-8 must be the 6-digit region code")
    if code[8:16].isalnum() and _org_code_check(code[8:16]) != code[16]:
        raise IdentityValidationError("uscc", "character 17 does not match the organisation "
                                              "code in characters 9-16")
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise IdentityValidationError("uscc", "the check character (the last one) does not "
                                              "match: the code is mistyped")
    return code
