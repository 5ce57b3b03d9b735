"""One queue operation for the I/O fault test, run under strace by iofaults.py.

`enqueue`: capture one application with two attachments. `sync`: one sync cycle. A write
to fd -1 (harmless, EBADF) marks the start and the end of the operation, so the harness
counts write and fsync positions from the operation, not from start-up. The outcome is
the exit code alone, because printing is itself a write that may be failing:
0 acknowledged / synced, 3 the queue reported the error, 4 the sync cycle hit an
unclassified (internal) error.

    python -m tests.offline_queue.io_fault_child --queue DIR --server URL --mode enqueue
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from foundation.clock import SystemClock
from offline_queue.errors import StorageUnavailable
from offline_queue.sink import OutboxSink
from offline_queue.store import Outbox
from tests.offline_queue.helpers import application, sync_worker

ACKNOWLEDGED, REPORTED, INTERNAL = 0, 3, 4


def mark() -> None:
    try:
        os.write(-1, b"operation boundary")
    except OSError:
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queue", type=Path, required=True)
    parser.add_argument("--server", required=True)
    parser.add_argument("--mode", choices=["enqueue", "sync"], required=True)
    args = parser.parse_args(argv)
    clock = SystemClock()
    outbox = Outbox(args.queue)
    if args.mode == "enqueue":
        pages = {f"blob:page{i}": os.urandom(3000) for i in range(2)}
        mark()
        try:
            OutboxSink(outbox, clock=clock).enqueue("submission", application(1, pages=2), pages)
        except StorageUnavailable:
            return REPORTED
        finally:
            mark()
        return ACKNOWLEDGED
    worker = sync_worker(outbox, args.queue, args.server)
    mark()
    result = worker.sync_once()
    mark()
    if result.ok:
        return ACKNOWLEDGED
    return INTERNAL if result.error.startswith("internal error") else REPORTED


if __name__ == "__main__":
    sys.exit(main())
