"""The hang guard: a Qt thread frozen while holding the GIL ends the process with its stacks."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

APP = textwrap.dedent("""
    import ctypes, sys
    from PySide6.QtCore import QTimer
    from ui.app import application
    from ui.hang_guard import HangGuard

    def freeze_holding_the_gil():
        ctypes.PyDLL(None).sleep(60)  # a C call through PyDLL keeps the GIL, as setSource does

    app = application(["guarded"], headless=True)
    guard = HangGuard(1.0)
    guard.start()
    if sys.argv[1] == "freeze":
        QTimer.singleShot(100, freeze_holding_the_gil)
    else:  # a loop that keeps turning for three limits is left alone
        QTimer.singleShot(3000, app.quit)
    print("exit", app.exec(), flush=True)
""")


def run_guarded(mode: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", APP, mode], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=50)


def test_a_frozen_qt_thread_ends_the_kiosk_with_every_stack():
    result = run_guarded("freeze")
    assert result.returncode == 1
    assert "exit" not in result.stdout
    assert "Timeout" in result.stderr
    assert "freeze_holding_the_gil" in result.stderr, result.stderr[-2000:]


def test_a_turning_qt_loop_is_left_alone():
    result = run_guarded("idle")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "exit 0" in result.stdout
