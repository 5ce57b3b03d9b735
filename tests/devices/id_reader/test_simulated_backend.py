"""The simulated backend: the real reading code against the in-process virtual card."""
from __future__ import annotations

import logging
from datetime import date

import pytest

from devices.id_reader.errors import (AccessDenied, CardRemoved, NoCard, ParseError,
                                      VerificationFailed)
from devices.id_reader.simulated import SimulatedIdReader
from devices.id_reader.sod import Outcome
from devices.model import Availability, Completion, UnitState
from devices.simulator import SimulatorError
from foundation.clock import TestClock
from foundation.identity_validation import bac_key


@pytest.fixture
def reader():
    device = SimulatedIdReader("id_card_reader", SimulatedIdReader.Settings(), clock=TestClock())
    events: list[str] = []
    device.subscribe(lambda event: events.append(event.name))
    device.events = events
    device.start()
    yield device
    device.stop()


def outcomes(document) -> dict[str, str]:
    return {c.name: c.outcome for c in document.verification}


def test_reads_the_virtual_passport_and_passes_every_check(reader):
    document = reader.read().result(10).unwrap()
    assert document.document_type == "passport"
    assert (document.document_number, document.name_latin, document.sex) == \
        ("E12345678", "ZHANG SAN", "M")
    assert document.name_zh == "张三" and document.name == "张三"  # from DG11
    assert (document.issuing_authority, document.valid_from) == ("国家移民管理局",
                                                                 date(2022, 1, 1))  # DG12
    assert document.photo.format == "jpeg" and len(document.photo.data) == 20000
    assert outcomes(document) == {"mrz_check_digits": "passed", "dg1_hash": "passed",
                                  "dg2_hash": "passed", "dg11_hash": "passed",
                                  "dg12_hash": "passed",
                                  "sod_message_digest": "passed",
                                  "sod_signature": "passed", "csca_chain": "passed"}
    assert document.verified


def test_identity_says_it_is_simulated_without_pcscd(reader):
    reader.read().result(10)
    identity = reader.status.identity
    assert identity.backend == "simulated" and "in-process" in identity.model
    assert "no pcscd" in identity.model


def test_repr_and_str_mask_personal_data(reader):
    document = reader.read().result(10).unwrap()
    for text in (repr(document), str(document)):
        assert "E12345678" not in text and "ZHANG" not in text and "1990" not in text
        assert "<masked>" in text


def test_typed_key_is_used_when_given(reader):
    ok = reader.read(bac_key("E12345678", "900101", "320101")).result(10)
    assert ok.ok
    wrong = reader.read(bac_key("E12345670", "900101", "320101")).result(10)
    assert isinstance(wrong.error, AccessDenied) and wrong.completion is Completion.USER_ERROR


def test_wrong_key_fault(reader):
    reader.simulate("fault", name="wrong_key")
    result = reader.read().result(10)
    assert isinstance(result.error, AccessDenied)
    assert reader.read().result(10).ok  # one-shot


def test_removal_mid_read_then_next_card_reads(reader):
    reader.simulate("fault", name="removed_mid_read")
    result = reader.read().result(10)
    assert isinstance(result.error, CardRemoved)
    assert reader.status.availability is Availability.ONLINE
    assert reader.status.units["card"] is UnitState.EMPTY
    assert isinstance(reader.read().result(10).error, NoCard)
    reader.simulate("insert_card", profile="icao_specimen")
    document = reader.read().result(10).unwrap()
    assert document.name_latin == "ERIKSSON ANNA MARIA" and document.verified
    assert reader.events.count("cardRemoved") == 1 and reader.events.count("cardInserted") == 2


def test_corrupted_data_group_is_reported_as_a_hash_mismatch(reader):
    reader.simulate("fault", name="corrupted_data_group")
    document = reader.read().result(10).unwrap()
    assert outcomes(document)["dg1_hash"] == Outcome.FAILED
    assert outcomes(document)["sod_signature"] == Outcome.PASSED
    assert not document.verified


def test_bad_sod_signature_is_reported(reader):
    reader.simulate("fault", name="bad_sod_signature")
    document = reader.read().result(10).unwrap()
    assert outcomes(document)["sod_signature"] == Outcome.FAILED
    assert outcomes(document)["dg1_hash"] == Outcome.PASSED
    assert [c.name for c in document.failed_checks()] == ["sod_signature"]


