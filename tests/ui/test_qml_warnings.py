"""The QML engine's warnings reach the kiosk's log masked, never stderr (the journal): when a
slot QML called raises with an ID number in its message, the number is neither in stdout,
stderr nor the log, while the QML file:line and the exception's type are. The kiosk's run is
its own process, set up as `ui.launch.run_kiosk` sets up the kiosk's (the log, the fatal
exception hook); the shell's own engine is checked in process."""
from __future__ import annotations

import json
import logging
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
    from ui.qml_warnings import log_qml_warnings

    work = Path(sys.argv[1])
    configure_logging(work)
    app = application(["masked"], headless=True)
    restore_excepthook = end_on_unhandled_exception(app, session_active=lambda: True)

    class Form(QObject):
        @Slot()
        def submit(self):
            raise LookupError("no such citizen: %s")

    form = Form()
    engine = QQmlApplicationEngine()
    log_qml_warnings(engine)
    engine.rootContext().setContextProperty("form", form)
    engine.load(QUrl.fromLocalFile(str(work / "Form.qml")))
    try:
        print("exit", app.exec(), flush=True)
    finally:
        restore_excepthook()
""" % ID_NUMBER)


def test_an_exception_message_from_a_slot_qml_called_is_masked_in_journal_and_log(tmp_path):
    (tmp_path / "Form.qml").write_text(FORM_QML)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", APP, str(tmp_path)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    log_text = (tmp_path / "kiosk.log").read_text()
    records = [json.loads(line) for line in log_text.splitlines()]
    assert f"exit {EXIT_UNHANDLED}" in result.stdout, result.stderr[-2000:]
    assert ID_NUMBER not in result.stdout + result.stderr + log_text
    [qml_error] = [r for r in records if r["logger"] == "qml"]
    assert qml_error["level"] == "WARNING"
    assert qml_error["category"] == "qml"
    assert qml_error["source"].endswith("Form.qml:4")
    assert qml_error["msg"].endswith("Form.qml:4: Error: no such citizen: [id-number]")
    # the exception's type: in the journal and in the log, from the kiosk's own fatal report
    assert "unhandled LookupError" in result.stderr
    [fatal] = [r for r in records if r["level"] == "CRITICAL"]
    assert fatal["exception"] == "LookupError"


def test_the_shells_qml_warnings_go_to_the_log_not_stderr(shell, caplog, capfd):
    from PySide6.QtCore import QUrl
    from PySide6.QtQml import QQmlComponent
    component = QQmlComponent(shell.view.engine())
    component.setData(b"import QtQuick\nItem {\n    width: citizen.length\n}\n",
                      QUrl.fromLocalFile("/probe/Probe.qml"))
    with caplog.at_level(logging.WARNING, logger="qml"):
        probe = component.create()
    assert probe is not None, component.errorString()
    [warning] = [r for r in caplog.records if r.name == "qml"]
    assert warning.source == "file:///probe/Probe.qml:3"
    assert "ReferenceError: citizen is not defined" in warning.getMessage()
    assert "Probe.qml" not in capfd.readouterr().err
    probe.deleteLater()
