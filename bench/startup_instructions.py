"""Start-up in CPU instructions: process start to the attract screen's first frame, beside the
floor, counted by callgrind (valgrind), which a busy machine's wait for the cores does not
change the way it changes time.

The same two programs as bench/startup.py, ended at their first frame (os._exit: nothing
after it is counted): the floor (a minimal Qt Quick window) and `kiosk run --windowed` with
simulated devices, run as its systemd unit runs it (bench/kiosk_environment.py). The kiosk
starts from a copy of a data directory in which one whole `kiosk run` has run (so its
configuration snapshot exists, and each measured start finds the same directory: the count
grows a little with the starts a directory has seen); warm: the QML disk cache that run
left; cold: an empty one. Phases go to stderr, JSON to stdout.

    .venv/bin/python bench/startup_instructions.py [--runs N] [--no-compile]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# bench/ must not lead the import path: bench/queue.py would shadow the standard library's queue
sys.path[0] = str(ROOT)
from bench import startup  # noqa: E402
from bench.kiosk_environment import reported  # noqa: E402

FLOOR = r"""
import os, sys
from PySide6.QtGui import QGuiApplication
from PySide6.QtQuick import QQuickView
app = QGuiApplication(sys.argv)
view = QQuickView()
view.setSource(sys.argv[1])
view.frameSwapped.connect(lambda: os._exit(0))
view.show()
app.exec()
"""

KIOSK = r"""
import os, sys
from ui import app as ui_app


class FirstFrame(ui_app.ShellApp):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.view.frameSwapped.connect(lambda: os._exit(0))


ui_app.ShellApp = FirstFrame
from launcher.cli import main
sys.exit(main(["--data-dir", sys.argv[1], "run", "--windowed"]))
"""


def instructions(code: str, *args: str, env: dict[str, str], scratch: Path) -> int:
    """Instructions (all threads) callgrind counted in a fresh process running `code`."""
    out = scratch / "callgrind.out"
    result = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                             sys.executable, "-c", code, *args],
                            env=env, cwd=ROOT, capture_output=True, text=True, timeout=900)
    counted = re.search(r"Collected : (\d+)", result.stderr)
    if result.returncode != 0 or counted is None:
        raise SystemExit(f"the measured process failed ({result.returncode}):\n"
                         f"{result.stderr[-3000:]}")
    out.unlink()
    return int(counted.group(1))


def millions(values: list[int]) -> list[float]:
    return [round(value / 1e6, 1) for value in values]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=2, help="counts of each (default 2)")
    parser.add_argument("--no-compile", action="store_true",
                        help="measure without compiling the bytecode first")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    if not args.no_compile:
        startup.phase("compiling bytecode (as make setup does)")
        startup.compile_bytecode()
    floor, warm, cold = [], [], []
    with tempfile.TemporaryDirectory() as directory:
        scratch = Path(directory)
        floor_qml = scratch / "Floor.qml"
        floor_qml.write_text(startup.FLOOR_QML)
        floor_cache, warm_cache = scratch / "floor-qml-cache", scratch / "warm-qml-cache"
        started_once = scratch / "data"
        startup.phase("one whole kiosk run: its configuration snapshot, the warm QML cache")
        startup.kiosk_sample("apply", warm_cache, started_once)
        startup.run(FLOOR, str(floor_qml),
                    env=startup.environment(floor_cache, kiosk=False))  # the floor's cache
        for index in range(args.runs):
            startup.phase(f"run {index + 1}/{args.runs}: floor, kiosk warm, kiosk cold")
            floor.append(instructions(FLOOR, str(floor_qml), scratch=scratch,
                                      env=startup.environment(floor_cache, kiosk=False)))
            for counts, cache in ((warm, warm_cache), (cold, scratch / f"cold-{index}")):
                data = scratch / "measured-data"
                shutil.rmtree(data, ignore_errors=True)
                shutil.copytree(started_once, data, symlinks=True)
                counts.append(instructions(KIOSK, str(data), scratch=scratch,
                                           env=startup.environment(cache, kiosk=True)))

    def kiosk(counts: list[int]) -> dict:
        return {"instructions_millions": millions(counts),
                "over_floor": round(statistics.median(counts) / statistics.median(floor), 3)}

    valgrind = subprocess.run(["valgrind", "--version"], capture_output=True, text=True)
    result = {
        "benchmark": "startup in CPU instructions (callgrind, all threads): process start to "
                     "the attract screen's first frame (offscreen), beside the floor",
        "runs": args.runs,
        "valgrind": valgrind.stdout.strip(),
        "bytecode": "not compiled" if args.no_compile else "compiled first, as make setup does",
        "environment": {side: reported(startup.environment(Path(), kiosk=side == "kiosk"))
                        for side in ("floor", "kiosk")},
        "floor_minimal_qt_quick_window": {"instructions_millions": millions(floor)},
        "kiosk_warm_qml_cache": kiosk(warm),
        "kiosk_cold_qml_cache": kiosk(cold),
        "goal": "first frame <= 1.5x the floor (warm)",
    }
    result["goal_met"] = result["kiosk_warm_qml_cache"]["over_floor"] <= 1.5
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
