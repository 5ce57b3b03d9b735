"""DLE EOT status decoding, from the reply bytes of the command table (fixed bits 0xx1xx10)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.model import DeviceOffline, InvalidData
from devices.printer.status import Paper, StatusReplyError, decode_status, read_status

OK = (0x12, 0x12, 0x12, 0x12)  # n=1 online, n=2 no cause, n=3 no error, n=4 paper present


@pytest.mark.parametrize("replies, reason, paper", [
    (OK, "", Paper.OK),
    ((0x12, 0x12, 0x12, 0x1E), "", Paper.NEAR_END),        # n=4 bits 2,3: near-end sensor
    ((0x1A, 0x32, 0x12, 0x72), "paper out", Paper.OUT),     # n=4 bits 5,6; n=2 bit 5 stopped
    ((0x1A, 0x16, 0x12, 0x12), "cover open", Paper.OK),     # n=1 bit 3 offline; n=2 bit 2
    ((0x1A, 0x52, 0x1A, 0x12), "autocutter error", Paper.OK),     # n=3 bit 3
    ((0x1A, 0x52, 0x32, 0x12), "unrecoverable printer error", Paper.OK),  # n=3 bit 5
    ((0x1A, 0x52, 0x52, 0x12), "printer error (recovers automatically)", Paper.OK),  # bit 6
    ((0x1A, 0x52, 0x16, 0x12), "mechanical error", Paper.OK),     # n=3 bit 2
    ((0x1A, 0x52, 0x12, 0x12), "printer error", Paper.OK),        # n=2 bit 6 only
    ((0x1A, 0x12, 0x12, 0x12), "printer offline", Paper.OK),      # n=1 bit 3 only
])
def test_every_state_decodes(replies, reason, paper):
    state = decode_status(*replies)
    assert state.blocking_reason == reason
    assert state.paper is paper


def test_feed_button_and_waiting_flags():
    state = decode_status(0x72, 0x1A, 0x12, 0x12)   # n=1 bits 5, 6; n=2 bit 3
    assert state.waiting_online_recovery and state.feed_button_pressed and state.feeding_by_button


@pytest.mark.parametrize("bad", [0x00, 0x02, 0x10, 0x13, 0x92, 0xFF])
def test_bytes_without_the_fixed_bits_are_rejected(bad):
    with pytest.raises(StatusReplyError):
        decode_status(0x12, 0x12, 0x12, bad)


def test_an_empty_read_is_a_silent_printer_not_paper_ok():
    with pytest.raises(DeviceOffline):
        read_status(lambda request, timeout: b"", 0.1)


def test_read_status_sends_dle_eot_1_to_4():
    sent = []

    def exchange(request: bytes, timeout: float) -> bytes:
        sent.append(request)
        return b"\x12"
    read_status(exchange, 0.1)
    assert sent == [bytes.fromhex("10 04 01"), bytes.fromhex("10 04 02"),
                    bytes.fromhex("10 04 03"), bytes.fromhex("10 04 04")]


def test_a_multi_byte_reply_is_invalid():
    with pytest.raises(InvalidData):
        read_status(lambda request, timeout: b"\x12\x12", 0.1)


@settings(max_examples=2000, deadline=None)
@given(st.binary(max_size=8))
def test_fuzz_status_decoder_raises_only_clear_errors(data):
    from bench.fuzz_targets.printer import TARGETS
    parser, errors = TARGETS["printer_status"]
    try:
        parser(data)
    except errors:
        pass


def test_why_we_read_status_ourselves_python_escpos_31_reports_paper_ok_when_silent():
    from escpos.escpos import Escpos

    class Silent(Escpos):
        def _raw(self, msg: bytes) -> None:
            pass

        def _read(self) -> bytes:
            return b""

    assert Silent().paper_status() == 2          # "paper adequate" from no answer at all
    with pytest.raises(DeviceOffline):
        read_status(lambda request, timeout: b"", 0.1)
