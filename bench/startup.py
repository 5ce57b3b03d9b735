"""Start-up time: process start to the attract screen's first frame, beside the floor.

The floor is a minimal Qt Quick window (one rectangle) in a fresh process: what any Qt
Quick app pays. The kiosk is `kiosk run` itself (simulated devices, a fresh data
directory), its shell watched frame by frame: the first frame (the attract screen, tiles
saying "checking"), ready (the core is up and every tile has its answer), then a tap on
a tile and the journey's first screen on the screen, so a cost moved from the start to
the first tap shows. Cold: an empty QML disk cache; warm: the cache a previous start
left; both with the data directory (and its configuration snapshot) of a previous start.
First start: a fresh data directory, no snapshot, so the configuration loads before the
first frame (once after installing or changing the configuration). Each sample is a new
Python process, offscreen; the child reports moments on CLOCK_MONOTONIC, which is
system-wide on Linux, so the parent subtracts the moment it spawned the child; each also
reports the CPU time it used by its first frame, which waiting for the cores of a busy
machine leaves out. The kiosk runs with the environment its systemd unit gives it
(bench/kiosk_environment.py: its fontconfig file, its malloc arenas; a name set already is
kept, to measure otherwise), the floor with this bench's; the JSON says which. Phases go to
stderr, JSON to stdout.

    .venv/bin/python bench/startup.py [--runs N] [--journey apply] [--no-compile]
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# bench/ must not lead the import path: bench/queue.py would shadow the standard library's queue
sys.path[0] = str(ROOT)
from bench.kiosk_environment import as_the_kiosk_runs, reported  # noqa: E402

PACKAGES = ("launcher", "ui", "kiosk", "devices", "offline_queue", "foundation", "wire")

FLOOR = r"""
import sys, time
from PySide6.QtGui import QGuiApplication
from PySide6.QtQuick import QQuickView
app = QGuiApplication(sys.argv)
view = QQuickView()
view.setSource(sys.argv[1])
def done():
    print(time.monotonic(), time.process_time(), flush=True)
    app.quit()
view.frameSwapped.connect(done)
view.show()
app.exec()
"""
FLOOR_QML = "import QtQuick\nRectangle { width: 1080; height: 1920; color: 'white' }\n"

KIOSK = r"""
import json, sys, time
from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from ui import app as ui_app

JOURNEY = sys.argv[2]
marks = {}


class Probe(ui_app.ShellApp):
    # the kiosk's own shell, noting when frames show what the citizen sees
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.view.frameSwapped.connect(self.frame)

    def frame(self):
        now = time.monotonic()
        tiles = self.shell.property("tiles")
        if "first_frame" not in marks:
            marks["first_frame"] = now
            marks["first_frame_cpu"] = time.process_time()
            marks["first_frame_tiles_checking"] = all(t["checking"] for t in tiles)
            marks["first_frame_any_available"] = any(t["available"] for t in tiles)
        elif "ready" not in marks and self.core is not None \
                and not any(t["checking"] for t in tiles):
            marks["ready"] = now
            QTimer.singleShot(0, self.tap)
        elif "tap" in marks and "journey_frame" not in marks \
                and self.screen_name.startswith(JOURNEY + "."):
            marks["journey_frame"] = now
            marks["journey_screen"] = self.screen_name
            print(json.dumps(marks), flush=True)
            QGuiApplication.instance().quit()

    def tap(self):
        marks["tap"] = time.monotonic()
        if not self.navigator.startJourney(JOURNEY):
            print(json.dumps({"error": f"journey {JOURNEY} did not start", **marks}))
            QGuiApplication.instance().exit(1)


ui_app.ShellApp = Probe
from launcher.cli import main
sys.exit(main(["--data-dir", sys.argv[1], "run", "--windowed"]))
"""
PHASES = ("first_frame", "ready", "tap", "journey_frame")


def environment(qml_cache: Path, *, kiosk: bool) -> dict[str, str]:
    """The kiosk's as its systemd unit gives it (its fonts, its malloc arenas); the floor's
    as any Qt Quick app has it, this bench's own."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT),
           "QML_DISK_CACHE_PATH": str(qml_cache)}
    return as_the_kiosk_runs(env) if kiosk else env


def run(code: str, *args: str, env: dict[str, str]) -> tuple[float, str, int]:
    """(the moment the child was started, what it printed, its exit code); a fresh
    process each time."""
    started = time.monotonic()
    # a session of its own: the face child it spawned ends with it (left running, it
    # loaded its models on the cores the next sample is measured on)
    child = subprocess.Popen([sys.executable, "-X", "faulthandler", "-c", code, *args],
                             env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, start_new_session=True)
    try:
        stdout, stderr = child.communicate(timeout=300)
    finally:
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass   # nothing of it left
    if child.returncode != 0 and not stdout.strip():
        raise SystemExit(f"the measured process failed ({child.returncode}):\n{stderr}")
    if child.returncode != 0:
        print(f"the measured process ended with {child.returncode} after its last moment; "
              f"the sample is kept, counted in ended_abnormally_after_the_journey_screen:\n"
              f"{stderr[-3000:]}", file=sys.stderr)
    return started, stdout, child.returncode


def floor_sample(qml: Path, qml_cache: Path) -> tuple[float, float]:
    """(seconds to the first frame, CPU seconds the process used by then)."""
    started, out, _code = run(FLOOR, str(qml), env=environment(qml_cache, kiosk=False))
    moment, cpu = out.split()[:2]
    return float(moment) - started, float(cpu)


