"""Resident ID numbers (GB 11643), unified social credit codes (GB 32100), MRZ check digits."""
from __future__ import annotations

from datetime import date

import pytest

from foundation.identity_validation import (IdentityValidationError, bac_key, mrz_check_digit,
                                       parse_bac_key, resident_id_check_char, validate_resident_id,
                                       validate_uscc)


def test_the_standards_example_id_number():
    number = validate_resident_id("11010519491231002X")
    assert (number.region, number.birth_date, number.sex) == ("110105", date(1949, 12, 31), "F")
    assert "11010519491231002X" not in repr(number)


def test_check_character_of_the_reference_vector():
    assert resident_id_check_char("44030019900101123") == "8"
    assert validate_resident_id("440300199001011238").sex == "M"


def test_lower_case_x_is_accepted():
    assert validate_resident_id("11010519491231002x").number.endswith("X")


@pytest.mark.parametrize("number, message", [
    ("4403001990010112", "18 characters; this one has 16"),
    ("44030019900101123A", "last character must be a digit or X"),
    ("4403001990X101123X", "character 11 must be a digit"),
    ("990300199001011238", "region code starts with 99"),
    ("440300199002301238", "not a valid birth date"),
    ("440300199001011239", "check character"),
    ("440300180001011238", "out of range"),
])
def test_invalid_id_numbers_get_precise_messages(number, message):
    with pytest.raises(IdentityValidationError, match=message) as raised:
        validate_resident_id(number, today=date(2026, 11, 26))
    assert number not in str(raised.value)


def test_future_birth_date_is_refused():
    first17 = "44030020300101123"
    with pytest.raises(IdentityValidationError, match="out of range"):
        validate_resident_id(first17 + resident_id_check_char(first17), today=date(2026, 1, 1))


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91440300708461136T"])
def test_valid_unified_social_credit_codes(code):
    assert validate_uscc(code.lower()) == code


@pytest.mark.parametrize("code, message", [
    ("91350100M000100Y4", "18 characters; this one has 17"),
    ("91350100M000100Y4I", r"character 18 \('I'\) is not allowed"),
    ("B1350100M000100Y43", "no registration authority code"),
    ("9135A100M000100Y43", "characters 3-8"),
    ("91350100M000100X43", "character 17 does not match"),
    ("91350100M000100Y44", "check character"),
])
def test_invalid_unified_social_credit_codes(code, message):
    with pytest.raises(IdentityValidationError, match=message):
        validate_uscc(code)


@pytest.mark.parametrize("field, digit", [("L898902C<", "3"), ("690806", "1"), ("940623", "6"),
                                          ("D23145890", "7"), ("<<<<<<", "0")])
def test_mrz_check_digits(field, digit):
    assert mrz_check_digit(field) == digit


def test_mrz_rejects_characters_outside_its_alphabet():
    with pytest.raises(IdentityValidationError, match="cannot appear in an MRZ"):
        mrz_check_digit("ab")


def test_bac_key_from_the_command_line_form():
    key = parse_bac_key("l898902c:690806:940623")
    assert key.mrz_information() == "L898902C<369080619406236"
    assert "L898902C" not in repr(key)


@pytest.mark.parametrize("text, message", [
    ("L898902C:690806", "3 parts"), (":690806:940623", "empty"),
    ("L8989-2C:690806:940623", "only letters"), ("L898902C:6908:940623", "6 digits"),
    ("L898902C:691306:940623", "month 13"), ("L898902C:690806:940632", "day 32")])
def test_bad_bac_keys_get_precise_messages(text, message):
    with pytest.raises(IdentityValidationError, match=message):
        parse_bac_key(text)


def test_bac_key_normalises_spaces_and_case():
    assert bac_key(" e 1234 5678 ", "900101", "320101").document_number == "E12345678"
