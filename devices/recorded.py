"""What a virtual peer records (frames it was sent, jobs it printed), bounded.

The demo runs its virtual peers inside the kiosk for as long as the kiosk runs, so a peer
keeps only the most recent of what it records, with a count of everything it ever
recorded. Tests mark the count before an operation and read what the operation added
with `since(mark)`; asking for more than is kept is an error, never a silent shortfall.
"""
from __future__ import annotations

from collections import deque
from typing import Generic, Iterator, TypeVar

Item = TypeVar("Item")


class RecordedItems(Generic[Item]):
    """The last `keep` items appended, and `count`: how many were ever appended."""

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self.count = 0
        self._items: deque[Item] = deque(maxlen=keep)

    def append(self, item: Item) -> None:
        self._items.append(item)
        self.count += 1

    def since(self, mark: int) -> list[Item]:
        """The items appended since `count` was `mark`."""
        added = _added_since(mark, self.count, len(self._items), self.keep)
        return list(self._items)[len(self._items) - added:]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Item]:
        return iter(self._items)

    def __getitem__(self, index: int) -> Item:
        return self._items[index]


class RecordedBytes:
    """The last `keep` bytes of a stream, and `count`: how many bytes ever came.

    They are kept in a ring of `keep` bytes allocated at the start, so a peer's memory is
    the same after its first byte as after months (a growing tail filled for a thousand
    demo sessions before it reached its bound, and showed in the soak's RSS slope)."""

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self.count = 0
        self._ring = bytearray(keep)

    def extend(self, data: bytes) -> None:
        came = len(data)
        tail = memoryview(data)[-self.keep:] if came > self.keep else memoryview(data)
        start = (self.count + came - len(tail)) % self.keep
        first = min(len(tail), self.keep - start)
        self._ring[start:start + first] = tail[:first]
        self._ring[:len(tail) - first] = tail[first:]
        self.count += came

    def _last(self, size: int) -> bytes:
        end = self.count % self.keep
        if size <= end:
            return bytes(self._ring[end - size:end])
        return bytes(self._ring[self.keep - (size - end):]) + bytes(self._ring[:end])

    def since(self, mark: int) -> bytes:
        """The bytes that came since `count` was `mark`."""
        return self._last(_added_since(mark, self.count, len(self), self.keep))

    def __len__(self) -> int:
        return min(self.count, self.keep)

    def __bytes__(self) -> bytes:
        return self._last(len(self))


def _added_since(mark: int, count: int, kept: int, keep: int) -> int:
    added = count - mark
    if not 0 <= added <= kept:
        raise LookupError(f"{added} recorded since mark {mark}, but only the last {keep} are kept "
                          f"({kept} now)")
    return added
