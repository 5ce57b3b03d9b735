"""Ends the kiosk when its Qt thread stops turning, so that its service restarts it.

A frozen window is a dead kiosk until someone notices (docs/known-issues.md: the
setSource/GIL freeze). The Qt thread may hang holding the GIL, so no Python thread could
notice; the watchdog is faulthandler's, a C thread that needs no GIL. A timer on the Qt
thread re-arms it every `limit_s / 4`; if the loop stops for `limit_s`, every thread's
Python stack goes to `stacks_file` (or stderr) and the process exits with code 1, for the
service manager (`Restart=always`) to start a clean kiosk.
"""
from __future__ import annotations

import faulthandler
from typing import IO

from PySide6.QtCore import QObject, QTimer


class HangGuard(QObject):
    def __init__(self, limit_s: float, *, stacks_file: IO | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.limit_s = limit_s
        self._stacks_file = stacks_file
        self._timer = QTimer(self)
        self._timer.setInterval(max(1, int(limit_s * 1000 / 4)))
        self._timer.timeout.connect(self._rearm)

    def start(self) -> None:
        self._rearm()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        faulthandler.cancel_dump_traceback_later()

    def _rearm(self) -> None:
        kwargs = {"file": self._stacks_file} if self._stacks_file is not None else {}
        faulthandler.dump_traceback_later(self.limit_s, exit=True, **kwargs)
