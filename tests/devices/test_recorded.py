"""What a virtual peer records stays bounded however long it runs, and a test reading what
one operation added either gets all of it or an error."""
from __future__ import annotations

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
