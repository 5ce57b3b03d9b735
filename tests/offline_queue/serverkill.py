"""Server kill test: SIGKILL the district server at each intake boundary while a kiosk
retries, then prove every submission is on the server exactly once.

Each round: the kiosk takes an application; a server process (district_process.py) is
started with a kill point and dies the first time a submission reaches it; the kiosk's
sync fails (a connection reset or a cut-off answer) and it retries against a restarted
server until its queue drains. At the end the server holds each of the kiosk's items
once (ids and kiosk_seq), every local item is delivered with a verified receipt, and
the kiosk database passes `integrity_check`. Rounds alternate between protocol v1.1
(batches) and v1 (a server not offering them).

tests/offline_queue/test_server_kill.py runs 3 rounds per boundary in CI; bench/faults.py
runs the long version.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from foundation.clock import SystemClock
from offline_queue.enrolment import enroll
from offline_queue.sink import OutboxSink
from offline_queue.store import DELIVERED, Outbox
from offline_queue.sync import SyncWorker
from tests.offline_queue.district_process import BOUNDARIES
from tests.offline_queue.helpers import application, duplicates_on_server, sync_worker
from tests.offline_queue.live_district import LiveDistrict

ROOT = Path(__file__).resolve().parents[2]
KIOSK_ID = "kiosk-srvkill-01"


class ServerProcesses:
    """Starts district_process.py on one listening socket that outlives every server."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(128)
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"

    def start(self, kill_at: str | None = None, v1: bool = False) -> subprocess.Popen:
        fd = self.socket.fileno()
        return subprocess.Popen(
            [sys.executable, "-m", "tests.offline_queue.district_process", "--data-dir",
             str(self.data_dir), "--fd", str(fd), *(["--kill-at", kill_at] if kill_at else []),
             *(["--v1"] if v1 else [])],
            cwd=ROOT, pass_fds=(fd,), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    @staticmethod
    def stop(process: subprocess.Popen) -> None:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        process.wait(30)

    def close(self) -> None:
        self.socket.close()


def _kiosk(queue: Path, url: str) -> tuple[Outbox, OutboxSink, SyncWorker]:
    outbox = Outbox(queue)
    return outbox, OutboxSink(outbox, clock=SystemClock()), sync_worker(outbox, queue, url)


def run_server_kill_test(root: Path, rounds: int,
                         boundaries: tuple[str, ...] = BOUNDARIES) -> dict:
    started = time.monotonic()
    data_dir, queue = root / "district", root / "kiosk"
    with LiveDistrict(data_dir) as district:  # migrates, writes the catalogue, enrols
        enroll(district.url, district.enrollment_token(KIOSK_ID), KIOSK_ID, queue, clock=SystemClock())
    servers = ServerProcesses(data_dir)
    outbox, sink, worker = _kiosk(queue, servers.url)
    kills: Counter[str] = Counter()
    acknowledged: list[str] = []
    not_drained: list[str] = []
    try:
        for boundary in boundaries:
            for n in range(rounds):
                pages = {f"blob:page{i}": os.urandom(4000) for i in range(2)}
                acknowledged.append(sink.enqueue("submission", application(n, pages=2),
                                                 pages).item_id)
                v1 = n % 2 == 1  # rounds alternate: v1.1's batches, then v1's PUTs
                doomed = servers.start(kill_at=boundary, v1=v1)
                try:
                    for _ in range(5):  # the kiosk retries until the server dies under it
                        worker.sync_once()
                        if doomed.poll() is not None:
                            break
                finally:
                    servers.stop(doomed)
                if doomed.returncode == -signal.SIGKILL:
                    kills[boundary] += 1
                server = servers.start(v1=v1)
                try:
                    for _ in range(5):
                        if worker.sync_once().ok and outbox.counts().pending == 0:
                            break
                    else:
                        not_drained.append(f"{boundary} round {n}: {worker.last_result}")
                finally:
                    servers.stop(server)
        local = {item.item_id: item for item in outbox.iter_items()}
        integrity = outbox.integrity_check()
    finally:
        outbox.close()
        servers.close()
    with LiveDistrict(data_dir) as district:
        on_server = district.submission_ids(KIOSK_ID)
    server_ids = {sid for sid, _ in on_server}
    report = {
        "rounds_per_boundary": rounds,
        "kills": dict(kills),
        "acknowledged": len(acknowledged),
        "not_drained": not_drained,
        "lost": len(set(acknowledged) - server_ids),
        "duplicated": duplicates_on_server(on_server),
        "local_not_delivered": sum(1 for item in local.values() if item.state != DELIVERED),
        "server_not_local": len(server_ids - set(local)),
        "integrity_check": integrity,
        "elapsed_s": round(time.monotonic() - started, 1),
    }
    report["ok"] = (not not_drained and report["lost"] == report["duplicated"] == 0
                    and report["local_not_delivered"] == report["server_not_local"] == 0
                    and integrity == "ok")
    return report

