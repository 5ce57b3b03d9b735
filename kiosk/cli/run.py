"""`kiosk run` (also plain `kiosk`): the kiosk itself, full screen.

Composition: configuration -> logging -> offline queue (the event sink; its sync worker
starts when the kiosk is enrolled) -> devices -> the Qt Quick shell.
"""
from __future__ import annotations

import importlib
import sys
from typing import Callable

from kiosk.cli import EXIT_FAILED

#: The UI layer is reached at run time: the CLI is the process's entry point, while
#: kiosk/ code itself never depends on Qt (the import-linter contract checks that).
UI_ENTRY = "ui.launch"


def register(subparsers) -> None:
    parser = subparsers.add_parser("run", help="run the kiosk (the default command)")
    parser.add_argument("--windowed", action="store_true",
                        help="a window instead of full screen (development)")
    parser.add_argument("--orientation", choices=["portrait", "landscape"],
                        help="override the configured orientation")
    parser.set_defaults(func=run)


def run(args, ctx) -> int:
    from kiosk.app import KioskCore
    from offline_queue.errors import StorageUnavailable
    from offline_queue.service import QueueService

    loaded = ctx.config
    ctx.setup_logging()
    config = loaded.config
    clock = ctx.clock
    try:
        queue = QueueService.open(config.queue, config.server, ctx.data_dir, clock)
    except StorageUnavailable as error:
        # without durable storage no application may be accepted: say so and stop
        print(f"kiosk: the offline queue cannot store anything: {error}", file=sys.stderr)
        return EXIT_FAILED
    core = KioskCore.create(loaded, ctx.data_dir, clock=clock, event_sink=queue.sink)
    core.start()
    queue.start()
    stop_following = follow_sync(core, queue.worker, clock)
    try:
        return importlib.import_module(UI_ENTRY).run_kiosk(
            core, config, windowed=args.windowed, orientation=args.orientation)
    finally:
        stop_following()
        queue.stop()
        core.stop()


#: how often the attract screen's "offline" status follows the sync worker's last cycle
FOLLOW_INTERVAL_S = 5.0


def follow_sync(core, worker, clock) -> Callable[[], None]:
    """Mirror the sync worker's last cycle (server answered or not) into the core, which
    the attract screen shows ("offline: applications still accepted"). Not enrolled:
    nothing to follow (the core's own warning says so)."""
    if worker is None:
        return lambda: None
    timer = None
    stopped = False

    def check() -> None:
        nonlocal timer
        if stopped:
            return
        result = worker.last_result
        if result is not None and result.ok != core.server_reachable:
            core.set_server_reachable(result.ok)
        timer = clock.call_later(FOLLOW_INTERVAL_S, check)

    def stop() -> None:
        nonlocal stopped
        stopped = True
        if timer is not None:
            timer.cancel()
    check()
    return stop
