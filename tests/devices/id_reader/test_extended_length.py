"""Extended-length APDUs and the read size a chip's EF.ATR/INFO allows (reads through
the card: tests/devices/id_reader/test_passive_authentication.py and test_pcsc_vpcd.py)."""
from __future__ import annotations

import pytest

from devices.id_reader.apdu import CommandApdu
from devices.id_reader.emrtd import extended_read_size


def test_extended_length_apdus_encode_lc_and_le_in_two_bytes():
    assert CommandApdu(0x00, 0xB0, 0x00, 0x00, le=256).to_bytes().hex() == "00b0000000"
    assert CommandApdu(0x00, 0xB0, 0x00, 0x00, le=65536).to_bytes().hex() == "00b0000000" "0000"
    assert CommandApdu(0x00, 0xB0, 0x01, 0x02, le=1000).to_bytes().hex() == "00b00102" "0003e8"
    assert CommandApdu(0x0C, 0xB0, 0x00, 0x00, b"\x97\x02\x03\xe8", le=65536).to_bytes().hex() \
        == "0cb00000" "000004" "970203e8" "0000"


@pytest.mark.parametrize("atr_info, expected", [
    (bytes.fromhex("7F66080202FFFF0202FFFF"), 65511),
    (bytes.fromhex("7F660802020400020203E8"), 975),
    (bytes.fromhex("7F660802020100020201000000"), None),  # no larger than short length
    (bytes.fromhex("7F6604020203E8"), None),                # the answer limit is missing
    (bytes.fromhex("470300C0"), None),                     # capabilities only, no sizes
    (bytes.fromhex("7F6610"), None),                       # truncated
])
def test_the_extended_read_size_comes_from_ef_atr_info(atr_info, expected):
    assert extended_read_size(atr_info) == expected
