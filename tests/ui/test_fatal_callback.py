"""An exception no Qt callback caught ends the kiosk with EXIT_UNHANDLED, its clean-up run,
and a log line that says where, but not what the exception said (it may be personal)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from ui.fatal_callback import EXIT_UNHANDLED

ROOT = Path(__file__).resolve().parents[2]
ID_NUMBER = "11010519491231002X"

APP = textwrap.dedent("""
    import sys
    from pathlib import Path
    from PySide6.QtCore import QObject, QTimer, Slot
    from PySide6.QtQml import QQmlApplicationEngine
    from kiosk.logging_setup import configure_logging
    from ui.app import application
    from ui.fatal_callback import end_on_unhandled_exception

    configure_logging(Path(sys.argv[2]))
    app = application(["guarded"], headless=True)
    restore = end_on_unhandled_exception(app, session_active=lambda: True)

    def check_the_citizen():
        raise ValueError("no such citizen: %s")

    class Form(QObject):
        @Slot()
        def submit(self):
            check_the_citizen()

    form = Form()
    engine = QQmlApplicationEngine()
    engine.rootContext().setContextProperty("form", form)
    if sys.argv[1] == "timer":
        QTimer.singleShot(0, check_the_citizen)
    elif sys.argv[1] == "qml":
        engine.loadData(b"import QtQuick\\nItem { Component.onCompleted: form.submit() }")
    else:   # nothing goes wrong: the loop runs until it is asked to end
        QTimer.singleShot(0, app.quit)
    try:
        print("exit", app.exec(), flush=True)
    finally:
        restore()
        print("cleaned up", flush=True)
""" % ID_NUMBER)


def run_app(mode: str, log_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", APP, mode, str(log_dir)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


def fatal_log_line(log_dir: Path) -> dict:
    lines = [json.loads(line) for line in (log_dir / "kiosk.log").read_text().splitlines()]
    [fatal] = [line for line in lines if line["level"] == "CRITICAL"]
    return fatal


def test_an_exception_in_a_timer_callback_ends_the_kiosk_for_a_restart(tmp_path):
    result = run_app("timer", tmp_path)
    assert f"exit {EXIT_UNHANDLED}" in result.stdout, result.stderr[-2000:]
    assert "cleaned up" in result.stdout
    fatal = fatal_log_line(tmp_path)
    assert fatal["exception"] == "ValueError"
    assert fatal["where"][-1].endswith("in check_the_citizen")
    assert fatal["during_session"] is True
    assert "ValueError" in result.stderr and "restart" in result.stderr
    assert ID_NUMBER not in result.stderr + (tmp_path / "kiosk.log").read_text()


def test_an_exception_in_a_slot_qml_called_ends_the_kiosk_too(tmp_path):
    result = run_app("qml", tmp_path)
    assert f"exit {EXIT_UNHANDLED}" in result.stdout, result.stderr[-2000:]
    fatal = fatal_log_line(tmp_path)
    assert [frame.split(" in ")[1] for frame in fatal["where"][-2:]] == \
        ["submit", "check_the_citizen"]
    assert ID_NUMBER not in (tmp_path / "kiosk.log").read_text()


def test_a_kiosk_without_errors_ends_as_asked(tmp_path):
    result = run_app("quiet", tmp_path)
    assert "exit 0" in result.stdout, result.stderr[-2000:]
    assert "cleaned up" in result.stdout
