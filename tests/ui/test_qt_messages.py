"""Qt's own messages reach the kiosk's log masked: when a slot QML called raises with an ID
number in its message, the number is neither in the journal (stderr) nor in the log, while the
QML file:line and the exception's type are. Each run is its own process, set up the way
`ui.launch.run_kiosk` sets up the kiosk's (the Qt message handler before the application)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ui.fatal_callback import EXIT_UNHANDLED

ROOT = Path(__file__).resolve().parents[2]
ID_NUMBER = "11010519491231002X"

FORM_QML = textwrap.dedent("""\
    import QtQuick
    Item {
        Component.onCompleted: {
            console.warn("checking the citizen")
            form.submit()
        }
    }
""")

APP = textwrap.dedent("""
    import sys
    from pathlib import Path
    from PySide6.QtCore import QObject, QUrl, Slot
    from PySide6.QtQml import QQmlApplicationEngine
    from kiosk.logging_setup import configure_logging
    from ui.app import application
    from ui.fatal_callback import end_on_unhandled_exception
    from ui.qt_messages import route_qt_messages_to_logging

    work = Path(sys.argv[1])
    configure_logging(work)
    restore_qt_messages = route_qt_messages_to_logging()
    app = application(["masked"], headless=True)
    restore_excepthook = end_on_unhandled_exception(app, session_active=lambda: True)

    class Form(QObject):
        @Slot()
        def submit(self):
            raise LookupError("no such citizen: %s")

    form = Form()
    engine = QQmlApplicationEngine()
    engine.rootContext().setContextProperty("form", form)
    engine.load(QUrl.fromLocalFile(str(work / "Form.qml")))
    try:
        print("exit", app.exec(), flush=True)
    finally:
        restore_excepthook()
        restore_qt_messages()
""" % ID_NUMBER)


@pytest.fixture(scope="module")
def kiosk_run(tmp_path_factory) -> tuple[subprocess.CompletedProcess, list[dict]]:
    """One run serves every test here: each needs the same few seconds of Qt start."""
    work = tmp_path_factory.mktemp("qt_messages")
    (work / "Form.qml").write_text(FORM_QML)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", APP, str(work)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    log_text = (work / "kiosk.log").read_text()
    assert ID_NUMBER not in log_text
    return result, [json.loads(line) for line in log_text.splitlines()]


def test_an_exception_message_from_a_slot_qml_called_is_masked_in_journal_and_log(kiosk_run):
    result, records = kiosk_run
    assert f"exit {EXIT_UNHANDLED}" in result.stdout, result.stderr[-2000:]
    assert ID_NUMBER not in result.stdout + result.stderr
    [qml_error] = [r for r in records if r["logger"] == "qt" and "Error:" in r["msg"]]
    assert qml_error["level"] == "WARNING"
    assert qml_error["source"].endswith("Form.qml:5")
    assert qml_error["msg"].endswith("Form.qml:5: Error: no such citizen: [id-number]")
    # the exception's type: in the journal and in the log, from the kiosk's own fatal report
    assert "unhandled LookupError" in result.stderr
    [fatal] = [r for r in records if r["level"] == "CRITICAL"]
    assert fatal["exception"] == "LookupError"


def test_a_qml_warning_keeps_its_category_and_file_line(kiosk_run):
    _, records = kiosk_run
    [warning] = [r for r in records if r["msg"] == "checking the citizen"]
    assert warning["logger"] == "qt"
    assert warning["category"] == "qml"
    assert warning["source"].endswith("Form.qml:4")
