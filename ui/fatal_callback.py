"""Ends the kiosk on an exception that no Qt callback caught, so that its service restarts it.

PySide6 hands an exception escaping a slot, a timer or a method QML called to
`sys.excepthook` and carries on, so the kiosk would keep running with a journey, a view-model
or the shell half-updated: a screen that answers some touches and not others, or one that
goes on showing a citizen's data. The same is true during a citizen's session, and that is
when it matters most, so the kiosk ends then too: what the citizen confirmed is already in
the offline queue (encrypted at capture, kept across restarts) and the session in memory
goes with the process (docs/unattended.md, "The watchdog and restarts"); a restart is back at
the attract screen in seconds, while waiting for the session to end could leave a citizen
before a kiosk in an unknown state.

The log line names the exception's type and where it was raised, never its message or the
values of the frames, which may hold personal data. The exit code (`EXIT_UNHANDLED`) tells the
journal why the service manager (`Restart=always`) restarted the kiosk, as the hang guard
(`ui/hang_guard.py`) does for a frozen loop.
"""
from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType
from typing import Callable

from PySide6.QtCore import QCoreApplication, QTimer

log = logging.getLogger(__name__)

#: sysexits' EX_SOFTWARE: an internal error; the service manager restarts the kiosk
EXIT_UNHANDLED = 70
_FRAMES_LOGGED = 6


def where_raised(trace: TracebackType | None) -> list[str]:
    """The innermost frames as `file.py:line in function`: code locations, no values."""
    frames = traceback.extract_tb(trace)[-_FRAMES_LOGGED:]
    return [f"{Path(frame.filename).name}:{frame.lineno} in {frame.name}" for frame in frames]


def end_on_unhandled_exception(app: QCoreApplication, *, session_active: Callable[[], bool]
                               ) -> Callable[[], None]:
    """Install the hook: the first unhandled exception on the Qt thread logs one line and
    ends `app`'s loop with `EXIT_UNHANDLED` (the caller's clean-up still runs), also when it
    was raised before the loop started (a QML component completing). Returns what puts the
    previous hook back."""
    previous = sys.excepthook
    ending: list[bool] = []

    def hook(kind: type[BaseException], error: BaseException,
             trace: TracebackType | None) -> None:
        if ending:   # the loop is already ending; a second error adds nothing to do
            return
        ending.append(True)
        try:
            in_session = bool(session_active())
        except Exception:   # the shell may be the broken part: say it is unknown
            in_session = None
        where = where_raised(trace)
        log.critical("an exception no Qt callback caught; ending the kiosk for its service "
                     "manager to restart it",
                     extra={"exception": kind.__name__, "where": where,
                            "during_session": in_session, "exit_code": EXIT_UNHANDLED})
        print(f"kiosk: unhandled {kind.__name__} at {where[-1] if where else 'unknown'} "
              f"(session in progress: {in_session}); ending with code {EXIT_UNHANDLED} for "
              "the service manager to restart the kiosk", file=sys.stderr, flush=True)
        # queued: `exit` does nothing to a loop that is not running yet
        QTimer.singleShot(0, app, lambda: app.exit(EXIT_UNHANDLED))

    sys.excepthook = hook

    def uninstall() -> None:
        sys.excepthook = previous
    return uninstall
