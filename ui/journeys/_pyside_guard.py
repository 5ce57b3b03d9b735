"""A guard against a reference-count bug of PySide6 6.12.0 on Python 3.11.

Every `Signal.emit()` drops one reference to `True` (reproduced with a bare QObject and
no receivers). Before Python 3.12 the bools are not immortal, so after enough emits
(tens of thousands: about an hour of a kiosk's clock, status and screen signals) the
interpreter frees `True` and aborts ("bool_dealloc"). Until the binding is fixed or
pinned, the counts of True and False are raised once by a billion at start, which puts
the abort out of reach of any kiosk's uptime.
"""
from __future__ import annotations

import ctypes
import sys

_RAISE_BY = 1_000_000_000
_guarded = False


def guard_bool_refcounts() -> None:
    global _guarded
    if _guarded or sys.version_info >= (3, 12):
        return
    for value in (True, False):
        ctypes.c_ssize_t.from_address(id(value)).value += _RAISE_BY
    _guarded = True
