"""Qt's own messages into the kiosk's log, personal data masked like every other log line.

When a Python method that QML called raises, the QML engine reports it itself
(`app.qml:42: Error: <the exception's message>`), and by default Qt prints that, like its
other warnings, to stderr and so to the journal. An exception's message may hold what a
citizen typed or what was read from their card (an ID number, a name), so the kiosk takes
Qt's messages over: each becomes a record of the `qt` logger, its text masked by
`kiosk.logging_setup.scrub` (the same masking as the rest of the log), its category and the
QML or C++ file:line it came from kept as fields, so a QML warning is as useful as before.
"""
from __future__ import annotations

import logging
from typing import Callable

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

from kiosk.logging_setup import scrub

log = logging.getLogger("qt")

_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def log_qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """One Qt message as one log record. Masked here as well as by the log's formatter:
    before the log is configured Python prints warnings to stderr unformatted."""
    fields = {"category": context.category or "default"}
    if context.file:
        fields["source"] = f"{context.file}:{context.line}"
    log.log(_LEVELS.get(kind, logging.WARNING), "%s", scrub(message), extra=fields)


def route_qt_messages_to_logging() -> Callable[[], None]:
    """Install `log_qt_message` as Qt's message handler for the whole process (before the
    application is created: its platform plugin reports too). Returns what puts the previous
    handler back."""
    previous = qInstallMessageHandler(log_qt_message)

    def restore() -> None:
        qInstallMessageHandler(previous)
    return restore
