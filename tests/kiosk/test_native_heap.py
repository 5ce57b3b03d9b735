"""The C heap's figures (glibc's mallinfo2) and trimming it (malloc_trim)."""
from __future__ import annotations

import pytest

from kiosk.native_heap import heap_figures, resident_bytes, trim

#: far above glibc's mmap threshold (at most 32 MiB), so it comes and goes whole
BIG = 64 * 1024 * 1024
#: what other threads of the test process may allocate or free meanwhile (the figures sum
#: every arena): a run of the whole suite saw 18 KB freed during the allocation
OTHERS = 1024 * 1024


@pytest.fixture
def glibc():
    if heap_figures() is None:
        pytest.skip("the C library gives no heap figures (not glibc 2.33 or later)")


def test_the_figures_see_memory_taken_and_given_back(glibc):
    before = heap_figures()
    taken = bytearray(BIG)
    during = heap_figures()
    del taken
    after = heap_figures()
    assert during.in_use - before.in_use >= BIG - OTHERS
    assert during.in_use - after.in_use >= BIG - OTHERS


def test_trimming_hands_freed_memory_back_and_keeps_what_is_in_use(glibc):
    """Chunks below the mmap threshold, freed under one still in use, stay resident in the
    heap (free() can give back only its top) until it is trimmed."""
    freed = [b"x" * 100_000 for _ in range(256)]
    kept = b"y" * 100_000
    held_before = heap_figures().free_held
    del freed
    assert heap_figures().free_held - held_before >= 200 * 100_000
    resident = resident_bytes()
    assert trim() >= 200 * 100_000
    assert resident - resident_bytes() >= 200 * 100_000
    assert kept == b"y" * 100_000
