"""`kiosk run` (also plain `kiosk`): the kiosk itself, full screen.

Composition: configuration (the previous start's snapshot of it, `kiosk.config_snapshot`)
-> logging -> the Qt Quick shell's attract screen; after its first frame, the whole
configuration, the kiosk core (devices, offline queue, face and pickup services) and the
journeys.
"""
from __future__ import annotations

import sys

from launcher.cli import EXIT_CONFIG, EXIT_FAILED

def register(subparsers) -> None:
    parser = subparsers.add_parser("run", help="run the kiosk (the default command)")
    parser.add_argument("--windowed", action="store_true",
                        help="a window instead of full screen (development)")
    parser.add_argument("--orientation", choices=["portrait", "landscape"],
                        help="override the configured orientation")
    parser.set_defaults(func=run)


def run(args, ctx) -> int:
    from kiosk import config_snapshot
    from ui.launch import run_kiosk  # the CLI is the process entry point: it starts the UI

    # the previous start's snapshot draws the attract screen without loading the
    # configuration models; without one (first start, a file changed) load it now
    config = config_snapshot.read(ctx.data_dir, ctx.config_file) or ctx.config.config
    ctx.setup_logging(section=config.logging)
    failed: list[int] = []

    def start_core():
        """After the attract screen's first frame: the whole configuration (validated
        here, device options too), devices, the offline queue, the face child."""
        from foundation.config_files import ConfigError
        from kiosk.app import KioskCore
        from offline_queue.errors import StorageUnavailable
        try:
            loaded = ctx.config
            core = KioskCore.create(loaded, ctx.data_dir, clock=ctx.clock)
        except ConfigError as error:
            print(error, file=sys.stderr)
            failed.append(EXIT_CONFIG)
            return None
        except StorageUnavailable as error:
            # without durable storage no application may be accepted: say so and stop
            print(f"kiosk: the offline queue cannot store anything: {error}", file=sys.stderr)
            failed.append(EXIT_FAILED)
            return None
        config_snapshot.save(ctx.data_dir, loaded)
        core.start()
        core.serve_control()
        return core

    code = run_kiosk(start_core, config, windowed=args.windowed,
                     orientation=args.orientation)
    return failed[0] if failed else code
