"""The virtual printer keeps its last jobs and bytes only: the demo's runs as long as the kiosk."""
from __future__ import annotations

import socket

from devices.printer import virtual_printer
from devices.printer.escpos_parser import Line
from devices.printer.virtual_printer import VirtualPrinter

JOB = b"\x1b@" + b"receipt %d\n" + b"\x1dV\x00"  # initialize, one line, full cut


def test_many_jobs_keep_the_last_ones_and_count_them_all(monkeypatch):
    monkeypatch.setattr(virtual_printer, "KEPT_JOBS", 5)
    monkeypatch.setattr(virtual_printer, "KEPT_BYTES", 64)
    printer = VirtualPrinter().start()
    try:
        stream = b"".join(JOB.replace(b"%d", str(n).encode()) for n in range(1, 41))
        with socket.create_connection(printer.address) as connection:
            connection.sendall(stream)
            assert printer.wait_for_bytes(len(stream), timeout=10)
        assert printer.jobs.count == 40 and len(printer.jobs) == 5
        assert [job.number for job in printer.jobs] == [36, 37, 38, 39, 40]
        assert [e.text for e in printer.last_job.elements if isinstance(e, Line)] == ["receipt 40"]
        assert printer.received.count == len(stream) and len(printer.received) == 64
        assert bytes(printer.received) == stream[-64:]
    finally:
        printer.stop()
