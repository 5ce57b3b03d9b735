"""The SAM resident-ID reader over a pty: frames, every command and status code, layouts."""
from __future__ import annotations

from datetime import date

import pytest

from devices.id_reader import sam_protocol as sp
from devices.id_reader.errors import CardRemoved, NoCard, ParseError, VerificationFailed
from devices.id_reader.sam import SamIdReader
from devices.id_reader.sam_simulator import (FOREIGNER_2023_NUMBER, HMT_NUMBER,
                                             RESIDENT_NUMBER, SAM_ID, SAM_PROFILES, SamSimulator)
from devices.id_reader.sam_text import NATIONS, nation_name, parse_text
from devices.model import (Availability, Completion, DeviceHardwareError, DeviceOffline,
                           ErrorClass, UserError)
from foundation.clock import TestClock

H = bytes.fromhex


@pytest.mark.parametrize("command, frame", [
    (sp.RESET, "AAAAAA96690003 10FF EC"), (sp.STATUS, "AAAAAA96690003 11FF ED"),
    (sp.READ_SAM_ID, "AAAAAA96690003 12FF EE"), (sp.FIND_CARD, "AAAAAA96690003 2001 22"),
    (sp.SELECT_CARD, "AAAAAA96690003 2002 21"), (sp.READ_TEXT_PHOTO, "AAAAAA96690003 3001 32"),
    (sp.READ_ADDED_ADDRESS, "AAAAAA96690003 3003 30"),
    (sp.READ_TEXT_PHOTO_FINGERPRINT, "AAAAAA96690003 3010 23")])
def test_command_frames_match_the_reference(command, frame):
    assert sp.encode_command(command) == H(frame.replace(" ", ""))


def test_set_max_rf_bytes_frame():
    assert sp.encode_command(sp.SET_MAX_RF_BYTES, b"\x50") == H("AAAAAA966900046 1FF50CA"
                                                                 .replace(" ", ""))


@pytest.mark.parametrize("frame, sw3, data", [
    ("AAAAAA96690004000090 94", 0x90, ""), ("AAAAAA9669000800009F0000000097", 0x9F, "00000000"),
    ("AAAAAA96690004000080 84", 0x80, ""), ("AAAAAA96690004000081 85", 0x81, ""),
    ("AAAAAA96690004000041 45", 0x41, "")])
def test_response_frames_from_the_reference_parse(frame, sw3, data):
    response = sp.parse_response(H(frame.replace(" ", "")))
    assert (response.sw3, response.data) == (sw3, H(data))


@pytest.mark.parametrize("frame, problem", [
    ("AAAAAA96690004000090 95", "checksum"), ("AAAAAA966900040000", "truncated"),
    ("AAAAAA96690009000090 94", "declares"), ("AAAAAA97690004000090 94", "must start"),
    ("AAAAAA96690001 00 01", "impossible")])
def test_broken_response_frames_are_clear_errors(frame, problem):
    with pytest.raises(sp.SamFrameError, match=problem):
        sp.parse_response(H(frame.replace(" ", "")))


@pytest.fixture
def sim():
    with SamSimulator("resident") as simulator:
        yield simulator


@pytest.fixture
def reader(sim):
    device = SamIdReader("sam", SamIdReader.Settings(port=sim.path, timeout_s=0.3),
                         clock=TestClock())
    device.start()
    assert device.submit("ready", lambda token: None, internal=True).result(10).ok
    yield device
    device.stop()


def exchange(reader, command, data=b""):
    return reader.submit("exchange", lambda token: reader.exchange(command, data)).result(10)


def test_open_reads_sam_status_and_id(reader):
    assert reader.status.availability is Availability.ONLINE
    assert reader.status.identity.serial == SAM_ID.hex().upper()


@pytest.mark.parametrize("command, sw3, length", [
    (sp.RESET, 0x90, 0), (sp.STATUS, 0x90, 0), (sp.READ_SAM_ID, 0x90, 16),
    (sp.FIND_CARD, 0x9F, 4), (sp.SELECT_CARD, 0x90, 8), (sp.SET_MAX_RF_BYTES, 0x90, 0)])
