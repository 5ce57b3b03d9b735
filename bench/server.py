"""District server throughput: heartbeats (signed PATCH of reported state) and submission
PUTs per second with latency percentiles, on SQLite and PostgreSQL, beside the trivial
GET /v1/health of the same server as the floor. One bounded run; prints JSON.

The server runs as `district-server run` in its own process (one uvicorn worker), the load
comes from CONCURRENCY client threads with keep-alive connections on loopback.
PostgreSQL is used when KIOSK_TEST_PG_URL (or the default test URL) answers; its tables
are dropped first, so point it at a scratch database only.
"""
from __future__ import annotations

import sys
from pathlib import Path

# bench/ must not lead the import path: bench/queue.py would shadow the standard library's queue
sys.path[0] = str(Path(__file__).resolve().parents[1])

import json
import os
import signal
import socket
import statistics
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

ROOT = Path(__file__).resolve().parents[1]

from tests.district_server.kiosk_double import KioskDouble

PG_URL = os.environ.get("KIOSK_TEST_PG_URL",
                        "postgresql+psycopg://kiosk_test:kiosk_test@127.0.0.1:5432/kiosk_test")
REQUESTS = int(os.environ.get("BENCH_SERVER_REQUESTS", "400"))
CONCURRENCY = 4
TIME_LIMIT_S = 20.0        # per measurement, whatever REQUESTS says


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cli(data_dir: Path, db: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "district_server.cli", "--data-dir", str(data_dir),
            "--db", db, *args]


def postgres_available() -> tuple[bool, str]:
    try:
        import psycopg
        with psycopg.connect(PG_URL.replace("postgresql+psycopg", "postgresql"),
                             connect_timeout=3, autocommit=True) as connection:
            connection.execute("DROP SCHEMA IF EXISTS public CASCADE")
            connection.execute("CREATE SCHEMA public")
        return True, ""
    except Exception as error:       # any failure: report it, bench the rest
        return False, str(error)


def measure(label: str, calls, expected: set[int]) -> dict:
    """Run the prepared zero-argument calls on CONCURRENCY threads; latencies in ms."""
    print(f"phase:   {label}", file=sys.stderr, flush=True)
    latencies, failures = [], 0
    deadline = time.perf_counter() + TIME_LIMIT_S

    def one(call):
        nonlocal failures
        if time.perf_counter() > deadline:
            return
        start = time.perf_counter()
        status = call()
        latencies.append((time.perf_counter() - start) * 1000)
        if status not in expected:
            failures += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        list(pool.map(one, calls))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {"requests": len(latencies), "per_second": round(len(latencies) / elapsed, 1),
            "p50_ms": round(statistics.median(latencies), 2),
            "p99_ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 2),
            "failures": failures}


def bench_backend(db: str, work: Path) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = subprocess.Popen(cli(work, db, "run", "--port", str(port)), cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/v1/health", timeout=2)
                break
            except httpx.TransportError:
                if server.poll() is not None or time.monotonic() > deadline:
                    return {"error": server.stderr.read().decode()[-500:]}
                time.sleep(0.2)
        token = subprocess.run(cli(work, db, "enroll-token", "--kiosk-id", "bench-kiosk-01"),
                               cwd=ROOT, capture_output=True,
                               text=True, check=True).stdout.strip()
        clients = [httpx.Client(base_url=base, timeout=30) for _ in range(CONCURRENCY)]
        kiosk = KioskDouble(clients[0], "bench-kiosk-01")
        kiosk.enroll(token)

        def as_client(index: int) -> KioskDouble:
            double = KioskDouble(clients[index % CONCURRENCY], kiosk.kiosk_id)
            double.key, double.district = kiosk.key, kiosk.district
            return double

        health = [lambda i=i: clients[i % CONCURRENCY].get("/v1/health").status_code
                  for i in range(REQUESTS)]
        target = f"/v1/kiosks/{kiosk.kiosk_id}/state"
        heartbeats = [lambda i=i: as_client(i).request(
            "PATCH", target, {"queue_depth": i % 7, "clock_offset_ms": i}).status_code
            for i in range(REQUESTS)]
        rating = {"level": 5, "indicator_set_version": "gd-2020",
                  "rated_at": "2026-11-26T10:00:00Z"}
        envelopes = [kiosk.envelope("rating", rating) for _ in range(REQUESTS)]
        puts = [lambda i=i: as_client(i).put(envelopes[i]).status_code for i in range(REQUESTS)]
        result = {"trivial_health": measure("health", health, {204}),
                  "heartbeat_patch_state": measure("heartbeat", heartbeats, {200}),
                  "submission_put": measure("put", puts, {201})}
        replays = [lambda i=i: as_client(i).put(envelopes[i]).status_code
                   for i in range(REQUESTS)]
        result["submission_put_replay"] = measure("replay", replays, {200})
        for client in clients:
            client.close()
        return result
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(20)


def main() -> int:
    global REQUESTS
    import argparse
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=REQUESTS,
                        help="requests per measurement (default %(default)s, or "
                             "$BENCH_SERVER_REQUESTS)")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    REQUESTS = args.requests
    report = {"requests_per_measurement": REQUESTS, "concurrency": CONCURRENCY,
              "server": "district-server run, 1 uvicorn worker, loopback"}
    with tempfile.TemporaryDirectory() as scratch:
        if args.backend in ("sqlite", "both"):
            print("phase: sqlite", file=sys.stderr, flush=True)
            report["sqlite"] = bench_backend(f"sqlite:///{scratch}/bench.db",
                                             Path(scratch) / "sq")
        if args.backend in ("postgresql", "both"):
            print("phase: postgresql", file=sys.stderr, flush=True)
            ok, reason = postgres_available()
            report["postgresql"] = bench_backend(PG_URL, Path(scratch) / "pg") if ok \
                else {"skipped": f"PostgreSQL not reachable: {reason}"}
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
