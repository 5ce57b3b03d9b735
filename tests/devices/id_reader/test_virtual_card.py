"""The virtual eMRTD on its own: independent of the reader's secure messaging, ISO 7816 answers."""
from __future__ import annotations

import ast
from pathlib import Path

import devices.id_reader.virtual_card as virtual_card
from devices.id_reader.virtual_card.card import ATR, VirtualEmrtd
from devices.id_reader.virtual_card.profiles import PROFILES, make_card

READER_CRYPTO = {"devices.id_reader.secure_messaging", "devices.id_reader.bac",
                 "devices.id_reader.emrtd"}


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
        elif isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
    return modules


def test_the_virtual_card_does_not_use_the_readers_secure_messaging():
    for path in Path(virtual_card.__file__).parent.glob("*.py"):
        assert not imported_modules(path) & READER_CRYPTO, path.name


def answer(card: VirtualEmrtd, hex_apdu: str) -> str:
    return card.process(bytes.fromhex(hex_apdu)).hex().upper()


def test_plain_commands_before_and_without_bac(pki):
    card = make_card(PROFILES["icao_specimen"], pki)
    assert card.atr == ATR
    assert answer(card, "00A4020C02011E") == "6982"          # nothing before the application
    assert answer(card, "00A4040C07A0000002471002") == "6A82"  # another AID
    assert answer(card, "00A4040C07A0000002471001") == "9000"
    assert answer(card, "00A4020C02011E") == "6982"          # files need BAC
    assert answer(card, "0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800") == "6988"
    assert answer(card, "0082000028" + "00" * 40 + "28") == "6982"  # no challenge asked
    assert answer(card, "0084000004") == "6700"
    assert answer(card, "00A4") == "6700"
    assert answer(card, "80A4040C07A0000002471001") == "6E00"
    assert answer(card, "00CA000000") == "6982"
