"""Every device's counters survive a restart of the kiosk, and each status change is kept
with its time. The kiosk core on the test clock with its simulated devices (real printer
driver over TCP, real eMRTD reading code, real locker protocol)."""
from __future__ import annotations

import threading
from datetime import datetime, timezone

import pytest

from devices.printer.documents import TestPage
from kiosk.app import KioskCore
from kiosk.config import load_config
from kiosk.device_counters import DeviceCounters


def wait_status(device, predicate) -> None:
    reached = threading.Event()
    unsubscribe = device.subscribe(lambda _e: reached.set() if predicate(device.status) else None)
    try:
        assert predicate(device.status) or reached.wait(10), device.status
    finally:
        unsubscribe()


@pytest.fixture
def start_core(tmp_path, test_clock):
    made = []

    def start() -> KioskCore:
        core = KioskCore.create(load_config(), tmp_path / "kiosk", clock=test_clock,
                                with_queue=False, with_face=False)
        made.append(core)
        core.devices.start()
        core.wait_settled()
        return core

    def stop(core: KioskCore) -> None:
        made.remove(core)
        core.devices.stop()
    start.stop = stop
    yield start
    for core in made:
        core.devices.stop()


def test_counters_survive_a_restart(start_core):
    core = start_core()
    printer = core.devices.for_role("receipt_printer")[0]
    reader = core.devices.for_role("id_reader")[0]
    lockers = core.devices.for_role("locker_bank")[0]
    page = TestPage("sim", "simulated", 80, "ok", datetime(2026, 12, 5, tzinfo=timezone.utc))
    assert printer.print_document(page).result(10).ok
    assert printer.print_document(page).result(10).ok
    assert reader.read().result(10).ok
    assert lockers.open(1).result(10).ok
    printer.simulate("paper", level="out")
    wait_status(printer, lambda s: s.error_code == "paperOut")
    printer.simulate("paper", level="ok")
    wait_status(printer, lambda s: s.usable)
    core.counters.record_fix(printer.name, "paperOut")
    wait_status(lockers, lambda _s: core.counters.counts(lockers.name)["door_opens"] == 1)
    start_core.stop(core)

    again = start_core()
    printed = again.counters.counts(printer.name)
    assert (printed["prints"], printed["cuts"], printed["rolls_fitted"]) == (2, 2, 1)
    assert printed["errors"] == {"paperOut": 1} and printed["fixes"] == {"paperOut": 1}
    assert again.counters.counts(reader.name)["card_reads"] == 1
    assert again.counters.counts(lockers.name)["door_opens"] == 1
    # the history is this run's, with the time of each change
    assert again.counters.history(printer.name)[0].at == again.clock.now()


def test_status_history_names_each_change_and_its_time(start_core):
    core = start_core()
    printer = core.devices.for_role("receipt_printer")[0]
    core.clock.advance(60)
    printer.simulate("jam")
    wait_status(printer, lambda s: s.error_code == "paperJam")
    latest = core.counters.history(printer.name)[-1]
    assert latest.changes["error_code"] == "paperJam" and latest.changes["action"] == "clear"
    assert latest.at == core.clock.now()


def test_an_unreadable_counters_file_counts_again_from_zero(tmp_path, test_clock):
    path = tmp_path / "device-counters.json"
    path.write_bytes(b"\xff not json")
    counters = DeviceCounters(path, test_clock)
    assert counters.counts("receipt_printer")["prints"] == 0
    counters.record_fix("receipt_printer", "paperJam")
    assert DeviceCounters(path, test_clock).counts("receipt_printer")["fixes"] == {"paperJam": 1}
