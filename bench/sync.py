"""Queue sync throughput over loopback to the district server, beside a plain HTTP upload
of the same bytes (JSON out).

- `queue_sync`: N captured applications (each with attachments) delivered by the sync
  worker to the in-process server (`tests/offline_queue/live_district.py`: uvicorn in a
  thread, as the fault and crash tests use it) in protocol v1.1's batches (submissions
  and attachments in one signed request, the attachments as raw bytes after a JSON head),
  receipt verification, local bookkeeping;
- `queue_sync_json_batches`: the same to a server taking batches as JSON only (the
  attachments base64 inside it: what the kiosk sends to a server without
  `submission-batches-binary`);
- `queue_sync_v1`: the same to a server not offering batches: blob uploads, then one
  signed idempotent PUT per submission (v1, the fallback);
- `queue_sync_real_server`: the same to `district-server run` (its own process, SQLite);
- `plain_upload`: the same envelope and sealed attachment bytes POSTed with requests to a
  trivial endpoint of the same stack (uvicorn + FastAPI, body read and dropped): the floor.

Each sync reports the requests per submission (by method), the server time per request
(the `Server-Timing` header of every district response), which split the distance to the
floor into round trips and server work, and the kiosk's CPU time per submission (the
syncing thread's, the in-process server runs in another): the kiosk's share, which the
load of a shared machine sways far less than the wall-clock rates.

    .venv/bin/python bench/sync.py [--count N] [--attachment-bytes B] [--max-seconds S]
"""
from __future__ import annotations

import sys
from pathlib import Path

# bench/ must not lead the import path: bench/queue.py would shadow the standard library's queue
sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import threading
import time
from datetime import datetime, timezone

import requests
import uvicorn
from fastapi import FastAPI, Request, Response

from bench.server import ROOT, cli, free_port
from district_server.db import Database
from district_server.kiosks.service import issue_token
from foundation.clock import SystemClock
from offline_queue.enrolment import enroll
from offline_queue.sink import OutboxSink
from offline_queue.store import Outbox
from offline_queue.sync import SyncSettings, SyncWorker
from offline_queue.transport import SignedTransport
from tests.offline_queue.catalogue import write_catalogue
from tests.offline_queue.helpers import application
from tests.offline_queue.live_district import LiveDistrict

#: issue [sync-speed]: queue sync at least half as fast as a plain upload of the same bytes
GOAL_OVER_PLAIN = 0.5
SERVER_TIMING = re.compile(r"app;dur=([0-9.]+)")


class RealDistrict:
    """`district-server run` in its own process (SQLite), publishing the queue tests'
    catalogue (the applications name its service item)."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.url = ""
        self._process: subprocess.Popen | None = None

    def _cli(self, *args: str) -> list[str]:
        return cli(self.data_dir, f"sqlite:///{self.data_dir}/district.db", *args)

    def __enter__(self) -> "RealDistrict":
        port = free_port()
        catalogue = write_catalogue(self.data_dir / "catalogue")
        self._process = subprocess.Popen(
            self._cli("run", "--port", str(port), "--catalogue-dir", str(catalogue)), cwd=ROOT,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{self.url}/v1/health", timeout=2)
                return self
            except requests.ConnectionError:
                if self._process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(self._process.stderr.read().decode()[-500:]) from None
                time.sleep(0.2)

    def __exit__(self, *exc: object) -> None:
        assert self._process is not None
        os.killpg(self._process.pid, signal.SIGTERM)
        self._process.wait(20)

    def enrollment_token(self, kiosk_id: str) -> str:
        """Issued beside the server (`district-server enroll-token` would seed demo citizens,
        which the queue tests' catalogue cannot)."""
        database = Database(f"sqlite:///{self.data_dir}/district.db")
        try:
            with database.transaction() as session:
                return issue_token(session, now=datetime.now(timezone.utc), ttl_s=3600,
                                   hall_code="FT-CENTRE", cohort="default", kiosk_id=kiosk_id)
        finally:
            database.dispose()


class RequestTally:
    """A `requests` response hook: requests by method and the server time they took."""

    def __init__(self) -> None:
        self.by_method: dict[str, int] = {}
        self.server_ms_by_method: dict[str, float] = {}

    def __call__(self, response: requests.Response, *args: object, **kwargs: object) -> None:
        method = response.request.method or "?"
        self.by_method[method] = self.by_method.get(method, 0) + 1
        timing = SERVER_TIMING.search(response.headers.get("Server-Timing", ""))
        if timing:
            self.server_ms_by_method[method] = \
                self.server_ms_by_method.get(method, 0.0) + float(timing.group(1))

    def summary(self, submissions: int) -> dict:
        total, per = sum(self.by_method.values()), max(submissions, 1)
        server_ms = sum(self.server_ms_by_method.values())
        return {"requests_per_submission": round(total / per, 2),
                "by_method_per_submission": {method: round(n / per, 2)
                                             for method, n in sorted(self.by_method.items())},
                "server_ms_per_request": round(server_ms / max(total, 1), 2),
                "server_ms_per_request_by_method": {
                    method: round(ms / self.by_method[method], 2)
                    for method, ms in sorted(self.server_ms_by_method.items())},
                "server_ms_per_submission": round(server_ms / per, 2)}


def _plain_server() -> tuple[uvicorn.Server, threading.Thread, int]:
    app = FastAPI()

    @app.post("/sink")
    async def sink(request: Request) -> Response:
        await request.body()
        return Response(status_code=204)

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=lambda: server.run(sockets=[sock]), daemon=True)
    thread.start()
    return server, thread, sock.getsockname()[1]