def test_every_simple_command_is_answered(reader, command, sw3, length):
    response = exchange(reader, command).unwrap()
    assert (response.sw3, len(response.data)) == (sw3, length)


def test_read_commands_after_select(reader):
    exchange(reader, sp.SELECT_CARD).unwrap()
    content = sp.parse_card_content(exchange(reader, sp.READ_TEXT_PHOTO).unwrap().data)
    assert (len(content.text), len(content.photo)) == (256, 1024)
    with_fp = sp.parse_card_content(
        exchange(reader, sp.READ_TEXT_PHOTO_FINGERPRINT).unwrap().data, fingerprints=True)
    assert len(with_fp.fingerprints) == 1024 and with_fp.text == content.text
    address = exchange(reader, sp.READ_ADDED_ADDRESS).unwrap()
    assert address.sw3 == 0x90 and len(address.data) == 70


def test_no_added_address_is_status_91_not_an_error(reader, sim):
    sim.insert_card("hmt_permit")
    exchange(reader, sp.SELECT_CARD).unwrap()
    assert exchange(reader, sp.READ_ADDED_ADDRESS).unwrap().sw3 == sp.SW_NO_CONTENT


FAILING_CODES = [code for code, (_, kind) in sp.STATUS_CODES.items() if kind is not None]


@pytest.mark.parametrize("sw3", FAILING_CODES)
def test_every_failing_status_code_is_a_clear_error(reader, sim, sw3):
    sim.force_status(sp.READ_TEXT_PHOTO, sw3)
    result = reader.read().result(10)
    error = result.error
    assert error is not None and f"SAM status {sw3:02X}" in error.message
    expected = {0x80: NoCard, 0x81: CardRemoved, 0x41: CardRemoved, 0x40: UserError,
                0x31: VerificationFailed, 0x32: VerificationFailed, 0x33: VerificationFailed,
                0x10: DeviceOffline, 0x11: DeviceOffline}.get(sw3, DeviceHardwareError)
    assert isinstance(error, expected)
    if sw3 == 0x32:
        assert error.error_class is ErrorClass.FRAUD


def test_unknown_status_code_is_named(reader, sim):
    sim.force_status(sp.SELECT_CARD, 0x77)
    assert "undocumented status 77" in reader.read().result(10).error.message


def test_corrupted_and_truncated_answers_then_the_reader_goes_on(reader, sim):
    sim.fault("corrupted_frame")
    result = reader.read().result(10)
    assert isinstance(result.error, sp.SamFrameError) and "checksum" in result.error.message
    sim.fault("truncated_frame")
    result = reader.read().result(10)
    assert isinstance(result.error, sp.SamFrameError) and "broke off" in result.error.message
    assert result.completion is Completion.INVALID_DATA
    assert reader.read().result(10).ok


def test_removed_mid_read_then_no_card_then_next_card(reader, sim):
    sim.fault("removed_mid_read")
    assert isinstance(reader.read().result(10).error, CardRemoved)
    assert isinstance(reader.read().result(10).error, NoCard)
    sim.insert_card("resident")
    assert reader.read().result(10).ok


def test_the_sam_detecting_forged_data_is_reported(reader, sim):
    sim.fault("verification_failed")
    assert isinstance(reader.read().result(10).error, VerificationFailed)


def test_a_silent_reader_goes_offline(sim):
    device = SamIdReader("sam", SamIdReader.Settings(port=sim.path, timeout_s=0.2),
                         clock=TestClock())
    sim.stop()
    device.start()
    result = device.submit("ready", lambda token: None, internal=True).result(10)
    assert result.ok
    assert device.status.availability in (Availability.OFFLINE, Availability.NO_DEVICE)
    device.stop()


