"""The serial and file backends: the same documents through other transports."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from devices.model import Availability, Completion, UnitState
from devices.printer.file import FilePrinter
from devices.printer.serial_port import SerialPrinter
from devices.printer.documents import PickupSlip
from devices.printer.escpos_parser import Line, parse
from devices.printer.status import Paper
from devices.printer.virtual_printer import VirtualPrinter
from foundation.clock import TestClock

SLIP = PickupSlip(case_number="K1-7", compartment=12, items=["户籍证明"],
                  picked_at=datetime(2026, 11, 26, 1, 30, tzinfo=timezone.utc))


@pytest.fixture
def serial_printer():
    virtual = VirtualPrinter().start()
    device = SerialPrinter("p", SerialPrinter.Settings(port=virtual.attach_pty(), baudrate=19200,
                                                       status_timeout_s=1.0), clock=TestClock())
    device.virtual = virtual
    device.start()
    yield device
    device.stop()
    virtual.stop()


def test_serial_printer_reads_status_and_prints(serial_printer):
    assert serial_printer.read_status().result(10).value.paper is Paper.OK
    assert serial_printer.print_document(SLIP).result(10).ok
    texts = [e.text for e in serial_printer.virtual.last_job.elements if isinstance(e, Line)]
    assert "柜门：12号" in texts


def test_serial_printer_paper_out_blocks(serial_printer):
    serial_printer.virtual.configure(paper=Paper.OUT)
    result = serial_printer.print_document(SLIP).result(10)
    assert result.completion is Completion.DEVICE_NOT_READY
    assert serial_printer.status.units["paper"] is UnitState.OUT


def test_missing_serial_port_is_no_device():
    device = SerialPrinter("p", SerialPrinter.Settings(port="/dev/does-not-exist"),
                           clock=TestClock())
    device.start()
    assert device.read_status().result(10).completion is Completion.DEVICE_NOT_READY
    assert device.status.availability is Availability.NO_DEVICE
    device.stop()


def test_file_printer_writes_the_job_and_reports_no_status(tmp_path):
    target = tmp_path / "lp0"
    device = FilePrinter("p", FilePrinter.Settings(path=str(target)), clock=TestClock())
    device.start()
    assert device.read_status().result(10).value is None
    assert device.print_document(SLIP).result(10).ok
    device.stop()
    assert target.read_bytes() == SLIP.render(device.profile)
    assert "取件凭条" in [e.text for e in parse(target.read_bytes()) if isinstance(e, Line)]
    assert device.status.units["paper"] is UnitState.UNKNOWN
    assert device.capabilities["status"] is False


def test_without_pyserial_only_the_serial_printer_is_unavailable():
    """A kiosk without pyserial keeps its network and file printers (one module per
    backend); the serial one says which package is missing."""
    import subprocess
    import sys
    script = (
        "import sys\n"
        "sys.modules['serial'] = None  # pyserial not installed\n"
        "from devices.registry import BackendUnavailable, backend_class\n"
        "for backend in ('network', 'file', 'simulated'):\n"
        "    backend_class('printer', backend)\n"
        "try:\n"
        "    backend_class('printer', 'serial')\n"
        "except BackendUnavailable as error:\n"
        "    print(error)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert "'serial' needs the Python package serial" in done.stdout
