"""`kiosk run` (also plain `kiosk`): the kiosk itself, full screen.

Composition: configuration -> logging -> the kiosk core (devices, offline queue, face and
pickup services) -> the Qt Quick shell.
"""
from __future__ import annotations

import sys

from launcher.cli import EXIT_FAILED

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
    from ui.launch import run_kiosk  # the CLI is the process entry point: it starts the UI

    loaded = ctx.config
    ctx.setup_logging()
    try:
        core = KioskCore.create(loaded, ctx.data_dir, clock=ctx.clock)
    except StorageUnavailable as error:
        # without durable storage no application may be accepted: say so and stop
        print(f"kiosk: the offline queue cannot store anything: {error}", file=sys.stderr)
        return EXIT_FAILED
    core.start()
    try:
        return run_kiosk(core, loaded.config, windowed=args.windowed,
                         orientation=args.orientation)
    finally:
        core.stop()
