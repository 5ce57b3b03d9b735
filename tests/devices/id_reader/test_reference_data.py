"""The public reference data in ../shared/data/emrtd: BSI SOD, 19794-5 and 39794-5 records."""
from __future__ import annotations

import hashlib

import pytest

from devices.id_reader.face_image import decode_image, parse_iso19794_5, parse_iso39794_5
from devices.id_reader.lds import parse_dg2
from devices.id_reader.sod import (LDS_SECURITY_OBJECT_OID, Outcome, check_message_digest,
                                   check_signature, parse_sod)
from tests.conftest import shared_data


def read(name: str) -> bytes:
    return shared_data("emrtd", name).read_bytes()


def test_bsi_sod_parses_with_its_five_data_group_hashes():
    sod = parse_sod(read("bsi_tr03105_ef_sod.bin"))
    assert sod.hash_algorithm == "sha256"
    assert sorted(sod.data_group_hashes) == [1, 2, 3, 4, 14]
    assert sod.data_group_hashes[1].hex().upper() == \
        "4170CA879FCE6A22FFEF1567FF88079F415C66EAD250AB5F23781AC2CDBF42B6"
    assert sod.content_type == LDS_SECURITY_OBJECT_OID


def test_bsi_sod_message_digest_matches_its_econtent():
    sod = parse_sod(read("bsi_tr03105_ef_sod.bin"))
    assert hashlib.sha256(sod.econtent).hexdigest().upper() == \
        "B46A0D05E280F398EFEEEBFF67E78C736ADD15E75670B1AD4C6C534E8187B9D6"
    assert sod.message_digest == hashlib.sha256(sod.econtent).digest()
    assert check_message_digest(sod).outcome == Outcome.PASSED


def test_bsi_sod_rsassa_pss_signature_verifies_with_the_signer_beside_it():
    sod = parse_sod(read("bsi_tr03105_ef_sod.bin"))
    assert (sod.signature_algorithm, sod.pss_hash, sod.pss_salt_length) == \
        ("rsassa_pss", "sha256", 32)
    result = check_signature(sod, read("bsi_tr03105_dsc_0142fd5cf927.cer"))
    assert result.outcome == Outcome.PASSED


def test_bsi_sod_signature_fails_when_the_signed_attributes_change():
    raw = bytearray(read("bsi_tr03105_ef_sod.bin"))
    sod = parse_sod(bytes(raw))
    at = raw.index(sod.message_digest)
    raw[at] ^= 0x01
    altered = parse_sod(bytes(raw))
    assert check_signature(altered, read("bsi_tr03105_dsc_0142fd5cf927.cer")).outcome == \
        Outcome.FAILED
    assert check_message_digest(altered).outcome == Outcome.FAILED


def test_iso19794_5_record_yields_the_identical_jpeg():
    image = parse_iso19794_5(read("ISO19794_Test1_Data.bin"))
    assert image == read("ISO19794_Test1_Face.jpg")
    assert decode_image(image).format == "jpeg"


@pytest.mark.parametrize("record", ["ICAO_39794_5_AP_AllFields.dat",
                                    "ICAO_39794_5_AP_MandFields.dat"])
def test_iso39794_5_records_yield_the_identical_image(record):
    image = parse_iso39794_5(read(record))
    assert image == read("ICAO_39794_5_AP_Face.jpg")
    decoded = decode_image(image)
    assert decoded.format == "jp2" and decoded.width > 0


@pytest.mark.parametrize("dg2", ["ICAO_39794_5_AP_DG2_AllFields.dat",
                                 "ICAO_39794_5_AP_DG2_MandFields.dat"])
def test_whole_dg2_files_with_39794_5_yield_the_identical_image(dg2):
    assert parse_dg2(read(dg2)) == read("ICAO_39794_5_AP_DG2_Face.jpg")
