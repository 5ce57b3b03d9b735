"""Every lock-board frame, byte-exact, from the reference command tables
(device-protocols.md section 3); never produced by our encoder."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.fuzz_targets.locker import SEEDS, TARGETS
from devices.locker.codecs import FrameError, KerongCu16, Request, RequestKind, Xor8A

OPEN, QUERY, ALL = RequestKind.OPEN, RequestKind.QUERY, RequestKind.QUERY_ALL
xor8a, cu16 = Xor8A(), KerongCu16()


# --- 8A/80 XOR family: CK = XOR of the preceding bytes --------------------------------

@pytest.mark.parametrize("request_, frame", [
    (Request(OPEN, 1, 1), "8A 01 01 11 9B"),    # open board 1 lock 1 (reference example)
    (Request(QUERY, 1, 1), "80 01 01 33 B3"),   # query one (reference example)
    (Request(ALL, 1), "80 01 00 33 B2"),        # query all board 1 (reference example)
    (Request(ALL, 2), "80 02 00 33 B1"),        # encodeQueryAllRequest(2) in the JS codec test
    (Request(OPEN, 3, 32), "8A 03 20 11 B8"),   # 8A^03^20^11 = B8
])
def test_xor8a_requests(request_, frame):
    assert xor8a.encode(request_) == bytes.fromhex(frame)
    assert xor8a.decode_request(bytes.fromhex(frame)) == request_


@pytest.mark.parametrize("request_, frame, levels", [
    (Request(OPEN, 1, 1), "80 01 01 11 91", {1: True}),     # reply 80 .. 11: level high
    (Request(OPEN, 1, 1), "8A 01 01 11 9B", {1: True}),     # boards that echo 8A
    (Request(OPEN, 1, 1), "80 01 01 00 80", {1: False}),    # 00: level low
    (Request(QUERY, 1, 5), "80 01 05 00 84", {5: False}),
])
def test_xor8a_single_replies(request_, frame, levels):
    assert xor8a.decode_reply(request_, bytes.fromhex(frame)).levels == levels


def test_xor8a_query_all_reply_bit0_is_the_lowest_lock():
    # 80 BB S25-32 S17-24 S9-16 S1-8 33 CK: locks 1, 9, 32 high
    frame = bytes.fromhex("80 01 80 00 01 01 33 32")  # 80^01^80^00^01^01^33 = 32
    levels = xor8a.decode_reply(Request(ALL, 1), frame).levels
    assert {lock for lock, high in levels.items() if high} == {1, 9, 32}
    assert xor8a.encode_reply(Request(ALL, 1), levels) == frame


@pytest.mark.parametrize("frame, message", [
    ("80 01 01 11 92", "checksum"),
    ("80 01 01 11", "must be 5 bytes"),
    ("80 02 01 11 92", "from board 2"),
    ("80 01 02 11 92", "for lock 2"),
    ("80 01 01 22 A2", "neither 11 nor 00"),
    ("8A 01 01 11 9B", "starts with 0x8A"),     # 8A only answers an open
])
def test_xor8a_bad_replies(frame, message):
    with pytest.raises(FrameError, match=message):
        xor8a.decode_reply(Request(QUERY, 1, 1), bytes.fromhex(frame))


# --- Kerong CU16: SUM = sum of the previous bytes & FF ------------------------------

@pytest.mark.parametrize("request_, frame", [
    (Request(OPEN, 0, 1), "02 00 31 03 36"),    # unlock b0 l0 (reference example)
    (Request(QUERY, 0, 1), "02 00 30 03 35"),   # status (reference example)
    (Request(OPEN, 1, 6), "02 15 31 03 4B"),    # b1 l5 (reference example, 0-based lock 5)
    (Request(QUERY, 15, 16), "02 FF 30 03 34"),  # 02+FF+30+03 = 134 -> 34
])
def test_cu16_requests(request_, frame):
    assert cu16.encode(request_) == bytes.fromhex(frame)
    assert cu16.decode_request(bytes.fromhex(frame)) == request_


def test_cu16_read_all_is_the_board_status_command():
    assert cu16.encode(Request(ALL, 1)) == bytes.fromhex("02 10 30 03 45")


def test_cu16_status_reply_hooks():
    # 02 ADDR 35 hook1-8 hook9-16 IR1-8 IR9-16 03 SUM: locks 1, 3 and 16 high
    frame = bytes.fromhex("02 10 35 05 80 00 00 03 CF")  # 02+10+35+05+80+03 = CF
    levels = cu16.decode_reply(Request(ALL, 1), frame).levels
    assert {lock for lock, high in levels.items() if high} == {1, 3, 16}
    assert cu16.decode_reply(Request(QUERY, 1, 3), frame).levels == {3: True}
    assert cu16.encode_reply(Request(QUERY, 1, 1), levels) == frame


@pytest.mark.parametrize("frame, message", [
    ("02 10 35 05 80 00 00 03 CE", "checksum"),
    ("02 10 35 05 80 00 00 03", "must be 9 bytes"),
    ("02 20 35 05 80 00 00 03 DF", "from board 2"),
    ("02 10 36 05 80 00 00 03 D0", "is not 35"),
    ("03 10 35 05 80 00 00 02 CF", "STX/ETX"),
])
def test_cu16_bad_replies(frame, message):
    with pytest.raises(FrameError, match=message):
        cu16.decode_reply(Request(QUERY, 1, 1), bytes.fromhex(frame))


def test_out_of_range_requests_are_refused():
    with pytest.raises(ValueError):
        cu16.encode(Request(OPEN, 16, 1))
    with pytest.raises(ValueError):
        xor8a.encode(Request(OPEN, 1, 33))


def _mutate(seed: bytes, at: int, value: int) -> bytes:
    at %= len(seed)
    return seed[:at] + bytes([value]) + seed[at + 1:]


def _frames():
    seeds = sorted({frame for frames in SEEDS.values() for frame in frames})
    return st.one_of(st.binary(max_size=12),
                     st.builds(_mutate, st.sampled_from(seeds), st.integers(0, 63),
                               st.integers(0, 255)))


@settings(max_examples=2000, deadline=None)
@given(st.sampled_from(sorted(TARGETS)), _frames())
def test_fuzz_frame_decoders_raise_only_frame_errors(name, frame):
    parse, errors = TARGETS[name]
    try:
        parse(frame)
    except errors:
        pass
