"""Soak: N citizen sessions through the real kiosk, headless, in one process, and what grew.

The demo's kiosk (every device simulated, the district server embedded, the Qt Quick shell
offscreen) walks the `apply_submit` scenario again and again; after every session a device
fails or is unplugged and recovers, and every other session the district's line is cut
while the queue syncs and restored. At the end the queue is drained and the district's rows
compared with the kiosk's: each application delivered exactly once.

    python bench/soak.py --sessions 100            # prints one JSON object

Figures: sessions completed, applications submitted / delivered once / lost / duplicated,
RSS (start, peak, end), descriptors and threads (start, end), and the RSS slope in bytes
per session (least squares over the sessions after the first tenth, once caches are warm).
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sqlite3
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# bench/ must not lead the import path: bench/queue.py would shadow the standard library's queue
sys.path[0] = str(ROOT)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SCENARIO = "apply_submit"
#: between sessions, in turn: (device, failing action, recovering action)
DEVICE_TROUBLE = (("receipt_printer", "fail", "recover"), ("id_card_reader", "remove", "replug"),
                  ("code_scanner", "fail", "recover"))
#: clock seconds after which a visit has timed out and been wiped
IDLE_WIPE_S = 600.0


def rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


def slope(values: list[int]) -> float:
    """Least-squares slope of `values` over their index."""
    n = len(values)
    if n < 2:
        return 0.0
    mean_x, mean_y = (n - 1) / 2, sum(values) / n
    num = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(values))
    return num / sum((x - mean_x) ** 2 for x in range(n))


def server_rows(district_db: Path, kiosk_id: str) -> list[tuple[str, int]]:
    with sqlite3.connect(district_db) as db:
        return db.execute("SELECT submission_id, kiosk_seq FROM submissions "
                          "WHERE kiosk_id = ? AND kind = 'submission'", (kiosk_id,)).fetchall()


def flap_network(demo) -> None:
    """Cut the district's line for one sync pass (the session's application is then sent,
    or retried, across the cut), then restore it."""
    worker = demo.core.queue.worker
    demo.set_network_cut(True)
    worker.cycle_done.clear()
    worker.wake()
    worker.cycle_done.wait(120)
    demo.set_network_cut(False)


def drain(core, limit_cycles: int = 50) -> int:
    """Sync until nothing is pending (or `limit_cycles` passes); returns what is left."""
    worker = core.queue.worker
    for _ in range(limit_cycles):
        if core.queue.outbox.counts().pending == 0:
            break
        worker.cycle_done.clear()
        worker.wake()
        worker.cycle_done.wait(120)
    return core.queue.outbox.counts().pending


def soak(sessions: int, data_dir: Path) -> dict:
    from foundation.clock import TestClock
    from kiosk.config import load_config
    from kiosk.logging_setup import configure_logging
    from kiosk.scenario import load_scenario
    from launcher.demo import Demo
    from ui.app import ShellApp, application
    from ui.scenario_runner import ScenarioRunner, StepFailed

    configure_logging(data_dir / "logs")
    scenario = load_scenario(ROOT / "config" / "scenarios" / f"{SCENARIO}.yaml")
    loaded = load_config(None)
    loaded = dataclasses.replace(loaded, config=scenario.configure(loaded.config))
    clock = TestClock()
    demo = Demo.create(loaded, data_dir, clock=clock, with_server=True)
    demo.start()
    demo.wait_synced()
    app = application(["soak"], headless=True)
    demo.core.wait_settled()
    shell = ShellApp(loaded.config, core=demo.core, speech_engine="mock")
    shell.show(windowed=True)
    runner = ScenarioRunner.for_demo(shell, demo)
    app.processEvents()
    start = {"rss": rss_bytes(), "fds": descriptors(), "threads": threading.active_count()}
    samples, peak, completed, failures = [], start["rss"], 0, []
    try:
        for number in range(sessions):
            try:
                runner.run(scenario)
                completed += 1
            except StepFailed as failure:
                failures.append(f"session {number} ({scenario.name}): {failure}")
                demo.set_network_cut(False)
            # the citizen leaves; the visit times out (and the language or text size they
            # chose goes with it) before the next citizen comes
            for _ in range(int(IDLE_WIPE_S // 10)):   # the shell's timers run on the Qt thread
                clock.advance(10)
                app.processEvents()
            if number % 2:
                flap_network(demo)
            name, fail, recover = DEVICE_TROUBLE[number % len(DEVICE_TROUBLE)]
            device = demo.core.devices[name]
            device.simulate(fail)
            device.simulate(recover)
            # queued behind the reopen on the device's worker: done once it is back
            device.submit("soak: back", lambda _token: None, timeout=None,
                          internal=True).result(60)
            app.processEvents()
            samples.append(rss_bytes())
            peak = max(peak, samples[-1])
        left = drain(demo.core)
        kiosk_id = demo.core.queue.identity.kiosk_id
        local = sum(1 for item in demo.core.queue.outbox.iter_items(None, kiosk_id)
                    if item.kind == "submission")
        rows = server_rows(data_dir / "district" / "district.db", kiosk_id)
        end = {"rss": rss_bytes(), "fds": descriptors(), "threads": threading.active_count()}
    finally:
        shell.close()
        demo.stop()
    warm = samples[len(samples) // 10:]
    return {
        "sessions": sessions, "sessions_completed": completed,
        "sessions_failed": len(failures), "first_failures": failures[:10],
        "submitted": local, "delivered_once": len({sid for sid, _ in rows}),
        "lost": max(0, local - len(rows)), "pending_after_drain": left,
        "duplicated": (len(rows) - len({sid for sid, _ in rows}))
        + (len(rows) - len({seq for _, seq in rows})),
        "rss_start": start["rss"], "rss_peak": peak, "rss_end": end["rss"],
        "fds_start": start["fds"], "fds_end": end["fds"],
        "threads_start": start["threads"], "threads_end": end["threads"],
        "rss_slope_bytes_per_session": round(slope(warm), 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10,
                        help="citizen sessions (default 10, ~30 s each on 2 busy cores)")
    parser.add_argument("--data-dir", type=Path, help="default: a new temporary directory")
    args = parser.parse_args(argv)
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="kiosk-soak-"))
    result = soak(args.sessions, data_dir)
    print(json.dumps(result))
    return 0 if result["sessions_completed"] == args.sessions and not result["lost"] \
        and not result["duplicated"] else 1


if __name__ == "__main__":
    sys.exit(main())
