"""Start-up time: process start to the attract screen's first frame, beside the floor.

The floor is a minimal Qt Quick window (one rectangle) in a fresh process: what any Qt
Quick app pays. Each sample is a new Python process, offscreen; the child reports the
moment its first frame was swapped on CLOCK_MONOTONIC, which is system-wide on Linux,
so the parent can subtract the moment it spawned the child. Prints JSON.

    .venv/bin/python bench/startup.py [--runs N]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FLOOR = r"""
import sys, time
from PySide6.QtGui import QGuiApplication
from PySide6.QtQuick import QQuickView
app = QGuiApplication(sys.argv)
view = QQuickView()
view.setSource(sys.argv[1])
def done():
    print(time.monotonic(), flush=True)
    app.quit()
view.frameSwapped.connect(done)
view.show()
app.exec()
"""
FLOOR_QML = "import QtQuick\nRectangle { width: 1080; height: 1920; color: 'white' }\n"

KIOSK = r"""
import sys, time
from pathlib import Path
from foundation.clock import SystemClock
from kiosk.config import load_config
from kiosk.app import KioskCore
from ui.app import ShellApp, application
app = application(["kiosk"], headless=True)
loaded = load_config()
core = KioskCore.create(loaded, Path(sys.argv[1]), clock=SystemClock())
core.start()
shell = ShellApp(loaded.config, core=core, speech_engine="mock")
def done():
    if shell.screen_name in ("attract", "out_of_service") and shell.root.property("screenItem"):
        print(time.monotonic(), shell.screen_name, flush=True)
        app.quit()
shell.view.frameSwapped.connect(done)
shell.show(windowed=True)
app.exec()
core.stop()
"""


def sample(code: str, *args: str) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    started = time.monotonic()
    out = subprocess.run([sys.executable, "-c", code, *args], env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=300, check=True).stdout
    rendered = float(out.split()[0])
    return rendered - started


def summary(values: list[float]) -> dict[str, float]:
    return {"median_s": round(statistics.median(values), 3), "min_s": round(min(values), 3),
            "max_s": round(max(values), 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    floor, kiosk = [], []
    with tempfile.TemporaryDirectory() as data_dir:
        floor_qml = Path(data_dir) / "Floor.qml"
        floor_qml.write_text(FLOOR_QML)
        for _ in range(args.runs):  # interleaved so both see the same machine load
            floor.append(sample(FLOOR, str(floor_qml)))
            kiosk.append(sample(KIOSK, data_dir))
    result = {
        "benchmark": "startup: process start to first rendered frame (offscreen)",
        "runs": args.runs,
        "floor_minimal_qt_quick_window": summary(floor),
        "kiosk_attract_screen": summary(kiosk),
        "kiosk_over_floor_s": round(statistics.median(kiosk) - statistics.median(floor), 3),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