def test_removed_reader_is_no_device_and_heals_on_replug(reader):
    reader.simulate("remove")
    assert reader.read().result(10).completion is Completion.DEVICE_NOT_READY
    reader.simulate("replug")
    assert reader.read().result(10).ok


def test_unknown_profile_and_fault_are_clear_errors(reader):
    with pytest.raises(SimulatorError, match="known: icao_specimen"):
        reader.simulate("insert_card", profile="nope")
    with pytest.raises(SimulatorError, match="known faults"):
        reader.simulate("fault", name="nope")


def test_39794_permit_card_profile(reader):
    reader.simulate("insert_card", profile="travel_permit_card")
    document = reader.read().result(10).unwrap()
    assert document.document_type == "travel_permit" and document.photo.available
    assert document.verified


def test_resident_id_card_through_the_sam_reader_code(reader):
    reader.simulate("insert_card", profile="resident")
    document = reader.read().result(10).unwrap()
    assert document.document_type == "resident_id" and document.source == "sam"
    assert document.name_zh == "张三" and document.ethnicity == "汉"
    assert document.reader.startswith("simulated (SAM")
    assert document.photo.absent_reason.startswith("photo not available")


@pytest.mark.parametrize("fault, error", [("removed_mid_read", CardRemoved),
                                          ("bad_sod_signature", VerificationFailed),
                                          ("corrupted_data_group", ParseError)])
def test_faults_on_a_sam_card(reader, fault, error):
    reader.simulate("insert_card", profile="hmt_permit")
    reader.simulate("fault", name=fault)
    assert isinstance(reader.read().result(10).error, error)
    if fault == "removed_mid_read":
        assert reader.status.units["card"] is UnitState.EMPTY
        reader.simulate("insert_card", profile="foreigner_2023")
    assert reader.read().result(10).ok


def test_removing_a_sam_card(reader):
    reader.simulate("insert_card", profile="resident")
    assert reader.read().result(10).ok
    reader.simulate("remove_card")
    assert isinstance(reader.read().result(10).error, NoCard)


def test_nothing_personal_reaches_the_logs(reader, caplog):
    caplog.set_level(logging.DEBUG)
    for profile in ("resident_passport", "resident"):
        reader.simulate("insert_card", profile=profile)
        assert reader.read().result(10).ok
    reader.simulate("fault", name="corrupted_data_group")
    reader.read().result(10)
    logged = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    for personal in ("E12345678", "ZHANG", "张三", "19900101", "1990-01-01", "440304",
                     "福田"):
        assert personal not in logged


def test_cancel_while_the_card_is_slow(reader):
    reader.simulate("delay", seconds=5)
    command = reader.read()
    command.cancel()
    reader.clock.advance(5)
    assert command.result(10).completion is Completion.CANCELED
    reader.simulate("delay", seconds=0)
    assert reader.read().result(10).ok


def test_a_read_that_takes_too_long_times_out(reader):
    reader.simulate("delay", seconds=60)
    command = reader.read(timeout=30)
    reader.clock.advance(30)
    assert command.result(10).completion is Completion.TIMEOUT
    reader.simulate("delay", seconds=0)
    reader.clock.advance(60)
    assert reader.read().result(10).ok


@pytest.mark.parametrize("max_response, extended_length, at_most, at_least", [
    (65535, True, 20, 0),     # EF.ATR/INFO offers extended length: one read per file
    (0, True, 200, 100),      # a short-length chip: 231-byte reads, as before
    (65535, False, 200, 100),  # extended length turned off for the reader
])
def test_the_virtual_chip_is_read_in_extended_length_when_it_offers_it(
        caplog, max_response, extended_length, at_most, at_least):
    device = SimulatedIdReader("id_card_reader", SimulatedIdReader.Settings(
        max_response=max_response, extended_length=extended_length), clock=TestClock())
    device.start()
    try:
        with caplog.at_level(logging.INFO, logger="devices.id_reader.reader"):
            document = device.read().result(10).unwrap()
    finally:
        device.stop()
    assert document.verified and len(document.photo.data) == 20000
    apdus = next(r.apdus for r in caplog.records if r.getMessage() == "identity document read")
    assert at_least <= apdus <= at_most
