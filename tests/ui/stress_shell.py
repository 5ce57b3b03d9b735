"""Builds and tears down the real shell `--builds` times, as the `make_shell` fixture does.

The stress run for the setSource/GIL freeze (docs/known-issues.md): run by
scripts/stress-shell.sh, which watches the heartbeat file this writes after every build
and takes native and Python stacks of every thread (py-spy) if it stops moving.
Not a pytest module (no `test_` prefix): one process, hundreds of builds.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ["QT_IM_MODULE"] = "qtvirtualkeyboard"
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_CONTROLS_STYLE", "Basic")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--builds", type=int, default=300)
    parser.add_argument("--core-every", type=int, default=10,
                        help="every Nth build gets a running demo core (device workers)")
    parser.add_argument("--heartbeat", type=Path, required=True,
                        help="file rewritten with the build number after each build")
    args = parser.parse_args(argv)

    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtTest import QTest

    from foundation.clock import TestClock
    from kiosk.config import load_config
    from launcher.demo import Demo
    from ui.app import ShellApp, application

    application(["stress-shell"], headless=True)
    loaded = load_config()
    with tempfile.TemporaryDirectory() as scratch:
        for build in range(1, args.builds + 1):
            clock, demo = TestClock(), None
            if args.core_every and build % args.core_every == 0:
                demo = Demo.create(loaded, Path(scratch) / str(build), clock=clock,
                                   with_server=False)
                demo.start()
                demo.core.wait_settled()
            shell = ShellApp(loaded.config, core=demo and demo.core, clock=clock,
                             speech_engine="mock",
                             orientation="landscape" if build % 2 else None,
                             cache_dir=Path(scratch) / "qm")
            shell.voice.enabled = True
            shell.voice.say("stress")
            shell.show(windowed=True)
            if not QTest.qWaitForWindowExposed(shell.view, 10_000):
                print(f"build {build}: the window was never exposed", file=sys.stderr)
                return 1
            shell.settle()
            shell.close()
            if demo is not None:
                demo.stop()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            args.heartbeat.write_text(str(build))
    print(f"{args.builds} shell builds, no hang")
    return 0


if __name__ == "__main__":
    sys.exit(main())
