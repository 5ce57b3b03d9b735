"""District server throughput: heartbeats (signed PATCH of reported state) and submission
PUTs per second with latency percentiles, on SQLite and PostgreSQL, beside the trivial
GET /v1/health of the same server as the floor; and a fleet (default 5,000 kiosks, each
reporting every 30 s) as an open-loop arrival rate: latency counts from each request's
scheduled time, so a server falling behind shows in p99, beside GET /v1/health at the same
rate. One bounded run; prints JSON.

The server runs as `district-server run --workers N` in its own process group (`--workers
1,4`: one run per count, the first the baseline of the others), the load comes from
CONCURRENCY client threads with keep-alive connections on loopback (the open loop: up to
OPEN_LOOP_THREADS). PostgreSQL is used when KIOSK_TEST_PG_URL (or the default test URL)
answers: each run gets a database of its own (kiosk_bench_<pid>_<workers>), dropped after.
"""
from __future__ import annotations

import sys
from pathlib import Path

# bench/ must not lead the import path: bench/queue.py would shadow the standard library's queue
sys.path[0] = str(Path(__file__).resolve().parents[1])

import contextlib
import json
import os
import signal
import socket
import statistics
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Iterator

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


def _admin_connection():
    import psycopg
    return psycopg.connect(PG_URL.replace("postgresql+psycopg", "postgresql"),
                           connect_timeout=3, autocommit=True)


def postgres_reachable() -> tuple[bool, str]:
    try:
        with _admin_connection():
            return True, ""
    except Exception as error:       # any failure: report it, bench the rest
        return False, str(error)


@contextlib.contextmanager
def scratch_postgres(workers: int) -> Iterator[str]:
    """A database of this run's own on the test server (others use the same server),
    dropped afterwards; raises when PostgreSQL does not answer."""
    from sqlalchemy.engine import make_url
    name = f"kiosk_bench_{os.getpid()}_{workers}"
    with _admin_connection() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with _admin_connection() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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


FLEET_KIOSKS = 5000
FLEET_INTERVAL_S = 30.0
FLEET_SECONDS = 20.0
OPEN_LOOP_THREADS = 64


def open_loop(label: str, calls, rate_per_s: float, expected: set[int]) -> dict:
    """Start call i at i / rate seconds whatever the answers before it did; ms latencies from
    the scheduled start (no coordinated omission)."""
    print(f"phase:   {label} (open loop, {rate_per_s:.0f}/s)", file=sys.stderr, flush=True)
    latencies, failures = [], 0

    def one(call, scheduled: float) -> None:
        nonlocal failures
        try:
            status = call()
        except httpx.HTTPError:
            status = None
        latencies.append((time.perf_counter() - scheduled) * 1000)
        if status not in expected:
            failures += 1

    start, cpu_start = time.perf_counter(), time.process_time()
    with ThreadPoolExecutor(OPEN_LOOP_THREADS) as pool:
        for index, call in enumerate(calls):
            scheduled = start + index / rate_per_s
            delay = scheduled - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(one, call, scheduled)
    latencies.sort()
    elapsed = time.perf_counter() - start
    return {"requests": len(latencies), "offered_per_second": round(rate_per_s, 1),
            "achieved_per_second": round(len(latencies) / elapsed, 1),
            "p50_ms": round(statistics.median(latencies), 2),
            "p99_ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 2),
            "failures": failures,
            # the load generator signs every request on the server's cores: its share
            "client_cpu_share": round((time.process_time() - cpu_start) / elapsed, 2)}


