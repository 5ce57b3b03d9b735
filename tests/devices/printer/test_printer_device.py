"""The printer device over TCP against the virtual printer: real DLE EOT, real jobs."""
from __future__ import annotations

import argparse
import json
import threading
from datetime import date, datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.model import (Availability, Completion, ErrorClass, RequiredAction, Severity,
                           StatusChanged, UnitState)
from devices.printer.network import NetworkPrinter
from devices.printer.documents import SubmissionReceipt
from devices.printer.escpos_parser import Cut, Line, QrCode
from devices.printer.layout import PaperProfile
from devices.printer.simulated import SimulatedPrinter
from devices.printer.status import Paper
from foundation.clock import TestClock

AT = datetime(2026, 11, 26, 1, 30, tzinfo=timezone.utc)


def long_receipt() -> SubmissionReceipt:
    return SubmissionReceipt(hall="福田中心", case_number="K1-7", service="户籍证明",
                             submitted_at=AT, promised_date=date(2026, 12, 10),
                             materials_received=[f"材料{i}" for i in range(40)],
                             follow_url="https://z.gov.cn/c/K1-7")


def wait_until(device, predicate, timeout: float = 10.0) -> None:
    """Wait for a status change (published on the device's worker) that satisfies `predicate`."""
    reached = threading.Event()
    unsubscribe = device.subscribe(lambda _e: reached.set() if predicate(device.status) else None)
    try:
        assert predicate(device.status) or reached.wait(timeout), device.status
    finally:
        unsubscribe()


@pytest.fixture
def printer():
    clock = TestClock()
    device = SimulatedPrinter("receipt_printer", SimulatedPrinter.Settings(
        status_timeout_s=1.0, chunk_bytes=128, paper_width_mm=58), clock=clock)
    events = []
    device.subscribe(events.append)
    device.events = events
    device.start()
    assert device.read_status().result(10).ok
    yield device
    device.stop()


def test_prints_a_receipt_that_parses_back(printer, tmp_path):
    result = printer.print_document(long_receipt()).result(10)
    assert result.completion is Completion.SUCCESS
    job = printer.virtual.last_job
    texts = [e.text for e in job.elements if isinstance(e, Line)]
    assert texts[0] == "受理回执"
    assert "1. 材料0" in texts and "40. 材料39" in texts
    assert QrCode("https://z.gov.cn/c/K1-7", 6, 49) in job.elements
    assert job.elements[-1] == Cut(partial=True)
    png = job.png(tmp_path / "receipt.png", width_mm=58)
    assert png.stat().st_size > 1000


def test_paper_out_in_the_middle_of_a_receipt_is_outcome_unknown(printer):
    printer.simulate("paper_out_after", bytes=300)
    result = printer.print_document(long_receipt()).result(10)
    assert result.completion is Completion.OUTCOME_UNKNOWN
    assert "paper out" in result.error.message
    status = printer.status
    # a consumable state, not a hardware error: it names the code and the fix
    assert status.availability is Availability.USER_ERROR
    assert (status.error_code, status.error_class, status.action) == (
        "paperOut", ErrorClass.CONSUMABLE, RequiredAction.REPLENISH)
    assert status.units["paper"] is UnitState.OUT
    # it stopped feeding: far less than the whole job went out
    assert printer.virtual.received.count < len(long_receipt().render(printer.profile))
    changes = [e.changes for e in printer.events if isinstance(e, StatusChanged)]
    assert {"units": {"paper": "out"}} in changes
    # a refill is noticed by the status read and the printer is usable again
    printer.simulate("paper", level="ok")
    assert printer.read_status().result(10).ok
    assert printer.status.availability is Availability.ONLINE
    assert printer.status.error_code == "" and printer.status.action is None


def test_paper_out_is_watched_by_the_poll_never_reopened(printer):
    opens_before = sum(1 for e in printer.events if isinstance(e, StatusChanged)
                       and e.changes.get("availability") == "starting")
    printer.virtual.configure(paper=Paper.OUT)
    printer.clock.advance(printer.settings.status_poll_s)
    wait_until(printer, lambda s: s.error_code == "paperOut")
    assert not printer.status.usable and printer.status.answers
    result = printer.print_document(long_receipt()).result(10)
    assert result.completion is Completion.DEVICE_NOT_READY
    printer.virtual.configure(paper=Paper.OK)  # a roll fitted: the next poll sees it
    printer.clock.advance(printer.settings.status_poll_s)
    wait_until(printer, lambda s: s.usable)
    assert printer.status.error_code == ""
    reopens = sum(1 for e in printer.events if isinstance(e, StatusChanged)
                  and e.changes.get("availability") == "starting") - opens_before
    assert reopens == 0


def test_a_printer_started_out_of_paper_opens_and_waits_for_a_roll():
    clock = TestClock()
    device = SimulatedPrinter("receipt_printer", SimulatedPrinter.Settings(), clock=clock)
    device.virtual.configure(paper=Paper.OUT)
    device.start()
    try:
        wait_until(device, lambda s: s.error_code == "paperOut")
        assert device.status.availability is Availability.USER_ERROR
        assert device.read_status().result(10).ok  # the technician's status read still works
        device.simulate("paper", level="ok")
        wait_until(device, lambda s: s.usable)
    finally:
        device.stop()


