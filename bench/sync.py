"""Queue sync throughput over loopback to the live district server, beside a plain HTTP
upload of the same bytes (JSON out).

- `queue_sync`: N captured applications (each with attachments) delivered by the sync
  worker to `district_server.app.create_app` under uvicorn: blob HEAD + resumable upload,
  signed idempotent PUT, receipt verification, local bookkeeping;
- `plain_upload`: the same envelope and sealed attachment bytes POSTed with requests to a
  trivial endpoint of the same stack (uvicorn + FastAPI, body read and dropped): the floor.

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
import socket
import tempfile
import threading
import time

# run as a script: the repository root replaces bench/ on the path (bench/queue.py would
# otherwise shadow the standard library module `queue`)

import requests
import uvicorn
from fastapi import FastAPI, Request, Response

from foundation.clock import SystemClock
from offline_queue.enrolment import enroll
from offline_queue.sink import OutboxSink
from offline_queue.store import Outbox
from offline_queue.sync import SyncSettings, SyncWorker
from offline_queue.transport import SignedTransport
from tests.offline_queue.helpers import application
from tests.offline_queue.live_district import LiveDistrict


def _plain_server() -> tuple[uvicorn.Server, threading.Thread, int]:
    app = FastAPI()

    @app.post("/sink")
    async def sink(request: Request) -> Response:
        await request.body()
        return Response(status_code=204)

    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=lambda: server.run(sockets=[sock]), daemon=True)
    thread.start()
    return server, thread, sock.getsockname()[1]


def bench_queue_sync(root: Path, count: int, attachments: int, size: int,
                     deadline: float) -> tuple[dict, list[tuple[bytes, list[bytes]]]]:
    clock = SystemClock()
    with LiveDistrict(root / "district") as district:
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
        worker = SyncWorker(outbox, SignedTransport(district.url, identity.kiosk_id,
                                                    identity.signing_key, clock=clock),
                            identity, clock=clock, settings=SyncSettings())
        started = time.perf_counter()
        cycles = 0
        while outbox.counts().pending and time.monotonic() < deadline:
            worker.sync_once()
            cycles += 1
        elapsed = time.perf_counter() - started
        delivered = outbox.counts().delivered
        outbox.close()
    return {"delivered": delivered, "cycles": cycles, "elapsed_s": round(elapsed, 3),
            "submissions_per_s": round(delivered / elapsed, 1)}, items


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
    parser.add_argument("--max-seconds", type=float, default=120.0)
    args = parser.parse_args(argv)
    deadline = time.monotonic() + args.max_seconds
    with tempfile.TemporaryDirectory() as root:
        print("phase: enqueue, then sync through the queue", file=sys.stderr, flush=True)
        synced, items = bench_queue_sync(Path(root), args.count, args.attachments,
                                         args.attachment_bytes, deadline)
        print("phase: the same bytes as plain uploads", file=sys.stderr, flush=True)
        plain = bench_plain_upload(items, time.monotonic() + args.max_seconds / 2)
    bytes_each = sum(len(e) + sum(len(b) for b in blobs) for e, blobs in items) // len(items)
    print(json.dumps({
        "benchmark": "sync",
        "submission": f"application + {args.attachments} x {args.attachment_bytes} B "
                      "attachments (sealed)",
        "bytes_per_submission": bytes_each,
        "queue_sync": synced,
        "plain_upload": plain,
        "queue_over_plain": round(synced["submissions_per_s"] / plain["submissions_per_s"], 3),
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
