"""Passive Authentication end to end on virtual cards: every signature scheme, the CSCA
chain (passed / failed / not checked), and reads sized to what the card accepts."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from devices.id_reader.emrtd import read_emrtd
from devices.id_reader.sod import Outcome, load_csca_store
from devices.id_reader.transport import CountingConnection
from devices.id_reader.virtual_card.profiles import PROFILES, TestPki, make_card
from foundation.identity_validation import bac_key

PROFILE = PROFILES["resident_passport"]
NOW = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)


class Direct:
    """The virtual card straight behind the reader code (no transport)."""

    def __init__(self, card) -> None:
        self.card = card

    def transmit(self, apdu: bytes) -> bytes:
        return self.card.process(apdu)

    def disconnect(self) -> None:
        pass


def read(card, store=None, **options):
    connection = CountingConnection(Direct(card))
    document = read_emrtd(connection, bac_key(*PROFILE.access_key), now=NOW,
                          csca_store=store, timer=lambda: 0.0, **options)
    return document, connection.apdus


def outcomes(document) -> dict[str, str]:
    return {c.name: c.outcome for c in document.verification}


@pytest.mark.parametrize("scheme", ["rsa_pkcs1", "rsa_pss", "ecdsa"])
def test_every_signature_scheme_verifies(scheme):
    pki = TestPki.generate(scheme)
    document, _ = read(make_card(PROFILE, pki), [pki.csca_cert])
    assert outcomes(document)["sod_signature"] == Outcome.PASSED
    assert outcomes(document)["csca_chain"] == Outcome.PASSED
    assert document.verified


def test_chain_fails_against_another_csca(pki):
    other = TestPki.generate("ecdsa")
    document, _ = read(make_card(PROFILE, pki), [other.csca_cert])
    assert outcomes(document)["csca_chain"] == Outcome.FAILED
    assert not document.verified


def test_without_a_store_the_chain_is_not_checked_never_valid(pki):
    document, _ = read(make_card(PROFILE, pki))
    check = next(c for c in document.verification if c.name == "csca_chain")
    assert (check.outcome, check.detail) == (Outcome.NOT_CHECKED, "no CSCA store is configured")
    assert document.verified  # nothing failed, but nothing claims the chain is valid


def test_csca_store_from_a_folder(tmp_path, pki):
    from cryptography.hazmat.primitives import serialization
    (tmp_path / "csca.der").write_bytes(pki.csca_der())
    (tmp_path / "csca.pem").write_bytes(pki.csca_cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "README").write_text("not a certificate")
    store = load_csca_store(tmp_path)
    assert len(store) == 2
    document, _ = read(make_card(PROFILE, pki), store)
    assert outcomes(document)["csca_chain"] == Outcome.PASSED


def test_signer_outside_its_validity_fails_the_chain():
    pki = TestPki.generate("ecdsa", now=datetime(2000, 1, 1, tzinfo=timezone.utc))
    document, _ = read(make_card(PROFILE, pki), [pki.csca_cert])
    assert outcomes(document)["csca_chain"] == Outcome.FAILED


def test_reads_shrink_to_the_largest_response_the_card_accepts(pki):
    _, full = read(make_card(PROFILE, pki))
    _, small = read(make_card(PROFILE, pki, max_read=0x80))
    assert small > full  # the card answered 6C80 once and every later read asked for 0x80
    _, tiny = read(make_card(PROFILE, pki), max_read=0x40)
    assert tiny > small


def test_dates_and_names_from_dg1(pki):
    document, _ = read(make_card(PROFILE, pki))
    assert (document.birth_date, document.expiry_date) == (date(1990, 1, 1), date(2032, 1, 1))
    assert (document.name_latin, document.nationality, document.issuing_state) == \
        ("ZHANG SAN", "CHN", "CHN")


def test_photos_beyond_32_kb_are_read_with_odd_ins_read_binary(pki):
    from dataclasses import replace
    big = replace(PROFILE, photo_bytes=50_000)
    card = make_card(big, pki)
    odd_reads = []
    process = card.process
    card.process = lambda apdu: (odd_reads.append(apdu) if apdu[1] == 0xB1 else None) \
        or process(apdu)
    document, apdus = read(card)
    assert len(odd_reads) >= (50_000 - 0x7FFF) // 0xE7
    assert len(document.photo.data) == 50_000 and document.photo.format == "jpeg"
    assert {c.name: c.outcome for c in document.verification}["dg2_hash"] == Outcome.PASSED
    assert apdus > 50_000 // 0xE7


def test_a_card_refusing_reads_past_the_end_still_reads_in_large_chunks(pki):
    from devices.id_reader.virtual_card.card import VirtualEmrtd
    from devices.id_reader.virtual_card.profiles import build_files
    _, relaxed = read(make_card(PROFILE, pki))
    strict = VirtualEmrtd(build_files(PROFILE, pki), PROFILE.mrz_information(),
                          strict_length=True)
    document, apdus = read(strict)
    assert document.verified
    # one extra 4-byte header read per short file, and no shrinking of later chunks
    assert apdus <= relaxed + 8


class Answers:
    """The card's answers as the reader got them (their sizes and the READ BINARY count)."""

    def __init__(self, card) -> None:
        self.card, self.sizes, self.reads = card, [], 0

    def transmit(self, apdu: bytes) -> bytes:
        self.reads += apdu[1] in (0xB0, 0xB1)
        answer = self.card.process(apdu)
        self.sizes.append(len(answer))
        return answer

    def disconnect(self) -> None:
        pass


def read_through(connection, **options):
    return read_emrtd(connection, bac_key(*PROFILE.access_key), now=NOW, timer=lambda: 0.0,
                      **options)


@pytest.mark.parametrize("photo_bytes", [20_000, 50_000])
def test_a_chip_offering_extended_length_is_read_in_one_read_per_file(pki, photo_bytes):
    from dataclasses import replace
    answers = Answers(make_card(replace(PROFILE, photo_bytes=photo_bytes), pki,
                                max_response=65535))
    document = read_through(answers, csca_store=[pki.csca_cert])
    assert document.verified and len(document.photo.data) == photo_bytes
    # EF.ATR/INFO, then EF.COM, DG1, DG2, DG11, DG12 and EF.SOD: one READ BINARY each
    assert answers.reads == 1 + 6
    assert max(answers.sizes) > photo_bytes


def test_extended_reads_stay_within_the_answer_size_the_chip_states(pki):
    answers = Answers(make_card(PROFILE, pki, max_response=1000))
    document = read_through(answers, csca_store=[pki.csca_cert])
    assert document.verified
    assert max(answers.sizes) <= 1000
    assert answers.reads < 1 + 6 + 20_000 // 0xE7 // 3  # far fewer than 231-byte reads


def test_a_chip_without_ef_atr_info_is_read_in_short_length(pki):
    answers = Answers(make_card(PROFILE, pki))
    document = read_through(answers, csca_store=[pki.csca_cert])
    assert document.verified
    assert max(answers.sizes) <= 256
    assert answers.reads > 20_000 // 0xE7
