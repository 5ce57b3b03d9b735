"""Long fault-injection runs; prints JSON (the CI-sized runs are tests in tests/offline_queue/).

- crash: SIGKILL of the kiosk at each durability boundary (default 100 kills per boundary)
- io: ENOSPC and EIO injected with strace at every write and fsync of an enqueue and of a
  sync cycle (both errnos at every position)
- server_kill: SIGKILL of the district server at each intake boundary while the kiosk
  retries (default 20 kills per boundary)

    python bench/faults.py [--crash-rounds N] [--server-rounds N] [--only crash|io|server_kill]
"""
from __future__ import annotations

import sys
from pathlib import Path

# bench/ must not lead the import path: bench/queue.py would shadow the standard library's queue
sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import json
import tempfile


def main() -> int:
    from tests.offline_queue.crashtest import run_crash_test
    from tests.offline_queue.iofaults import run_io_fault_test, strace_available
    from tests.offline_queue.live_district import LiveDistrict
    from tests.offline_queue.serverkill import run_server_kill_test
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--crash-rounds", type=int, default=100)
    parser.add_argument("--server-rounds", type=int, default=20)
    parser.add_argument("--only", choices=["crash", "io", "server_kill"])
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as root:
        base = Path(root)
        if args.only in (None, "crash"):
            with LiveDistrict(base / "crash-server") as district:
                results["crash"] = run_crash_test(district, base / "crash-kiosk",
                                                  args.crash_rounds)
        if args.only in (None, "io"):
            if strace_available():
                with LiveDistrict(base / "io-server") as district:
                    results["io"] = run_io_fault_test(district, base / "io-kiosk",
                                                      both_errnos=True)
            else:
                results["io"] = {"ok": False, "problems": ["strace is not installed"]}
        if args.only in (None, "server_kill"):
            (base / "server-kill").mkdir()
            results["server_kill"] = run_server_kill_test(base / "server-kill",
                                                          args.server_rounds)
    print(json.dumps(results, indent=2))
    return 0 if all(result["ok"] for result in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
