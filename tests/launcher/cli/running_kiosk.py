"""`kiosk run`'s core serving its control socket, for the commands that go through it: the
kiosk owns its devices and queue, and records what staff do in its audit chain."""
from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Iterator

from launcher.cli import Context


@contextmanager
def running_kiosk(ctx: Context, clock, **create) -> Iterator:
    """The kiosk of `ctx`'s configuration and data directory, its devices settled, serving its
    control socket; `create`: more arguments for `KioskCore.create` (an `event_sink`)."""
    from kiosk.app import KioskCore
    core = KioskCore.create(ctx.config, ctx.data_dir, clock=clock, with_face=False, **create)
    core.start()
    core.serve_control()
    try:
        assert core.wait_settled() == []
        yield core
    finally:
        core.stop()


class AuditRecorder:
    """Passes every event on to the kiosk's sink and keeps the audit events it saw."""

    def __init__(self, sink) -> None:
        self.sink, self.audits = sink, []

    def seal(self, data):
        return self.sink.seal(data)

    def discard(self, blobs):
        self.sink.discard(blobs)

    def enqueue(self, kind, payload, blobs=None):
        if kind == "audit":
            self.audits.append(payload)
        return self.sink.enqueue(kind, payload, blobs)


def descriptors_on(path: str) -> int:
    """How many of this process's file descriptors are open on `path` (a device's pty)."""
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            count += os.readlink(f"/proc/self/fd/{fd}") == path
        except OSError:
            pass            # the descriptor listing the directory itself is gone already
    return count
