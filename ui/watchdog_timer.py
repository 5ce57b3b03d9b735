"""Runs the kiosk's watchdog (kiosk/watchdog.py) on the Qt thread.

The ping to systemd is sent from a Qt timer on purpose: a Qt loop that stops turning stops the
pings, and systemd restarts the kiosk (`WatchdogSec=` in deploy/systemd/kiosk.service).
"""
from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from kiosk.watchdog import Watchdog


class WatchdogTimer(QObject):
    def __init__(self, watchdog: Watchdog, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.watchdog = watchdog
        self._timer = QTimer(self)
        self._timer.setInterval(max(1, int(watchdog.interval_s * 1000)))
        self._timer.timeout.connect(watchdog.tick)

    def start(self) -> None:
        """The kiosk is serving: tell systemd, then ping while the workers answer."""
        self.watchdog.ready()
        self.watchdog.tick()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self.watchdog.stopping()
