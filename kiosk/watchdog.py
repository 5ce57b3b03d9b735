"""Tells systemd the kiosk is alive only while it is, and heals what can be healed in place.

Under `Type=notify` with `WatchdogSec=` (deploy/systemd/kiosk.service) systemd restarts the
kiosk when its pings stop. A ping proves more than a live process: `Watchdog.tick()` runs on
the Qt thread (so a frozen Qt loop sends nothing) and pings only while every device worker has
run a no-op command within `[watchdog] device_answer_s` and the sync worker, when in a cycle,
has moved on within `sync_progress_s`. A device worker whose thread died is restarted here;
a worker stuck in a driver call cannot be, so the whole kiosk is restarted by systemd.

The sd_notify protocol is a datagram of `KEY=value` lines to the Unix socket named by
`NOTIFY_SOCKET` ("@" starts an abstract address); `WATCHDOG_USEC` gives the watchdog's period.
"""
from __future__ import annotations

import logging
import os
import socket
from typing import TYPE_CHECKING, Iterable, Mapping

from devices.base import Device
from foundation.clock import Clock

if TYPE_CHECKING:
    from devices.commands import Command
    from kiosk.app import KioskCore
    from offline_queue.sync import SyncWorker

log = logging.getLogger(__name__)

#: how often the workers are checked (and dead ones restarted) when systemd asks no pings
UNSUPERVISED_INTERVAL_S = 10.0


class SystemdNotifier:
    """Sends sd_notify messages; a lost message is logged, never raised (systemd decides)."""

    def __init__(self, address: str) -> None:
        self.address = "\0" + address[1:] if address.startswith("@") else address
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
        self._failed = False

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> SystemdNotifier | None:
        address = environ.get("NOTIFY_SOCKET", "")
        return cls(address) if address else None

    def notify(self, *fields: str) -> bool:
        try:
            self._socket.sendto("\n".join(fields).encode(), self.address)
        except OSError as error:
            if not self._failed:
                log.error("systemd notification failed", extra={"error": str(error)})
            self._failed = True
            return False
        self._failed = False
        return True

    def close(self) -> None:
        self._socket.close()


def watchdog_interval_s(environ: Mapping[str, str] = os.environ) -> float | None:
    """Half the period systemd's watchdog allows this process, or None without one.

    The watchdog is this process's when WATCHDOG_PID names it or its parent: the kiosk runs
    as the only client of its compositor (cage), the unit's main process."""
    usec = environ.get("WATCHDOG_USEC", "")
    pid = environ.get("WATCHDOG_PID", "")
    if not usec.isdigit() or int(usec) == 0 or \
            (pid and pid not in (str(os.getpid()), str(os.getppid()))):
        return None
    return int(usec) / 1e6 / 2


class WorkerLiveness:
    """Whether the device workers and the sync worker answer; restarts dead device workers."""

    def __init__(self, devices: Iterable[Device], sync: SyncWorker | None, *, clock: Clock,
                 device_answer_s: float, sync_progress_s: float) -> None:
        self.devices = list(devices)
        self.sync = sync
        self.clock = clock
        self.device_answer_s = device_answer_s
        self.sync_progress_s = sync_progress_s
        #: each device's outstanding ping and when it was sent
        self._pings: dict[str, tuple[Command, float]] = {}

    def check(self) -> list[str]:
        """What does not answer (empty: all well); sends the next pings."""
        now = self.clock.monotonic()
        problems: list[str] = []
        for device in self.devices:
            if not device.worker_alive:
                if device.restart_worker():
                    self._pings.pop(device.name, None)
                continue
            sent = self._pings.get(device.name)
            if sent is None or sent[0].done:
                ping = device.submit("watchdog ping", lambda _token: None, timeout=None,
                                     internal=True)
                self._pings[device.name] = (ping, now)
            elif now - sent[1] >= self.device_answer_s:
                problems.append(f"device {device.name}: its worker has not answered for "
                                f"{now - sent[1]:.0f} s")
        if self.sync is not None:
            if not self.sync.running:
                problems.append("sync worker: not running")
            elif self.sync.stalled_s() >= self.sync_progress_s:
                problems.append(f"sync worker: no progress for {self.sync.stalled_s():.0f} s")
        return problems


class Watchdog:
    """Run `tick()` every `interval_s` on the Qt thread (ui/launch.py does)."""

    def __init__(self, liveness: WorkerLiveness, notifier: SystemdNotifier | None,
                 interval_s: float) -> None:
        self.liveness = liveness
        self.notifier = notifier
        self.interval_s = interval_s
        self._reported: list[str] = []

    @classmethod
    def for_core(cls, core: KioskCore, environ: Mapping[str, str] = os.environ) -> Watchdog:
        settings = core.config.watchdog
        liveness = WorkerLiveness(core.devices.devices.values(),
                                  core.queue.worker if core.queue is not None else None,
                                  clock=core.clock, device_answer_s=settings.device_answer_s,
                                  sync_progress_s=settings.sync_progress_s)
        interval = watchdog_interval_s(environ)
        return cls(liveness, SystemdNotifier.from_environment(environ),
                   interval if interval is not None else UNSUPERVISED_INTERVAL_S)

    def ready(self) -> None:
        """The kiosk is serving: systemd counts the start as done (`Type=notify`)."""
        if self.notifier is not None:
            self.notifier.notify("READY=1", "STATUS=serving")

    def tick(self) -> list[str]:
        problems = self.liveness.check()
        if problems != self._reported:
            if problems:
                log.error("kiosk workers not answering; systemd will restart the kiosk",
                          extra={"problems": problems})
            elif self._reported:
                log.warning("kiosk workers answer again")
            self._reported = problems
        if self.notifier is not None:
            if problems:
                self.notifier.notify("STATUS=not answering: " + "; ".join(problems))
            else:
                self.notifier.notify("WATCHDOG=1", "STATUS=serving")
        return problems

    def stopping(self) -> None:
        if self.notifier is not None:
            self.notifier.notify("STOPPING=1")
            self.notifier.close()
