"""`kiosk demo`: the whole kiosk on one machine, every device simulated, server embedded.

    kiosk demo --windowed [--true-size]         the kiosk (scaled to fit the screen unless
                                                --true-size) beside the simulator control panel
    kiosk demo --headless --scenario FILE --screenshots DIR
                                                walk a scenario offscreen; exit 0 or 1
"""
from __future__ import annotations

import dataclasses
import logging
import sys
import tempfile
from pathlib import Path

from launcher.cli import EXIT_CONFIG, EXIT_DATA, EXIT_USAGE

log = logging.getLogger(__name__)


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "demo", help="run the whole kiosk with simulated devices and an embedded server",
        description="Every device simulated, the district server in-process (SQLite in the "
                    "data dir, or a temporary one). --headless walks a scenario offscreen "
                    "and saves a PNG of every screen reached.")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--headless", action="store_true",
                      help="no window (QT_QPA_PLATFORM=offscreen); needs --scenario or "
                           "--screenshots")
    mode.add_argument("--windowed", action="store_true",
                      help="a window (not full screen) and the simulator control panel")
    parser.add_argument("--scenario", type=Path, metavar="FILE",
                        help="scenario YAML to walk (see config/scenarios/)")
    parser.add_argument("--screenshots", type=Path, metavar="DIR",
                        help="save a PNG of every screen reached here")
    parser.add_argument("--true-size", action="store_true",
                        help="with --windowed: the kiosk 1:1 (1080x1920 or 1920x1080), for a "
                             "real kiosk screen; by default it is scaled to fit this screen "
                             "beside the control panel")
    parser.add_argument("--orientation", choices=["portrait", "landscape"],
                        help="override the configured orientation")
    parser.add_argument("--no-server", action="store_true",
                        help="do not embed the district server (the kiosk runs offline)")
    parser.set_defaults(func=run)


def run(args, ctx) -> int:
    from foundation.clock import SystemClock, TestClock
    from launcher.demo import Demo, DemoError
    from kiosk.scenario import ScenarioError, load_scenario

    if args.headless and args.scenario is None and args.screenshots is None:
        print("kiosk demo --headless needs --scenario FILE and/or --screenshots DIR",
              file=sys.stderr)
        return EXIT_USAGE
    if not args.headless:
        from ui.platform_libraries import check
        display = check()
        if not display.usable:  # Qt would abort the process with a less helpful message
            print(f"kiosk demo: {display.reason}", file=sys.stderr)
            return EXIT_CONFIG
    scenario = None
    if args.scenario is not None:
        try:
            scenario = load_scenario(args.scenario)
        except ScenarioError as error:
            print(error, file=sys.stderr)
            return EXIT_DATA
    loaded = ctx.config
    if scenario is not None:
        loaded = dataclasses.replace(loaded, config=scenario.configure(loaded.config))
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="kiosk-demo-"))
    ctx.data_dir = data_dir
    ctx.setup_logging(also_stderr=False)
    # scenarios move time themselves; an interactive demo runs on real time
    clock = TestClock() if scenario is not None else SystemClock()
    try:
        demo = Demo.create(loaded, data_dir, clock=clock, with_server=not args.no_server)
    except DemoError as error:
        print(error, file=sys.stderr)
        return EXIT_CONFIG
    demo.start()
    if scenario is not None and not demo.wait_synced():
        log.warning("the demo kiosk has not synced with its district yet; walking anyway")
    try:
        from ui.launch import run_demo  # the CLI is the process entry point: it starts the UI
        return run_demo(demo, loaded.config, headless=args.headless, scenario=scenario,
                        screenshots=args.screenshots, orientation=args.orientation,
                        true_size=args.true_size)
    finally:
        demo.stop()
        print(f"demo data: {data_dir}", file=sys.stderr)

