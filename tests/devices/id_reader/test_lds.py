"""LDS parsing: TLV, EF.COM, DG1 (TD1/TD2/TD3), DG2 containers built in the test."""
from __future__ import annotations

from datetime import date

import pytest

from devices.id_reader import tlv
from devices.id_reader.errors import ParseError
from devices.id_reader.face_image import parse_iso19794_5, parse_iso39794_5
from devices.id_reader.lds import mrz_date, parse_dg1, parse_dg2, parse_ef_com, parse_mrz
from devices.id_reader.virtual_card.profiles import (PROFILES, build_dg2, iso19794_record,
                                                     iso39794_record, synthetic_jpeg)
from foundation.identity_validation import mrz_check_digit

TD3 = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
       "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
TD1 = ("I<UTOD231458907<<<<<<<<<<<<<<<"
       "7408122F1204159UTO<<<<<<<<<<<6"
       "ERIKSSON<<ANNA<MARIA<<<<<<<<<<")
TD2 = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<D231458907UTO7408122F1204159<<<<<<<6"


def test_tlv_multi_byte_tags_and_long_lengths():
    encoded = tlv.encode(0x7F61, b"\x01" * 300)
    element = tlv.parse_one(encoded)
    assert (element.tag, len(element.value), element.end) == (0x7F61, 300, len(encoded))
    assert element.constructed


@pytest.mark.parametrize("raw", ["", "5F", "5F1F", "5F1F05414243", "61848000000001", "6180"])
def test_tlv_truncated_or_unsupported_input_is_a_parse_error(raw):
    with pytest.raises(ParseError):
        tlv.parse_all(bytes.fromhex(raw) or b"\x5f")


def test_ef_com_of_appendix_d():
    com = parse_ef_com(bytes.fromhex("60145F0104303130365F36063034303030305C026175"))
    assert (com.lds_version, com.unicode_version, com.data_groups) == ("0106", "040000", (1, 2))


@pytest.mark.parametrize("mrz, layout, number, code", [(TD3, "TD3", "L898902C3", "P"),
                                                       (TD1, "TD1", "D23145890", "I"),
                                                       (TD2, "TD2", "D23145890", "I")])
def test_dg1_layouts_parse_with_check_digits(mrz, layout, number, code):
    parsed = parse_dg1(tlv.encode(0x61, tlv.encode(0x5F1F, mrz.encode())))
    assert (parsed.layout, parsed.document_number, parsed.document_code) == (layout, number, code)
    assert (parsed.surname, parsed.given_names, parsed.sex) == ("ERIKSSON", "ANNA MARIA", "F")
    assert (parsed.birth_yymmdd, parsed.expiry_yymmdd, parsed.nationality) == \
        ("740812", "120415", "UTO")
    assert parsed.check_digits_ok, parsed.checks
    assert "ERIKSSON" not in repr(parsed)


def test_a_wrong_check_digit_is_reported_by_field():
    broken = TD3[:44 + 9] + "7" + TD3[44 + 10:]
    parsed = parse_mrz(broken)
    assert parsed.checks["document_number"] is False and not parsed.check_digits_ok


def test_the_china_specific_permit_mrz_is_not_read_as_td1():
    with pytest.raises(ParseError, match="China-specific"):
        parse_mrz("CS" + TD1[2:])


@pytest.mark.parametrize("profile", list(PROFILES))
def test_profiles_build_mrzs_whose_check_digits_hold(profile):
    assert parse_mrz(PROFILES[profile].mrz()).check_digits_ok


def test_mrz_dates_choose_the_century():
    today = date(2026, 11, 26)
    assert mrz_date("690806", today=today, future=False) == date(1969, 8, 6)
    assert mrz_date("200101", today=today, future=False) == date(2020, 1, 1)
    assert mrz_date("320101", today=today, future=True) == date(2032, 1, 1)
    assert mrz_date("940623", today=today, future=True) == date(1994, 6, 23)
    assert mrz_date("991399", today=today, future=True) is None


@pytest.mark.parametrize("face_format", ["19794", "39794"])
def test_dg2_built_either_way_returns_the_same_jpeg(face_format):
    jpeg = synthetic_jpeg(5000)
    assert len(jpeg) == 5000
    assert parse_dg2(build_dg2(jpeg, face_format)) == jpeg


def test_face_records_round_trip():
    jpeg = synthetic_jpeg(3000)
    assert parse_iso19794_5(iso19794_record(jpeg)) == jpeg
    assert parse_iso39794_5(iso39794_record(jpeg)) == jpeg


def test_a_face_record_without_a_known_image_is_rejected():
    with pytest.raises(ParseError, match="neither JPEG nor JPEG 2000"):
        parse_iso19794_5(iso19794_record(b"GIF89a" + bytes(40)))


def test_dg11_national_name_and_details():
    from devices.id_reader.lds import parse_dg11
    dg11 = tlv.encode(0x6B, tlv.encode(0x5C, b"\x5f\x0e\x5f\x2b\x5f\x42")
                      + tlv.encode(0x5F0E, "张<<三".encode())
                      + tlv.encode(0x5F2B, b"19900101")
                      + tlv.encode(0x5F42, "深圳市<福田区".encode()))
    details = parse_dg11(dg11)
    assert (details.full_name, details.full_birth_date, details.address) == \
        ("张三", date(1990, 1, 1), "深圳市 福田区")
    assert "张" not in repr(details)
    latin = parse_dg11(tlv.encode(0x6B, tlv.encode(0x5F0E, b"ERIKSSON<<ANNA<MARIA")))
    assert latin.full_name == "ERIKSSON ANNA MARIA"
    with pytest.raises(ParseError, match="UTF-8"):
        parse_dg11(tlv.encode(0x6B, tlv.encode(0x5F0E, b"\xff\xfe")))


def test_dg12_issuing_authority_and_date_of_issue():
    from devices.id_reader.lds import parse_dg12
    dg12 = tlv.encode(0x6C, tlv.encode(0x5F19, "国家移民管理局".encode())
                      + tlv.encode(0x5F26, b"20220101"))
    assert (parse_dg12(dg12).issuing_authority, parse_dg12(dg12).date_of_issue) == \
        ("国家移民管理局", date(2022, 1, 1))
    assert parse_dg12(tlv.encode(0x6C, tlv.encode(0x5F26, b"20221399"))).date_of_issue is None


@pytest.mark.parametrize("digit, ok", [("<", True), ("0", True), ("7", False), ("A", False)])
def test_an_unused_optional_data_field_carries_filler_or_zero(digit, ok):
    line2 = "L898902C36UTO7408122F1204159" + "<" * 14 + digit
    composite = line2[0:10] + line2[13:20] + line2[21:43]
    mrz = TD3[:44] + line2 + mrz_check_digit(composite)
    parsed = parse_mrz(mrz)
    assert parsed.checks["composite"] is True  # only the field check can catch it
    assert parsed.checks.get("optional_data", True) is ok and parsed.check_digits_ok is ok
