"""I/O fault test: fail one write or fsync of a queue operation at a time, with strace.

For every position of every write-like (write, pwrite64) and sync-like (fsync, fdatasync)
system call inside an enqueue and inside a sync cycle, a fresh kiosk process
(io_fault_child.py) runs the operation under
`strace -e inject=<call>:error=<ENOSPC|EIO>:when=<N>`, one position per run. After each run:
the operation either committed whole (acknowledged, exactly one new item) or reported the
error (no new item); the database passes `integrity_check`; every item acknowledged so far
is still there and nothing delivered went back; then, with the fault gone, the kiosk takes
a new application and syncs everything to the server. At the end each item is on the
server exactly once.

How many calls an operation makes varies a little from run to run (SQLite checkpoints the
write-ahead log when it has grown, the server's answer varies in length), so a fault meant
for the last positions may find none to fail: such a run is tried once more and, if the
position is still not reached, it is counted under `not_reached` rather than as a problem.

tests/offline_queue/test_io_faults.py runs every position with one errno each in CI;
bench/faults.py runs every position with both.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from foundation.clock import SystemClock
from offline_queue.enrolment import enroll
from offline_queue.sink import OutboxSink
from offline_queue.store import DELIVERED, PENDING, Outbox
from offline_queue.sync import SyncWorker
from tests.offline_queue.helpers import application, duplicates_on_server, sync_worker

ROOT = Path(__file__).resolve().parents[2]
KIOSK_ID = "kiosk-io-01"
OPERATIONS = ("enqueue", "sync")
CALLS = ("write", "pwrite64", "fsync", "fdatasync")
#: the errno each call fails with in the short run (the long run tries both on every call)
SHORT_ERRNO = {"write": "ENOSPC", "pwrite64": "ENOSPC", "fsync": "EIO", "fdatasync": "EIO"}
ACKNOWLEDGED, REPORTED = 0, 3
_CALL_LINE = re.compile(r"^\d+\s+(\w+)\((-?\d+)")


def strace_available() -> bool:
    return shutil.which("strace") is not None


def _child(queue: Path, server_url: str, mode: str, strace: list[str]
           ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}  # no .pyc writes among the counted
    return subprocess.run([*strace, sys.executable, "-m", "tests.offline_queue.io_fault_child",
                           "--queue", str(queue), "--server", server_url, "--mode", mode],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def positions(trace: str) -> dict[str, list[int]]:
    """Invocation numbers (per call, as strace counts them) between the two markers."""
    counts: Counter[str] = Counter()
    inside: dict[str, list[int]] = {call: [] for call in CALLS}
    pid, within = None, False
    for line in trace.splitlines():
        match = _CALL_LINE.match(line)
        if match is None:
            continue
        if pid is None:
            pid = line.split()[0]
        if line.split()[0] != pid:
            continue  # strace counts per thread; the operation runs on the main one
        call, fd = match[1], int(match[2])
        counts[call] += 1
        if call == "write" and fd == -1:
            within = not within
        elif within and call in inside:
            inside[call].append(counts[call])
    return inside


@dataclass
class Kiosk:
    """The kiosk between fault runs, in this process: takes applications and syncs."""
    queue: Path
    server_url: str
    acknowledged: set[str] = field(default_factory=set)

    def open(self) -> tuple[Outbox, SyncWorker]:
        outbox = Outbox(self.queue)
        return outbox, sync_worker(outbox, self.queue, self.server_url)

    def take_application(self) -> None:
        outbox, _worker = self.open()
        try:
            pages = {f"blob:page{i}": os.urandom(3000) for i in range(2)}
            done = OutboxSink(outbox, clock=SystemClock()).enqueue(
                "submission", application(len(self.acknowledged), pages=2), pages)
            self.acknowledged.add(done.item_id)
        finally:
            outbox.close()

    def items(self) -> dict[str, str]:
        outbox = Outbox(self.queue)
        try:
            return {item.item_id: item.state for item in outbox.iter_items()}
        finally:
            outbox.close()

    def integrity(self) -> str:
        outbox = Outbox(self.queue)
        try:
            return outbox.integrity_check()
        finally:
            outbox.close()

    def sync_all(self, cycles: int = 4) -> str | None:
        """Sync until nothing is pending; the last error when that does not happen."""
        outbox, worker = self.open()
        try:
            error = None
            for _ in range(cycles):
                result = worker.sync_once()
                error = result.error
                if result.ok and outbox.counts().pending == 0:
                    return None
            return error or f"{outbox.counts().pending} still pending"
        finally:
            outbox.close()


def _one_run(kiosk: Kiosk, operation: str, call: str, position: int, errno: str
             ) -> tuple[list[str], bool]:
    """Problems found in one run with the fault at `position` of `call`, and whether the
    fault was injected at all."""
    kiosk.take_application()  # the kiosk works once the previous fault is gone; sync has work
    before = kiosk.items()
    with tempfile.NamedTemporaryFile("r", suffix=".trace") as trace:
        proc = _child(kiosk.queue, kiosk.server_url, operation,
                      ["strace", "-f", "-qq", "-o", trace.name, "-e", f"trace={call}",
                       "-e", f"inject={call}:error={errno}:when={position}"])
        injected = "(INJECTED)" in trace.read()
    where = f"{operation} {call}#{position} {errno}"
    problems = []
    if proc.returncode not in (ACKNOWLEDGED, REPORTED):
        problems.append(f"{where}: exit {proc.returncode}: {proc.stderr[-600:]}")
    integrity = kiosk.integrity()
    if integrity != "ok":
        problems.append(f"{where}: integrity_check: {integrity}")
    after = kiosk.items()
    new = set(after) - set(before)
    if operation == "enqueue":
        if proc.returncode == ACKNOWLEDGED:
            kiosk.acknowledged |= new
        expected = 1 if proc.returncode == ACKNOWLEDGED else 0
        if len(new) != expected:
            problems.append(f"{where}: exit {proc.returncode} but {len(new)} new item(s)")
    lost = kiosk.acknowledged - set(after)
    undelivered = {i for i, state in before.items() if state == DELIVERED
                   and after.get(i) == PENDING}
    if lost or undelivered:
        problems.append(f"{where}: lost {len(lost)}, delivered items back to pending "
                        f"{len(undelivered)}")
    error = kiosk.sync_all()
    if error:
        problems.append(f"{where}: after the fault the queue does not drain: {error}")
    return problems, injected


def run_io_fault_test(district, queue: Path, *, both_errnos: bool = False,
                      operations: tuple[str, ...] = OPERATIONS) -> dict:
    """`district` is a started tests.offline_queue.live_district.LiveDistrict."""
    started = time.monotonic()
    enroll(district.url, district.enrollment_token(KIOSK_ID), KIOSK_ID, queue, clock=SystemClock())
    kiosk = Kiosk(queue, district.url)
    runs: Counter[str] = Counter()
    problems: list[str] = []
    not_reached: list[str] = []
    for operation in operations:
        kiosk.take_application()
        with tempfile.NamedTemporaryFile("r", suffix=".trace") as trace:
            _child(queue, district.url, operation,
                   ["strace", "-f", "-qq", "-o", trace.name, "-e", f"trace={','.join(CALLS)}"])
            found = positions(trace.read())
        kiosk.sync_all()
        for call in CALLS:
            for position in found[call]:
                for errno in ("ENOSPC", "EIO") if both_errnos else (SHORT_ERRNO[call],):
                    for _attempt in range(2):
                        found_problems, injected = _one_run(kiosk, operation, call, position,
                                                            errno)
                        problems += found_problems
                        if injected or found_problems:
                            break
                    if injected:
                        runs[f"{operation}.{call}"] += 1
                    else:
                        not_reached.append(f"{operation} {call}#{position} {errno}")
    local = kiosk.items()
    on_server = district.submission_ids(KIOSK_ID)
    server_ids = {sid for sid, _ in on_server}
    report = {
        "runs": dict(runs),
        "problems": problems,
        "not_reached": not_reached,
        "acknowledged": len(kiosk.acknowledged),
        "lost": len(kiosk.acknowledged - server_ids),
        "duplicated": duplicates_on_server(on_server),
        "local_not_on_server": len(set(local) - server_ids),
        "server_not_local": len(server_ids - set(local)),
        "elapsed_s": round(time.monotonic() - started, 1),
    }
    report["ok"] = not problems and report["lost"] == report["duplicated"] == \
        report["local_not_on_server"] == report["server_not_local"] == 0
    return report