def kiosk_sample(journey: str, qml_cache: Path, data_dir: Path) -> dict:
    """Seconds from process start to each phase, and what the first frame showed."""
    started, out, code = run(KIOSK, str(data_dir), journey,
                             env=environment(qml_cache, kiosk=True))
    marks = json.loads(out.strip().splitlines()[-1])
    result = {phase: marks[phase] - started for phase in PHASES}
    result["tap_to_journey_screen"] = marks["journey_frame"] - marks["tap"]
    result["first_frame_tiles_checking"] = marks["first_frame_tiles_checking"]
    result["first_frame_any_available"] = marks["first_frame_any_available"]
    result["first_frame_cpu"] = marks["first_frame_cpu"]
    result["exit_code"] = code
    return result


def compile_bytecode() -> None:
    """What `make setup` does: PYTHONDONTWRITEBYTECODE keeps Python from writing .pyc
    files as it goes, so without this every start would compile every module again."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0",
                    *[str(ROOT / package) for package in PACKAGES]], check=True)


def phase(name: str) -> None:
    print(f"phase: {name}", file=sys.stderr, flush=True)


def summary(values: list[float]) -> dict[str, float]:
    return {"median_s": round(statistics.median(values), 3), "min_s": round(min(values), 3),
            "max_s": round(max(values), 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="samples of each (default 3)")
    parser.add_argument("--journey", default="apply",
                        help="the tile tapped once the devices have answered (default apply)")
    parser.add_argument("--no-compile", action="store_true",
                        help="measure without compiling the bytecode first")
    args = parser.parse_args()
    if not args.no_compile:
        phase("compiling bytecode (as make setup does)")
        compile_bytecode()
    floor, floor_cpu, cold, warm, first = [], [], [], [], []
    with tempfile.TemporaryDirectory() as scratch:
        floor_qml = Path(scratch) / "Floor.qml"
        floor_qml.write_text(FLOOR_QML)
        warm_cache, data = Path(scratch) / "warm-qml-cache", Path(scratch) / "data"
        phase("warming the QML cache; the first start leaves its configuration snapshot")
        kiosk_sample(args.journey, warm_cache, data)
        for index in range(args.runs):  # interleaved so all see the same machine load
            phase(f"run {index + 1}/{args.runs}: floor, kiosk cold, warm, first start")
            seconds, cpu = floor_sample(floor_qml, warm_cache)
            floor.append(seconds)
            floor_cpu.append(cpu)
            cold.append(kiosk_sample(args.journey, Path(scratch) / f"cold-{index}", data))
            warm.append(kiosk_sample(args.journey, warm_cache, data))
            first.append(kiosk_sample(args.journey, warm_cache,
                                      Path(scratch) / f"first-start-{index}"))
    def kiosk(samples: list[dict]) -> dict:
        phases = {p: summary([s[p] for s in samples]) for p in (*PHASES, "tap_to_journey_screen")}
        # pair by pair (each kiosk sample beside the floor sample taken just before it), so
        # a burst of load on the shared machine weighs on both sides of a ratio
        ratios = [s["first_frame"] / f for s, f in zip(samples, floor)]
        return {**phases, "first_frame_over_floor": round(statistics.median(ratios), 2),
                "first_frame_over_floor_min_max": [round(min(ratios), 2), round(max(ratios), 2)],
                "first_frame_median_over_floor_median": round(
                    statistics.median(s["first_frame"] for s in samples)
                    / statistics.median(floor), 2),
                # CPU time (all threads) by the first frame: what a loaded machine's wait
                # for the cores leaves out of the comparison
                "first_frame_cpu": summary([s["first_frame_cpu"] for s in samples]),
                "first_frame_cpu_over_floor_cpu": round(
                    statistics.median(s["first_frame_cpu"] for s in samples)
                    / statistics.median(floor_cpu), 2),
                "first_frame_said_checking": all(s["first_frame_tiles_checking"]
                                                 for s in samples),
                "first_frame_offered_a_tile": any(s["first_frame_any_available"]
                                                  for s in samples),
                # the process quitting after the journey screen (see docs/known-issues.md)
                "ended_abnormally_after_the_journey_screen": sum(
                    s["exit_code"] != 0 for s in samples)}

    result = {
        "benchmark": "startup: process start to the attract screen's first frame (offscreen), "
                     "then to every tile answered (ready), then a tap to the journey's first "
                     "screen",
        "runs": args.runs,
        "bytecode": "not compiled" if args.no_compile else "compiled first, as make setup does",
        "journey_tapped": args.journey,
        # the kiosk runs as deploy/systemd/kiosk.service runs it (bench/kiosk_environment.py);
        # the floor never opens fontconfig (it draws no text)
        "environment": {side: reported(environment(Path(), kiosk=side == "kiosk"))
                        for side in ("floor", "kiosk")},
        "floor_minimal_qt_quick_window": summary(floor),
        "floor_cpu": summary(floor_cpu),
        "kiosk_cold_qml_cache": kiosk(cold),
        "kiosk_warm_qml_cache": kiosk(warm),
        "kiosk_first_start_no_snapshot_warm_qml_cache": kiosk(first),
        "goal": "first frame <= 1.5x the floor (warm, pair by pair), saying checking until "
                "the devices answer",
    }
    result["goal_met"] = result["kiosk_warm_qml_cache"]["first_frame_over_floor"] <= 1.5
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