def bench_fleet(db: str, base: str, key, district) -> dict:
    """FLEET_KIOSKS kiosks (registered straight in the database, one signing key for all)
    each PATCHing its reported state every FLEET_INTERVAL_S, for FLEET_SECONDS."""
    from datetime import datetime, timezone

    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    from district_server.db import Database
    from district_server.kiosks.models import Kiosk
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    database = Database(db)
    with database.transaction() as session:
        now = datetime.now(timezone.utc)
        session.add_all(Kiosk(kiosk_id=f"fleet-{n:05d}", signing_public_key=public,
                              hall_code=f"HALL-{n % 50:02d}", cohort="default",
                              enrolled_at=now, last_contact_at=now, desired_version=0,
                              reported_json="{}") for n in range(FLEET_KIOSKS))
    database.dispose()
    rate = FLEET_KIOSKS / FLEET_INTERVAL_S
    count = int(rate * FLEET_SECONDS)
    limits = httpx.Limits(max_connections=OPEN_LOOP_THREADS,
                          max_keepalive_connections=OPEN_LOOP_THREADS)
    with httpx.Client(base_url=base, timeout=30, limits=limits) as client:
        def kiosk(n: int) -> KioskDouble:
            double = KioskDouble(client, f"fleet-{n % FLEET_KIOSKS:05d}")
            double.key, double.district = key, district
            return double

        def report(n: int) -> dict:
            delta = {"queue_depth": n % 3, "session_active": n % 2 == 0}
            if n % 10 == 0:    # now and then a device changes too (alert rules run)
                delta["devices"] = {"receipt_printer": {
                    "availability": "online", "severity": "ok", "kind": "printer",
                    "units": {"paper": "low" if n % 20 == 0 else "full"}}}
            return delta
        health = [lambda: client.get("/v1/health").status_code for _ in range(count)]
        heartbeats = [lambda n=n: kiosk(n).request(
            "PATCH", f"/v1/kiosks/fleet-{n % FLEET_KIOSKS:05d}/state", report(n)).status_code
            for n in range(count)]
        return {"kiosks": FLEET_KIOSKS, "interval_s": FLEET_INTERVAL_S,
                "baseline_health": open_loop("fleet health", health, rate, {204}),
                "heartbeat_patch_state": open_loop("fleet heartbeats", heartbeats, rate,
                                                   {200})}


def bench_backend(db: str, work: Path, workers: int) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = subprocess.Popen(cli(work, db, "run", "--port", str(port),
                                  "--workers", str(workers)), cwd=ROOT,
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
        if FLEET_KIOSKS:
            result["fleet"] = bench_fleet(db, base, kiosk.key, kiosk.district)
        for client in clients:
            client.close()
        return result
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(20)


def worker_counts(value: str) -> list[int]:
    counts = [int(part) for part in value.split(",")]
    if not counts or min(counts) < 1:
        raise ValueError("worker counts are positive")
    return counts


def main() -> int:
    global REQUESTS, FLEET_KIOSKS, FLEET_SECONDS
    import argparse
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=REQUESTS,
                        help="requests per measurement (default %(default)s, or "
                             "$BENCH_SERVER_REQUESTS)")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--workers", type=worker_counts, default=[1],
                        help="uvicorn workers, comma-separated: one run each (default 1; "
                             "e.g. 1,4 for 1 worker as the baseline of 4)")
    parser.add_argument("--fleet", type=int, default=FLEET_KIOSKS,
                        help="kiosks reporting every 30 s, open loop (default %(default)s; "
                             "0: skip)")
    parser.add_argument("--fleet-seconds", type=float, default=FLEET_SECONDS,
                        help="how long the fleet runs (default %(default)s)")
    args = parser.parse_args()
    REQUESTS, FLEET_KIOSKS, FLEET_SECONDS = args.requests, args.fleet, args.fleet_seconds
    report = {"requests_per_measurement": REQUESTS, "concurrency": CONCURRENCY,
              "server": "district-server run --workers N, loopback",
              "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory() as scratch:
        for workers in args.workers:
            suffix = "" if args.workers == [1] else f"_{workers}_workers"
            if args.backend in ("sqlite", "both"):
                print(f"phase: sqlite, {workers} worker(s)", file=sys.stderr, flush=True)
                report[f"sqlite{suffix}"] = bench_backend(
                    f"sqlite:///{scratch}/bench-{workers}.db", Path(scratch) / f"sq{workers}",
                    workers)
            if args.backend in ("postgresql", "both"):
                print(f"phase: postgresql, {workers} worker(s)", file=sys.stderr, flush=True)
                reachable, reason = postgres_reachable()
                if not reachable:
                    report[f"postgresql{suffix}"] = {
                        "skipped": f"PostgreSQL not reachable: {reason}"}
                    continue
                with scratch_postgres(workers) as url:
                    report[f"postgresql{suffix}"] = bench_backend(
                        url, Path(scratch) / f"pg{workers}", workers)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
