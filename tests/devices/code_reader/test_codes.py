"""Parsing scanned codes: appointment, pickup, hand-over, MRZ keys (check digits verified)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from bench.fuzz_targets.code_reader import TARGETS
from devices.code_reader.codes import CodeKind, mrz_check_digit, parse_code
from devices.model import InvalidData

TD3 = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
       "L898902C36UTO7408122F1204159ZE184226B<<<<<10")


@pytest.mark.parametrize("text, kind, value", [
    ("APPT-7K3M9Q2X", CodeKind.APPOINTMENT, "7K3M9Q2X"),
    ("PICKUP-12345678", CodeKind.PICKUP, "12345678"),
    (" 87654321\r", CodeKind.PICKUP, "87654321"),
    ("https://hall.example.gov.cn/h/AbCdEfGhIjKlMnOpQr_-12", CodeKind.HANDOVER,
     "AbCdEfGhIjKlMnOpQr_-12"),
    ("HANDOVER-0123456789abcdefXYZ", CodeKind.HANDOVER, "0123456789abcdefXYZ"),
    ("MRZ:L898902C<369080619406236", CodeKind.MRZ_KEY, "L898902C<369080619406236"),
])
def test_known_codes_parse(text, kind, value):
    code = parse_code(text, "QR_CODE")
    assert (code.kind, code.value, code.symbology) == (kind, value, "QR_CODE")


def test_a_whole_td3_mrz_gives_the_bac_key():
    code = parse_code(TD3)
    assert code.kind is CodeKind.MRZ_KEY
    assert code.value == "L898902C3674081221204159"
    assert code.fields == {"document_number": "L898902C3", "birth_date": "740812",
                           "expiry_date": "120415"}


def test_a_whole_td1_mrz_gives_the_bac_key():
    code = parse_code("I<UTOD231458907<<<<<<<<<<<<<<<\n"
                      "7408122F1204159UTO<<<<<<<<<<<6\n"
                      "ERIKSSON<<ANNA<MARIA<<<<<<<<<<")
    assert code.value == "D23145890774081221204159"


def test_icao_check_digit_vector():
    assert [mrz_check_digit(x) for x in ("L898902C<", "690806", "940623")] == [3, 1, 6]


@pytest.mark.parametrize("text", [
    "MRZ:L898902C<369080619406237",     # expiry check digit wrong
    "APPT-short", "1234567", "http://hall.example/h/AbCdEfGhIjKlMnOpQr", "", "x" * 5000,
])
def test_other_text_is_invalid_data(text):
    with pytest.raises(InvalidData):
        parse_code(text)


@settings(max_examples=2000, deadline=None)
@given(st.binary(max_size=200))
def test_scanner_lines_fail_only_with_invalid_data(data):
    parser, errors = TARGETS["code_reader_scanner_line"]
    try:
        parser(data)
    except errors:
        pass
