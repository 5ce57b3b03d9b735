"""The environment deploy/systemd/kiosk.service gives the kiosk that bears on what the benches
measure, for those that measure the kiosk as the unit runs it (bench/soak.py, bench/startup.py).

Each is the unit's value, a file the unit names being the tree's copy of what
deploy/install-kiosk.sh installs there (tests/deploy/test_kiosk_unit.py checks they agree).
A name already in the environment is left as it is: set it yourself to run otherwise
(MALLOC_ARENA_MAX=0 is glibc's default, FONTCONFIG_FILE=/etc/fonts/fonts.conf the system's).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

KIOSK_ENVIRONMENT = {
    # glibc reads it as the process starts: the arenas its malloc makes (the soak's memory)
    "MALLOC_ARENA_MAX": "2",
    # the system's fonts and rendering rules less those for fonts the kiosk never draws with
    # (fontconfig's parse before the first frame; docs/benchmarks.md, start-up)
    "FONTCONFIG_FILE": str(ROOT / "deploy" / "fontconfig" / "kiosk-fonts.conf"),
}


def as_the_kiosk_runs(environment: dict[str, str]) -> dict[str, str]:
    """`environment` with the unit's values for the names it does not set."""
    return {**KIOSK_ENVIRONMENT, **environment}


def run_as_the_kiosk_runs() -> None:
    """Starts this process again with the unit's environment unless it has it (glibc reads
    MALLOC_ARENA_MAX only as a process starts)."""
    if any(name not in os.environ for name in KIOSK_ENVIRONMENT):
        os.execve(sys.executable, [sys.executable, *sys.orig_argv[1:]],
                  as_the_kiosk_runs(dict(os.environ)))


def reported(environment: dict[str, str]) -> dict[str, str | None]:
    """What a bench's JSON says the measured process ran with."""
    return {name: environment.get(name) for name in KIOSK_ENVIRONMENT}
