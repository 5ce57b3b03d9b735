"""An exception no Qt callback caught ends the real `kiosk run` with exit code 70, after its
clean-up, so that its service (Restart=always) starts it again.

The kiosk has no known bug to trigger, so the test adds one: the real `kiosk run` (the CLI's
entry point, default configuration, offscreen) is started through a wrapper that, once the
core has started on the Qt thread, schedules a timer whose callback raises. Nothing in the
kiosk's code knows about it."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ID_NUMBER = "11010519491231002X"

KIOSK_RUN_WITH_A_BUG = f"""
import sys
from PySide6.QtCore import QTimer
import kiosk.app

serve_control = kiosk.app.KioskCore.serve_control

def serve_control_then_a_bug(core):   # the last step of the core's start, on the Qt thread
    serve_control(core)

    def a_callback_with_a_bug():
        raise KeyError("{ID_NUMBER}")
    QTimer.singleShot(0, a_callback_with_a_bug)

kiosk.app.KioskCore.serve_control = serve_control_then_a_bug
from launcher.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_an_uncaught_exception_in_a_callback_ends_kiosk_run_with_70_after_its_clean_up(
        tmp_path):
    data = tmp_path / "data"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", KIOSK_RUN_WITH_A_BUG, "--data-dir",
                             str(data), "run", "--windowed"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=240)
    assert result.returncode == 70, result.stderr[-3000:]
    log = (data / "logs" / "kiosk.log").read_text()
    [fatal] = [line for line in map(json.loads, log.splitlines())
               if line["level"] == "CRITICAL"]
    assert fatal["exception"] == "KeyError"
    assert fatal["where"][-1].endswith("in a_callback_with_a_bug")
    assert fatal["during_session"] is False   # the attract screen
    # the clean-up ran: the control socket closed, the start marker removed (a clean stop:
    # the next start does not count a crash)
    assert not (data / "control.sock").exists()
    assert not (data / "running").exists()
    assert ID_NUMBER not in log
