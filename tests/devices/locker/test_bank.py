"""The locker bank over a pty for both codecs: the real RS-485 driver against the board
simulator, with its faults."""
from __future__ import annotations

import pytest

from devices.locker import board_simulator
from devices.locker.bank import CompartmentNotFound
from devices.model import Availability, Completion, Severity, UnitState
from tests.devices.locker.conftest import make_bank


def poll(bank) -> None:
    """One door poll: advance the clock to the next tick and wait for the poll to finish."""
    bank.clock.advance(bank.settings.poll_s)
    assert bank.read_all().result(10).ok  # queued behind the poll


def test_open_reports_the_door_open_on_both_polarities(bank):
    for number in (3, 12):  # board 1 (open = high) and board 2 (open = low)
        result = bank.open(number).result(10)
        assert result.completion is Completion.SUCCESS
        assert result.value.opened
        assert bank.log.wait_for("opened", number)
        assert bank.status.units[f"compartment-{number}"] is UnitState.OPEN


def test_read_one_and_read_all(bank):
    bank.simulate("force_open", compartment=10)
    assert bank.read(10).result(10).value is True
    assert bank.read(9).result(10).value is False
    states = bank.read_all().result(10).value
    assert set(states) == set(range(1, 17))
    assert [n for n, is_open in states.items() if is_open] == [10]


def test_closing_the_door_is_an_event(bank):
    bank.open(4).result(10)
    bank.simulate("close", compartment=4)
    poll(bank)
    assert bank.log.wait_for("closed", 4)
    assert bank.status.units["compartment-4"] is UnitState.CLOSED


def test_forced_open_is_an_alarm(bank):
    bank.simulate("force_open", compartment=7)
    poll(bank)
    assert bank.log.wait_for("forcedOpen", 7)
    assert ("forcedOpen", {"compartment": 7, "error_class": "fraud"}) in bank.log.events
    assert "opened" not in bank.log.names()


def test_door_left_open_past_the_limit(bank):
    bank.open(2).result(10)
    bank.clock.advance(30)
    bank.read_all().result(10)
    assert "leftOpen" not in bank.log.names()
    for _ in range(31):
        bank.clock.advance(1)
    assert bank.read_all().result(10).ok
    assert bank.log.wait_for("leftOpen", 2)
    assert bank.log.names().count("leftOpen") == 1  # once, not at every poll


def test_jammed_door_never_reports_open(bank):
    bank.simulate("jam", compartment=5)
    result = bank.open(5).result(10)
    assert result.ok and not result.value.opened
    for _ in range(5):
        poll(bank)
    assert bank.log.wait_for("jammed", 5)
    assert bank.status.units["compartment-5"] is UnitState.JAMMED


def test_no_reply_to_a_query_is_retried(bank):
    bank.simulate("fault", name="no_reply")
    assert bank.read(1).result(10).ok
    assert bank.status.availability is Availability.ONLINE


def test_no_reply_to_an_open_is_outcome_unknown_and_never_resent(bank):
    sent_before = bank.boards.requests.count
    bank.simulate("fault", name="no_reply")
    result = bank.open(6).result(10)
    assert result.completion is Completion.OUTCOME_UNKNOWN
    # exactly one frame went out: an open is never retried blindly
    assert bank.boards.requests.count == sent_before + 1
    # the board did act; the next poll after the reopen reconciles it as a commanded open
    bank.clock.advance(1)
    assert bank.read_all().result(10).ok
    assert bank.status.units["compartment-6"] is UnitState.OPEN
    assert bank.log.wait_for("opened", 6)
    assert "forcedOpen" not in bank.log.names()


def test_bad_checksum_on_a_query_is_retried(bank):
    bank.simulate("fault", name="bad_checksum")
    assert bank.read(1).result(10).ok


def test_bad_checksum_on_an_open_is_outcome_unknown(bank):
    bank.simulate("fault", name="bad_checksum")
    result = bank.open(8).result(10)
    assert result.completion is Completion.OUTCOME_UNKNOWN
    assert "garbled reply" in result.error.message


def test_unknown_compartment_is_a_clear_error(bank):
    with pytest.raises(CompartmentNotFound):
        bank.open(99)


def test_a_missed_reply_is_a_timeout_and_a_warning_not_an_outage():
    bank = make_bank("xor_8a", query_retries=0)
    try:
        assert bank.read_all().result(10).ok
        bank.simulate("fault", name="no_reply")
        result = bank.read(1).result(10)
        assert result.completion is Completion.TIMEOUT
        assert "did not answer" in result.error.message
        assert bank.status.usable and bank.status.severity is Severity.WARNING
        assert bank.read_all().result(10).ok      # the next full read clears the warning
        assert bank.status.severity is Severity.OK
    finally:
        bank.stop()


def test_no_board_answering_makes_the_bank_offline_then_heals(bank):
    for board in bank.settings.boards:
        bank.simulate("board_silent", board=board.address)
    result = bank.read_all().result(10)
    assert result.completion is Completion.HARDWARE_ERROR
    assert bank.status.availability is Availability.OFFLINE
    for board in bank.settings.boards:
        bank.simulate("board_silent", board=board.address, silent=False)
    bank.clock.advance(1)                         # back-off reopen
    assert bank.read_all().result(10).ok
    assert bank.status.availability is Availability.ONLINE


def test_unplugged_bus_is_no_device_until_replugged(bank):
    bank.simulate("remove")
    assert bank.read(1).result(10).completion is Completion.DEVICE_NOT_READY
    assert bank.status.availability is Availability.NO_DEVICE
    bank.simulate("replug")
    assert bank.read_all().result(10).ok
    assert bank.status.availability is Availability.ONLINE


def test_one_silent_board_leaves_the_others_usable(bank):
    second = bank.settings.boards[1].address
    bank.simulate("board_silent", board=second)
    states = bank.read_all().result(10)
    assert states.ok and set(states.value) == set(range(1, 9))
    assert bank.status.usable and bank.status.severity is Severity.WARNING
    assert bank.status.reason == f"board {second} not answering"
    assert bank.status.units["compartment-12"] is UnitState.UNKNOWN
    assert bank.open(2).result(10).ok
    bank.simulate("force_open", compartment=12)     # happens while nobody can see it
    bank.simulate("board_silent", board=second, silent=False)
    assert bank.read_all().result(10).ok
    assert bank.status.severity is Severity.OK and bank.status.reason == ""
    assert bank.log.wait_for("forcedOpen", 12)      # noticed once the board is back


def test_the_board_simulator_keeps_its_last_frames_however_many_polls(monkeypatch):
    monkeypatch.setattr(board_simulator, "KEPT_FRAMES", 10)
    bank = make_bank("xor_8a")
    try:
        for _ in range(30):
            poll(bank)
        frames = bank.boards.requests
        assert frames.count >= 60 and len(frames) == 10  # each read asks both boards
        assert len(frames.since(frames.count - 10)) == 10
        with pytest.raises(LookupError):
            frames.since(frames.count - 11)
    finally:
        bank.stop()