def test_a_cutter_jam_is_a_fault_to_clear_and_clears(printer):
    printer.simulate("jam")
    wait_until(printer, lambda s: s.error_code == "paperJam")
    status = printer.status
    assert status.availability is Availability.HARDWARE_ERROR
    assert (status.error_class, status.action) == (ErrorClass.HARDWARE, RequiredAction.CLEAR)
    printer.simulate("jam", jammed=False)
    wait_until(printer, lambda s: s.usable)
    assert printer.status.error_code == ""


def test_paper_near_end_names_its_consumable_warning(printer):
    printer.simulate("paper", level="nearEnd")
    wait_until(printer, lambda s: s.error_code == "paperNearEnd")
    assert printer.status.usable and printer.status.action is RequiredAction.REPLENISH


def test_printer_offline_at_job_start_prints_nothing(printer):
    printer.virtual.configure(online=False)
    before = printer.virtual.received.count
    result = printer.print_document(long_receipt()).result(10)
    assert result.completion is Completion.DEVICE_NOT_READY
    assert "printer offline" in result.error.message
    assert printer.virtual.received.since(before) == \
        bytes.fromhex("10 04 01 10 04 02 10 04 03 10 04 04")
    assert printer.status.availability is Availability.HARDWARE_ERROR


def test_cover_open_is_reported_and_blocks(printer):
    printer.simulate("cover", open=True)
    result = printer.print_document(long_receipt()).result(10)
    assert result.completion is Completion.DEVICE_NOT_READY
    assert printer.status.reason == "cover open"


def test_paper_near_end_warns_but_prints(printer):
    printer.simulate("paper", level="nearEnd")
    assert printer.print_document(long_receipt()).result(10).ok
    assert printer.status.severity is Severity.WARNING
    assert printer.status.units["paper"] is UnitState.LOW
    assert printer.status.usable


def test_a_silent_printer_at_job_start_is_not_ready_and_prints_nothing(printer):
    printer.virtual.configure(mute=True)
    before = printer.virtual.received.count
    result = printer.print_document(long_receipt()).result(10)
    assert result.completion is Completion.DEVICE_NOT_READY
    assert "did not answer DLE EOT 1" in result.error.message
    assert not printer.status.usable
    assert printer.virtual.received.since(before) == bytes.fromhex("10 04 01")


def test_a_garbled_status_byte_is_invalid_data(printer):
    printer.simulate("fault", name="bad_status_reply")
    result = printer.read_status().result(10)
    assert result.completion is Completion.INVALID_DATA


def test_connection_dropped_at_job_start_then_healed_by_reopen(printer):
    printer.simulate("fault", name="drop_connection")
    result = printer.print_document(long_receipt()).result(10)
    # the drop happens at the job's first status request: nothing was printed yet
    assert result.completion is Completion.DEVICE_NOT_READY
    printer.clock.advance(1)          # the back-off reopen reconnects
    assert printer.read_status().result(10).ok
    assert printer.print_document(long_receipt()).result(10).ok


def test_status_poll_publishes_paper_changes(printer):
    printer.virtual.configure(paper=Paper.NEAR_END)
    seen = threading.Event()
    printer.subscribe(lambda e: seen.set() if isinstance(e, StatusChanged)
                      and e.changes.get("units") == {"paper": "low"} else None)
    printer.clock.advance(printer.settings.status_poll_s)  # the poll runs on the worker
    assert seen.wait(10)
    assert printer.status.severity is Severity.WARNING


def test_no_printer_listening_is_no_device():
    clock = TestClock()
    device = NetworkPrinter("p", NetworkPrinter.Settings(host="127.0.0.1", port=1,
                                                         connect_timeout_s=0.5), clock=clock)
    device.start()
    result = device.read_status().result(10)
    assert result.completion is Completion.DEVICE_NOT_READY
    assert device.status.availability is Availability.NO_DEVICE
    device.stop()


def test_cli_printer_test_reports_json(capsys, tmp_path):
    from launcher.cli import Context
    from launcher.cli import printer as printer_cli
    site = tmp_path / "site.toml"
    site.write_text("[devices.receipt_printer]\nkind = \"printer\"\nbackend = \"simulated\"\n"
                    "status_timeout_s = 1.0\n", "utf-8")
    ctx = Context(site, tmp_path)
    png = tmp_path / "test-page.png"
    code = printer_cli.run(argparse.Namespace(action="test", json=True, png=png), ctx)
    report = json.loads(capsys.readouterr().out)
    assert code == 0, report
    assert report["png"] == str(png) and png.stat().st_size > 1000
    assert report["completion"] == "success"
    assert report["printer_state"]["paper"] == "ok"
    assert report["capabilities"]["encoding"] == "GB18030"


def _mutate(seed: bytes, at: int, value: int, cut: int) -> bytes:
    """A valid job with one byte changed, cut at some point."""
    data = bytearray(seed)
    data[at % len(data)] = value
    return bytes(data[:cut % (len(data) + 1)])


_SEED_JOB = long_receipt().render(PaperProfile(58))[:700]


@settings(max_examples=2000, deadline=None)
@given(st.one_of(st.binary(max_size=64),
                 st.builds(_mutate, st.just(_SEED_JOB), st.integers(0, 1 << 16),
                           st.integers(0, 255), st.integers(0, 1 << 16))))
def test_fuzz_escpos_parser_raises_only_clear_errors(data):
    from bench.fuzz_targets.printer import TARGETS
    parse, errors = TARGETS["escpos_parser"]
    try:
        elements = parse(data)
    except errors:
        return
    assert isinstance(elements, list)
