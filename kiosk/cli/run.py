"""`kiosk run` (also plain `kiosk`): the kiosk itself, full screen.

Composition: configuration -> logging -> offline queue (the event sink; its sync worker
starts when the kiosk is enrolled) -> devices -> the Qt Quick shell.
"""
from __future__ import annotations

import importlib
import sys

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
    try:
        return importlib.import_module(UI_ENTRY).run_kiosk(
            core, config, windowed=args.windowed, orientation=args.orientation)
    finally:
        queue.stop()
        core.stop()
