"""The C heap under Python and Qt (glibc's malloc): what it holds, in use and free, and handing
its free memory back to the system.

A kiosk's resident memory can grow while nothing it keeps does: glibc holds freed memory in
its arenas for reuse (one per thread that allocated, up to eight a core) and returns it only
from the top of a heap. These figures tell the two apart (`bench/soak.py` reports them);
`trim` gives back what is free (`malloc_trim(0)`), which the nightly housekeeping does.
Elsewhere than glibc on Linux there are no figures and trimming does nothing.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
from dataclasses import dataclass
from functools import cache


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]


@dataclass(frozen=True)
class HeapFigures:
    #: bytes handed out and not freed (in the arenas and mmapped on their own)
    in_use: int
    #: bytes freed but kept by the allocator for reuse (resident, once touched, until
    #: the heap is trimmed; trimming hands their pages back but leaves them counted here)
    free_held: int


@cache
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name)
        libc.mallinfo2.restype = _MallInfo2
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
        libc.malloc_trim.restype = ctypes.c_int
    except (OSError, AttributeError):   # not glibc, or older than 2.33
        return None
    return libc


def heap_figures() -> HeapFigures | None:
    """The C heap now, every arena summed; None where the allocator does not say."""
    libc = _libc()
    if libc is None:
        return None
    info = libc.mallinfo2()
    return HeapFigures(in_use=info.uordblks + info.hblkhd, free_held=info.fordblks)


def resident_bytes() -> int:
    """The process's resident memory (0 where /proc does not say)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def trim() -> int:
    """Hand the heap's free pages back to the system (every arena); the resident bytes that
    went (other threads allocating meanwhile count against it)."""
    libc = _libc()
    if libc is None:
        return 0
    before = resident_bytes()
    libc.malloc_trim(0)
    return max(0, before - resident_bytes())