def test_resident_card(reader):
    document = reader.read().result(10).unwrap()
    assert document.document_type == "resident_id"
    assert (document.document_number, document.name_zh, document.sex, document.ethnicity) == \
        (RESIDENT_NUMBER, "张三", "M", "汉")
    assert document.birth_date == date(1990, 1, 1)
    assert (document.valid_from, document.expiry_date) == (date(2020, 1, 1), date(2040, 1, 1))
    assert document.issuing_authority == "深圳市公安局福田分局"
    assert document.valid_on(date(2040, 1, 1)) and not document.valid_on(date(2040, 1, 2))
    assert document.address == "广东省深圳市福田区福中三路1号 广东省深圳市南山区科技园1栋"
    assert document.photo.absent_reason.startswith("photo not available")
    assert {c.name: c.outcome for c in document.verification} == {
        "sam_card_authentication": "passed", "id_number_checksum": "passed"}
    assert RESIDENT_NUMBER not in repr(document) and "张三" not in repr(document)


def test_long_term_resident_card(reader, sim):
    sim.insert_card("resident_long_term")
    document = reader.read().result(10).unwrap()
    assert document.long_term_valid and document.expiry_date is None
    assert document.valid_on(date(2090, 1, 1)) and not document.valid_on(date(2009, 12, 31))
    assert (document.sex, document.ethnicity) == ("F", "回")


def test_hong_kong_macao_taiwan_residence_permit(reader, sim):
    sim.insert_card("hmt_permit")
    document = reader.read().result(10).unwrap()
    assert document.document_type == "hk_macao_taiwan_residence_permit"
    assert (document.document_number, document.name_zh) == (HMT_NUMBER, "陈大文")
    assert parse_text(SAM_PROFILES["hmt_permit"].text()).permit_number == "H12345678"
    assert document.ethnicity == ""


def test_foreign_permanent_resident_2017(reader, sim):
    sim.insert_card("foreigner_2017")
    document = reader.read().result(10).unwrap()
    assert document.document_type == "foreign_permanent_resident"
    assert (document.name_latin, document.name_zh, document.nationality) == \
        ("SMITH, JOHN", "史密斯", "USA")
    assert (document.document_number, document.birth_date) == ("USA441990010112",
                                                              date(1990, 1, 1))
    assert {c.name: c.outcome for c in document.verification}["id_number_checksum"] == \
        "not_checked"


def test_foreign_permanent_resident_2023(reader, sim):
    sim.insert_card("foreigner_2023")
    document = reader.read().result(10).unwrap()
    assert (document.name_latin, document.name_zh, document.nationality, document.sex) == \
        ("SMITH, JANE MARY ELIZABETH ANNE", "史密斯", "GBR", "F")
    assert document.document_number == FOREIGNER_2023_NUMBER
    assert document.verified


def test_nation_codes_to_names():
    assert len(NATIONS) == 58
    assert (nation_name("01"), nation_name("56"), nation_name("97")) == ("汉", "基诺", "其他")
    assert nation_name("98") == "外国血统中国籍人士"
    with pytest.raises(ParseError, match="GB/T 3304"):
        nation_name("57")


def test_text_with_a_bad_date_or_flag_is_a_parse_error():
    text = bytearray(SAM_PROFILES["resident"].text())
    text[36:52] = "19901301".encode("utf-16-le")
    with pytest.raises(ParseError, match="birth date"):
        parse_text(bytes(text))
    text = bytearray(SAM_PROFILES["resident"].text())
    text[248:250] = "Q".encode("utf-16-le")
    with pytest.raises(ParseError, match="layout flag"):
        parse_text(bytes(text))


def test_firmware_without_added_address_still_reads_text_and_photo(reader, sim, caplog):
    sim.force_status(sp.READ_ADDED_ADDRESS, sp.SW_UNKNOWN_COMMAND)
    with caplog.at_level("WARNING", logger="devices.id_reader.sam"):
        document = reader.read().result(10).unwrap()
    assert (document.document_number, document.name_zh) == (RESIDENT_NUMBER, "张三")
    assert document.address == "广东省深圳市福田区福中三路1号"
    assert document.photo.absent_reason.startswith("photo not available")
    missing = [r for r in caplog.records if getattr(r, "step", "") == "read added address"]
    assert missing and missing[0].sam_status == "21" and "added address" in missing[0].message
    assert reader.read().result(10).unwrap().address.endswith("南山区科技园1栋")


def test_other_failures_of_the_added_address_still_fail_the_read(reader, sim):
    sim.force_status(sp.READ_ADDED_ADDRESS, 0x24)
    assert "SAM status 24" in reader.read().result(10).error.message
