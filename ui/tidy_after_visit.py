"""The quiet after a visit: the memory the visit used goes back before the next citizen comes.

A visit leaves memory behind it in three places. The screens it closed wait for Qt to delete
them when control is back in the main loop. The cycles among its Python objects (a few hundred
a visit: view-models, their Qt wrappers, callbacks) wait for Python's full collection, which
comes every ~1,000 visits and then walks every object the kiosk has (~90 ms holding the GIL,
perhaps during a citizen's tap); by then they held ~1.5 MB. And what the visit freed in the C
heap (camera frames, scans, the receipt: ~20 MB after a visit with the camera) stays resident,
kept by glibc for reuse, which gives back only the top of a heap: the kiosk's memory rose by
~20 MB over a day's first visits, and wandered with where each visit's memory landed, until
the night's housekeeping trimmed it (kiosk/housekeeping.py).

So `TIDY_AFTER_S` after a visit ends, unless another has begun, the kiosk deletes what Qt holds
for deletion, collects the cycles and trims the C heap (kiosk/native_heap.py). It runs on the
Qt thread, the only one where a Qt object among the cycles may be deleted, and takes a few
milliseconds: the objects of start-up, which live as long as the kiosk, are kept out of the
collector's walk once the kiosk runs (`freeze_start_up`).
"""
from __future__ import annotations

import gc
import logging
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication

log = logging.getLogger(__name__)

#: seconds from a visit's end to the tidy: the farewell screen gone and the attract screen up
TIDY_AFTER_S = 2.0


class TidyAfterVisit:
    """Tidies once a visit has ended and the kiosk is still between visits."""

    def __init__(self, clock: Any, in_session: Callable[[], bool]) -> None:
        self._clock = clock   # one whose callbacks run on the Qt thread (ui.bridge.QtClock)
        self._in_session = in_session
        self._pending: Any = None
        self._stopped = False

    def visit_ended(self) -> None:
        if self._pending is not None:
            self._pending.cancel()
        if not self._stopped:
            self._pending = self._clock.call_later(TIDY_AFTER_S, self._due)

    def stop(self) -> None:
        self._stopped = True
        if self._pending is not None:
            self._pending.cancel()

    def _due(self) -> None:
        self._pending = None
        # the next visit's end tidies for both: no pause while a citizen is at the screen
        if not self._stopped and not self._in_session():
            tidy()


def tidy() -> None:
    # not before the first frame: ctypes, and PySide's set-up of one more class (~4 M
    # instructions)
    from PySide6.QtCore import QEvent
    from kiosk import native_heap
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    collected = gc.collect()
    given_back = native_heap.trim()
    log.debug("tidied after a visit",
              extra={"objects_collected": collected, "memory_given_back": given_back})


def freeze_start_up() -> None:
    """Keep what the kiosk has made so far, which lives as long as it does (modules, the core,
    the shell, the compiled screens), out of every later collection's walk: the tidy's
    collection then walks what came since (~1,000 objects, not ~300,000). Once, when the core
    runs; garbage is collected first, or it would be kept for good. What is frozen and later
    dropped in a cycle stays (its reference counts free the rest): at most one copy of what
    start-up made, such as a catalogue the district later replaces."""
    gc.collect()
    gc.freeze()
