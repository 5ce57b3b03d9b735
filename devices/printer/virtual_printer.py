"""A virtual ESC/POS network printer: a TCP 9100 server for tests and the demo.

It answers DLE EOT 1..4 from a configurable state (online, cover, paper level, errors),
can run out of paper after a given number of bytes, accepts jobs and keeps what it
printed as parsed elements (our own parser), which render to text and PNG: the last
`KEPT_JOBS` jobs and `KEPT_BYTES` bytes received (the demo's printer runs as long as the kiosk).
Run standalone: `python -m devices.printer.virtual_printer --port 9100`.
"""
from __future__ import annotations

import argparse
import logging
import os
import socket
import socketserver
import threading
import tty
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from devices.printer.escpos_parser import (Cut, Element, EscPosParseError, EscPosParser, Initialize,
                                           to_png, to_text)
from devices.printer.status import Paper
from devices.recorded import RecordedBytes, RecordedItems

log = logging.getLogger(__name__)

#: enough for a test to print several long receipts and read them all back
KEPT_JOBS = 50
KEPT_BYTES = 1024 * 1024
KEPT_ERRORS = 50


@dataclass
class VirtualPrinterState:
    online: bool = True
    cover_open: bool = False
    paper: Paper = Paper.OK
    autocutter_error: bool = False
    unrecoverable_error: bool = False
    #: printable bytes left before the roll ends (None: endless roll)
    paper_out_after: int | None = None
    #: answer no status request at all (a hung printer)
    mute: bool = False

    def status_byte(self, n: int) -> int:
        """The DLE EOT n reply for this state (fixed bits 0xx1xx10)."""
        out = self.paper is Paper.OUT
        error = self.autocutter_error or self.unrecoverable_error
        stopped = not self.online or self.cover_open or out or error
        value = 0x12
        if n == 1 and stopped:
            value |= 0x08
        elif n == 2:
            value |= (0x04 if self.cover_open else 0) | (0x20 if out else 0) | \
                (0x40 if error else 0)
        elif n == 3:
            value |= (0x08 if self.autocutter_error else 0) | \
                (0x20 if self.unrecoverable_error else 0)
        elif n == 4:
            value |= 0x60 if out else 0x0C if self.paper is Paper.NEAR_END else 0
        return value


@dataclass
class PrintedJob:
    #: 1 for the printer's first job (its place in `VirtualPrinter.jobs.count`)
    number: int
    elements: list[Element] = field(default_factory=list)

    @property
    def text(self) -> str:
        return to_text(self.elements)

    def png(self, path: Path | str, width_mm: int = 80) -> Path:
        return to_png(self.elements, path, width_mm)


