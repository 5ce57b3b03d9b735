"""What a virtual peer records stays bounded however long it runs, and a test reading what
one operation added either gets all of it or an error."""
from __future__ import annotations

import random
import tracemalloc

import pytest

from devices.recorded import RecordedBytes, RecordedItems


def test_items_keep_the_last_ones_and_count_them_all():
    frames: RecordedItems[int] = RecordedItems(keep=10)
    for frame in range(10_000):
        frames.append(frame)
    assert len(frames) == 10 and list(frames) == list(range(9_990, 10_000))
    assert frames.count == 10_000 and frames[-1] == 9_999
    mark = frames.count
    frames.append(10_000)
    assert frames.since(mark) == [10_000]
    assert frames.since(frames.count) == []


def test_asking_for_more_items_than_are_kept_is_an_error():
    frames: RecordedItems[int] = RecordedItems(keep=3)
    for frame in range(5):
        frames.append(frame)
    assert frames.since(2) == [2, 3, 4]
    with pytest.raises(LookupError, match="only the last 3"):
        frames.since(1)


def test_bytes_keep_the_tail_and_count_them_all():
    received = RecordedBytes(keep=8)
    for _ in range(1_000):
        received.extend(b"\x10\x04\x01")
    assert len(received) == 8 and received.count == 3_000
    mark = received.count
    received.extend(b"abc")
    assert received.since(mark) == b"abc"
    assert bytes(received) == b"\x04\x01\x10\x04\x01abc"
    with pytest.raises(LookupError):
        received.since(mark - 6)


def test_bytes_come_back_as_sent_whatever_the_pieces():
    received, sent = RecordedBytes(keep=100), bytearray()
    pieces = random.Random(7)
    for _ in range(2_000):
        piece = pieces.randbytes(pieces.choice((0, 1, 7, 99, 100, 101, 250)))
        mark = received.count
        received.extend(piece)
        sent += piece
        if len(piece) <= 100:
            assert received.since(mark) == piece
        else:
            with pytest.raises(LookupError):
                received.since(mark)
        assert bytes(received) == bytes(sent[-100:]) and received.count == len(sent)


def test_the_bytes_kept_take_no_more_memory_after_months_than_after_the_first():
    tracemalloc.start()
    try:
        received = RecordedBytes(keep=64 * 1024)
        received.extend(b"\x10\x04\x01")
        first = tracemalloc.get_traced_memory()[0]
        for size in range(20_000):
            received.extend(bytes(size % 500))
        assert tracemalloc.get_traced_memory()[0] - first < 1024
    finally:
        tracemalloc.stop()
