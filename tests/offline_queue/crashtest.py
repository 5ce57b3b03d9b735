"""Crash test: SIGKILL a kiosk process at every durability boundary, many times, then prove
that every submission whose receipt was shown is on the server exactly once.

Each round starts a fresh kiosk process (crash_child.py) with KIOSK_CRASH_AT set to one
boundary; the process captures an application and syncs, and kills itself with SIGKILL
when it reaches that boundary. After all rounds a clean process drains the queue, and
the check runs: the kiosk database passes `integrity_check`, nothing is left pending,
the server holds each submission id and each kiosk_seq once, exactly the kiosk's items,
including every one whose receipt screen was shown, and its receipts are contiguous.

    .venv/bin/python -m tests.offline_queue.crashtest --rounds 100     # long run, JSON out
(tests/offline_queue/test_crash.py runs it with 30 kills per boundary in CI; bench/faults.py
runs the long version.)
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from foundation.clock import SystemClock
from offline_queue.crashpoints import BOUNDARIES
from offline_queue.enrolment import enroll
from offline_queue.store import DELIVERED, Outbox
from tests.offline_queue.helpers import duplicates_on_server

ROOT = Path(__file__).resolve().parents[2]
KIOSK_ID = "kiosk-crash-01"


def _child(queue: Path, server_url: str, mode: str, n: int,
           crash_at: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_CRASH")}
    if crash_at:
        env["KIOSK_CRASH_AT"] = crash_at
    return subprocess.run([sys.executable, "-m", "tests.offline_queue.crash_child",
                           "--queue", str(queue), "--server", server_url, "--mode", mode,
                           "--n", str(n)], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def run_crash_test(district, queue: Path, rounds: int,
                   boundaries: tuple[str, ...] = BOUNDARIES) -> dict:
    """`district` is a started tests.offline_queue.live_district.LiveDistrict."""
    started = time.monotonic()
    enroll(district.url, district.enrollment_token(KIOSK_ID), KIOSK_ID, queue, clock=SystemClock())
    shown: list[str] = []
    kills: Counter[str] = Counter()
    survivors: list[str] = []
    n = 0
    for boundary in boundaries:
        for _ in range(rounds):
            n += 1
            proc = _child(queue, district.url, "submit", n, boundary)
            shown += [line.split()[1] for line in proc.stdout.splitlines()
                      if line.startswith("SHOWN ")]
            if proc.returncode == -signal.SIGKILL:
                kills[boundary] += 1
            else:
                survivors.append(f"{boundary}: exit {proc.returncode}: "
                                 f"{proc.stdout[-300:]} {proc.stderr[-500:]}")
    drains = []
    for _ in range(5):
        proc = _child(queue, district.url, "drain", 0, None)
        result = json.loads(proc.stdout.split("RESULT ", 1)[1]) if "RESULT " in proc.stdout \
            else {"ok": False, "error": proc.stderr[-500:], "pending": None}
        drains.append(result)
        if result["ok"] and result["pending"] == 0:
            break

    outbox = Outbox(queue)
    local = {item.item_id: item for item in outbox.iter_items()}
    on_server = district.submission_ids(KIOSK_ID)
    server_ids = [sid for sid, _ in on_server]
    server_seqs = [seq for _, seq in on_server]
    report = {
        "rounds_per_boundary": rounds,
        "kills": dict(kills),
        "not_killed": survivors,
        "receipts_shown": len(shown),
        "local_items": len(local),
        "local_not_delivered": sum(1 for i in local.values() if i.state != DELIVERED),
        "server_rows": len(on_server),
        "duplicate_ids_on_server": len(server_ids) - len(set(server_ids)),
        "duplicate_seqs_on_server": len(server_seqs) - len(set(server_seqs)),
        "shown_missing_on_server": sorted(set(shown) - set(server_ids)),
        "server_not_local": sorted(set(server_ids) - set(local)),
        "local_not_on_server": sorted(set(local) - set(server_ids)),
        "server_seqs_contiguous": sorted(server_seqs) == list(range(1, len(server_seqs) + 1)),
        "integrity_check": outbox.integrity_check(),
        "drain": drains[-1],
        "elapsed_s": round(time.monotonic() - started, 1),
    }
    outbox.close()
    report["lost"] = len(set(report["shown_missing_on_server"])
                         | set(report["local_not_on_server"]))
    report["duplicated"] = duplicates_on_server(on_server)
    report["ok"] = (not survivors and report["local_not_delivered"] == 0
                    and report["duplicate_ids_on_server"] == 0
                    and report["duplicate_seqs_on_server"] == 0
                    and not report["shown_missing_on_server"]
                    and not report["server_not_local"] and not report["local_not_on_server"]
                    and report["integrity_check"] == "ok")
    return report


def main(argv: list[str] | None = None) -> int:
    from tests.offline_queue.live_district import LiveDistrict
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=100, help="kills per boundary")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as root:
        with LiveDistrict(Path(root) / "server") as district:
            report = run_crash_test(district, Path(root) / "kiosk", args.rounds)
    print(json.dumps(report, indent=2))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