class _PtyChannel:
    """The master side of a pty, with the two socket calls the server loop uses."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def recv(self, size: int) -> bytes:
        return os.read(self.fd, size)

    def sendall(self, data: bytes) -> None:
        os.write(self.fd, data)

    def close(self) -> None:
        """A serial line cannot be hung up; dropping the link is a socket-only fault."""


class VirtualPrinter:
    """`take_fault(name) -> bool` lets a simulated backend inject one-shot faults:
    "no_status_reply", "bad_status_reply", "drop_connection"."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *,
                 take_fault: Callable[[str], bool] | None = None) -> None:
        self.state = VirtualPrinterState()
        self.jobs: RecordedItems[PrintedJob] = RecordedItems(KEPT_JOBS)
        self.received = RecordedBytes(KEPT_BYTES)
        self.errors: RecordedItems[str] = RecordedItems(KEPT_ERRORS)
        self._take_fault = take_fault or (lambda name: False)
        self._lock = threading.RLock()
        self.job_done = threading.Condition(self._lock)
        printer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                printer._serve(self.request)

        class Server(socketserver.ThreadingTCPServer):
            allow_reuse_address = True
            daemon_threads = True

        self._server = Server((host, port), Handler)
        self._ptys: list[tuple[int, int]] = []
        self._thread: threading.Thread | None = None

    @property
    def address(self) -> tuple[str, int]:
        host, port = self._server.server_address[:2]
        return str(host), int(port)

    def start(self) -> "VirtualPrinter":
        self._thread = threading.Thread(target=self._server.serve_forever, name="virtual-printer",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        for master, slave in self._ptys:
            os.close(slave)
            os.close(master)  # the serving thread's read fails and it ends

    def configure(self, **changes: object) -> None:
        with self._lock:
            for key, value in changes.items():
                if not hasattr(self.state, key):
                    raise ValueError(f"virtual printer has no state {key!r}")
                setattr(self.state, key, Paper(value) if key == "paper" else value)

    @property
    def last_job(self) -> PrintedJob:
        with self._lock:
            return self.jobs[-1]

    def wait_for_bytes(self, count: int, timeout: float = 5.0) -> bool:
        """Block until `count` bytes arrived in total (tests waiting on the wire)."""
        with self.job_done:
            return self.job_done.wait_for(lambda: self.received.count >= count, timeout)

    # --- one connection ------------------------------------------------------------

    def attach_pty(self) -> str:
        """Also serve a serial line: returns the pty path a serial driver opens."""
        master, slave = os.openpty()
        tty.setraw(slave)
        self._ptys.append((master, slave))
        threading.Thread(target=self._serve, args=(_PtyChannel(master),),
                         name="virtual-printer-pty", daemon=True).start()
        return os.ttyname(slave)

    def _serve(self, sock: "socket.socket | _PtyChannel") -> None:
        parser = EscPosParser()
        seen = 0
        while True:
            try:
                data = sock.recv(4096)
            except OSError:
                return
            if not data:
                return
            with self._lock:
                self.received.extend(data)
                for piece, paper_left in self._split_at_paper_end(data):
                    try:
                        requests = parser.feed(piece)
                    except EscPosParseError as error:  # keep serving: a real printer would too
                        self.errors.append(str(error))
                        log.warning("virtual printer got bad ESC/POS: %s", error)
                        parser = EscPosParser()
                        requests = []
                    seen = self._collect(parser.elements, seen, printing=paper_left)
                    if not self._answer(sock, requests):
                        return
                self.job_done.notify_all()

    def _split_at_paper_end(self, data: bytes) -> list[tuple[bytes, bool]]:
        left = self.state.paper_out_after
        if self.state.paper is Paper.OUT:
            return [(data, False)]
        if left is None:
            return [(data, True)]
        if len(data) < left:
            self.state.paper_out_after = left - len(data)
            return [(data, True)]
        self.state.paper_out_after = None
        pieces = [(data[:left], True)]
        self.state.paper = Paper.OUT
        return pieces + [(data[left:], False)]

    def _collect(self, elements: list[Element], seen: int, *, printing: bool) -> int:
        for element in elements[seen:]:
            if isinstance(element, Initialize) or not self.jobs:
                self.jobs.append(PrintedJob(self.jobs.count + 1))
            if printing and not isinstance(element, Initialize):
                self.jobs[-1].elements.append(element)
        return len(elements)

    def _answer(self, sock: "socket.socket | _PtyChannel", requests: list[int]) -> bool:
        for n in requests:
            if self._take_fault("drop_connection"):
                sock.close()
                return False
            if self.state.mute or self._take_fault("no_status_reply"):
                continue
            reply = 0x00 if self._take_fault("bad_status_reply") else self.state.status_byte(n)
            try:
                sock.sendall(bytes([reply]))
            except OSError:
                return False
        return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="virtual ESC/POS network printer")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9100)
    parser.add_argument("--out", type=Path, default=Path("."), help="folder for job PNG files")
    args = parser.parse_args(argv)
    printer = VirtualPrinter(args.host, args.port)
    print(f"virtual printer on {printer.address[0]}:{printer.address[1]}", flush=True)
    printed = 0
    printer.start()
    try:
        while True:
            with printer.job_done:
                printer.job_done.wait()
                finished = [job for job in printer.jobs if job.number > printed
                            and job.elements and isinstance(job.elements[-1], Cut)]
            for job in finished:
                print(job.text, flush=True)
                job.png(args.out / f"job-{job.number}.png")
                printed = job.number
    except KeyboardInterrupt:
        printer.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
