"""The QML engine's warnings into the kiosk's log, personal data masked like every other line.

When a Python method that QML called raises, the QML engine reports it as a warning
(`Form.qml:5: Error: <the exception's message>`), and by default prints it to stderr, so to
the journal. An exception's message may hold what a citizen typed or what was read from
their card, so the engine's warnings are taken over: each becomes a record of the `qml`
logger, its text masked by `kiosk.logging_setup.scrub`, the QML file:line kept as a field.

They come from `QQmlEngine.warnings`, which the engine emits on its own (the Qt) thread,
never from a Qt message handler: a handler is called on whichever thread logs, the QML type
loader's thread among them, and a Python one deadlocks when that thread logs while the main
thread waits for it holding the GIL (docs/known-issues.md, the setSource/GIL freeze).
`console.log` and Qt's own categories stay on stderr: the kiosk's QML logs no personal data.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QtMsgType
from PySide6.QtQml import QQmlEngine, QQmlError

from kiosk.logging_setup import scrub

log = logging.getLogger("qml")

_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def log_qml_warning(error: QQmlError) -> None:
    """Masked here as well as by the log's formatter: before the log is configured Python
    prints warnings to stderr unformatted."""
    fields = {"category": "qml"}
    if error.url().isValid():
        fields["source"] = f"{error.url().toString()}:{error.line()}"
    log.log(_LEVELS.get(error.messageType(), logging.WARNING), "%s", scrub(error.toString()),
            extra=fields)


def log_qml_warnings(engine: QQmlEngine) -> None:
    """From now on `engine`'s warnings go to the log (masked), no longer to stderr."""
    engine.setOutputWarningsToStandardError(False)

    def log_all(errors: list[QQmlError]) -> None:
        for error in errors:
            log_qml_warning(error)
    engine.warnings.connect(log_all)