def bench_queue_sync(district, root: Path, count: int, attachments: int, size: int,
                     deadline: float) -> tuple[dict, list[tuple[bytes, list[bytes]]]]:
    """`district`: a context manager with `url` and `enrollment_token(kiosk_id)`."""
    clock = SystemClock()
    with district:
        queue = root / "kiosk"
        identity = enroll(district.url, district.enrollment_token("kiosk-bench-01"),
                          "kiosk-bench-01", queue,
                          clock=clock)
        outbox = Outbox(queue)
        sink = OutboxSink(outbox, clock=clock)
        for n in range(count):
            sink.enqueue("submission", application(n, pages=attachments),
                         {f"blob:page{i}": os.urandom(size) for i in range(attachments)})
        items = [(item.envelope.encode(), [outbox.blobs.read(sha) for sha in item.blobs])
                 for item in outbox.iter_items()]
        transport = SignedTransport(district.url, identity.kiosk_id, identity.signing_key,
                                    clock=clock)
        tally = RequestTally()
        transport.session.hooks["response"].append(tally)
        worker = SyncWorker(outbox, transport, identity, clock=clock, settings=SyncSettings())
        started, kiosk_cpu_started = time.perf_counter(), time.thread_time()
        cycles = 0
        while outbox.counts().pending and time.monotonic() < deadline:
            worker.sync_once()
            cycles += 1
        elapsed = time.perf_counter() - started
        kiosk_cpu_s = time.thread_time() - kiosk_cpu_started
        delivered = outbox.counts().delivered
        outbox.close()
    return {"delivered": delivered, "cycles": cycles, "elapsed_s": round(elapsed, 3),
            "submissions_per_s": round(delivered / elapsed, 1),
            "kiosk_cpu_ms_per_submission": round(kiosk_cpu_s * 1000 / max(delivered, 1), 2),
            **tally.summary(delivered)}, items


def bench_plain_upload(items: list[tuple[bytes, list[bytes]]], deadline: float) -> dict:
    server, thread, port = _plain_server()
    session = requests.Session()
    session.trust_env = False
    url = f"http://127.0.0.1:{port}/sink"
    sent = 0
    started = time.perf_counter()
    try:
        for envelope, blobs in items:
            if time.monotonic() > deadline:
                break
            for blob in blobs:
                session.post(url, data=blob).raise_for_status()
            session.post(url, data=envelope,
                         headers={"Content-Type": "application/json"}).raise_for_status()
            sent += 1
        elapsed = time.perf_counter() - started
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    return {"uploaded": sent, "elapsed_s": round(elapsed, 3),
            "submissions_per_s": round(sent / elapsed, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100, help="submissions to deliver")
    parser.add_argument("--attachments", type=int, default=3)
    parser.add_argument("--attachment-bytes", type=int, default=200 * 1024)
    parser.add_argument("--max-seconds", type=float, default=120.0,
                        help="per sync measurement")
    args = parser.parse_args(argv)
    shape = (args.count, args.attachments, args.attachment_bytes)
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        print("phase: enqueue, then sync to the in-process server", file=sys.stderr, flush=True)
        synced, items = bench_queue_sync(LiveDistrict(root / "district"), root / "in-process",
                                         *shape, time.monotonic() + args.max_seconds)
        print("phase: the same in JSON batches (base64)", file=sys.stderr, flush=True)
        synced_json, _ = bench_queue_sync(
            LiveDistrict(root / "district-json", binary_submission_batches=False),
            root / "json", *shape, time.monotonic() + args.max_seconds)
        print("phase: the same in v1, one by one", file=sys.stderr, flush=True)
        synced_v1, _ = bench_queue_sync(
            LiveDistrict(root / "district-v1", submission_batches=False), root / "v1",
            *shape, time.monotonic() + args.max_seconds)
        print("phase: the same to `district-server run`", file=sys.stderr, flush=True)
        real, _ = bench_queue_sync(RealDistrict(root / "real-district"), root / "real",
                                   *shape, time.monotonic() + args.max_seconds)
        print("phase: the same bytes as plain uploads", file=sys.stderr, flush=True)
        plain = bench_plain_upload(items, time.monotonic() + args.max_seconds / 2)
    bytes_each = sum(len(e) + sum(len(b) for b in blobs) for e, blobs in items) // len(items)
    print(json.dumps({
        "benchmark": "sync",
        "submission": f"application + {args.attachments} x {args.attachment_bytes} B "
                      "attachments (sealed)",
        "bytes_per_submission": bytes_each,
        "queue_sync": synced,
        "queue_sync_json_batches": synced_json,
        "queue_sync_v1": synced_v1,
        "queue_sync_real_server": real,
        "plain_upload": plain,
        "goal_over_plain": GOAL_OVER_PLAIN,
        "queue_over_plain": round(synced["submissions_per_s"] / plain["submissions_per_s"], 3),
        "queue_json_batches_over_plain": round(synced_json["submissions_per_s"]
                                               / plain["submissions_per_s"], 3),
        "queue_v1_over_plain": round(synced_v1["submissions_per_s"]
                                     / plain["submissions_per_s"], 3),
        "real_server_queue_over_plain": round(real["submissions_per_s"]
                                              / plain["submissions_per_s"], 3),
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
