"""The district's restart command ends the kiosk's Qt loop with code 1 (for the service
manager to start a clean kiosk), asked from the sync worker's thread, not the Qt thread."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

APP = textwrap.dedent("""
    import threading
    from PySide6.QtCore import QTimer
    from ui.app import application
    from ui.launch import restart_for_the_service_manager

    app = application(["restarted"], headless=True)
    restart = restart_for_the_service_manager(app)
    QTimer.singleShot(0, lambda: threading.Thread(target=restart).start())
    print("exit", app.exec(), flush=True)
""")


def test_a_restart_asked_from_another_thread_ends_the_loop_with_code_1():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", APP], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=50)
    assert "exit 1" in result.stdout, result.stdout + result.stderr
