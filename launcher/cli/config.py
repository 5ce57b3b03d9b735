"""`kiosk config check|show`: validate the configuration the way start-up does."""
from __future__ import annotations

import json

from launcher.cli import EXIT_OK


def register(subparsers) -> None:
    parser = subparsers.add_parser("config", help="check or show the effective configuration")
    parser.add_argument("action", choices=["check", "show"],
                        help="check: validate and report; show: print the effective values as JSON")
    parser.set_defaults(func=run)


def run(args, ctx) -> int:
    loaded = ctx.config  # raises ConfigError (exit 3) with file, key and fix
    if args.action == "show":
        print(json.dumps(loaded.config.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"configuration ok: {', '.join(str(p) for p in loaded.files)}")
    if loaded.site_file is None:
        print("no site file: every device uses its simulator")
    elif loaded.simulated_devices:
        print(f"simulated devices: {', '.join(loaded.simulated_devices)}")
    return EXIT_OK
