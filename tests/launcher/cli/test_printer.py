"""`kiosk printer test` on a printer on its TCP port (the virtual printer): with `kiosk run`
running, its printer prints the page over its one connection; otherwise the command connects."""
from __future__ import annotations

import json
import threading

import pytest

from devices.printer.virtual_printer import VirtualPrinter
from launcher.cli import EXIT_OK, Context, main
from tests.kiosk.test_core import ListSink
from tests.launcher.cli.running_kiosk import running_kiosk


class CountedPrinter:
    """The virtual printer on a TCP port, counting the connections it accepted."""

    def __init__(self) -> None:
        self.virtual = VirtualPrinter().start()
        self.connections = 0
        lock, serve = threading.Lock(), self.virtual._serve

        def counted(sock) -> None:
            with lock:
                self.connections += 1
            serve(sock)
        self.virtual._serve = counted    # what each accepted connection runs

    def site_file(self, directory) -> str:
        host, port = self.virtual.address
        site = directory / "site.toml"
        site.write_text(f'[devices.receipt_printer]\nkind = "printer"\nbackend = "network"\n'
                        f'host = "{host}"\nport = {port}\n', "utf-8")
        return str(site)


@pytest.fixture
def printer():
    counted = CountedPrinter()
    yield counted
    counted.virtual.stop()


def test_printer_test_opens_the_printer_itself_when_no_kiosk_runs(printer, tmp_path, capsys):
    site = printer.site_file(tmp_path)
    assert main(["--config", site, "--data-dir", str(tmp_path), "printer", "test",
                 "--json"]) == EXIT_OK
    report = json.loads(capsys.readouterr().out)
    assert (report["backend"], report["completion"]) == ("network", "success")
    assert len(printer.virtual.jobs) == 1 and printer.connections == 1
    assert "打印机测试页" in printer.virtual.last_job.text


def test_with_the_kiosk_running_its_printer_prints_the_test_page(printer, tmp_path, capsys,
                                                                 monkeypatch, test_clock):
    site = printer.site_file(tmp_path)
    with running_kiosk(Context(tmp_path / "site.toml", tmp_path), test_clock,
                       event_sink=ListSink()) as core:
        assert printer.connections == 1          # the kiosk's printer is connected
        monkeypatch.setattr("launcher.cli._devices.device_for_role",
                            lambda *a: pytest.fail("a second printer connection was opened"))
        assert main(["--config", site, "--data-dir", str(tmp_path), "printer", "test"]) == EXIT_OK
        assert "receipt_printer (network): success (by the running kiosk)" in \
            capsys.readouterr().out
        assert len(printer.virtual.jobs) == 1
        assert "打印机测试页" in printer.virtual.last_job.text
        assert printer.connections == 1          # printed on the kiosk's own connection
        [(kind, audit)] = core.event_sink.items
        assert (kind, audit["action"], audit["device"]) == ("audit", "printer.test",
                                                             "receipt_printer")
        assert audit["who"] == "technician:cli"
