"""WAL checkpoints off the enqueue path (offline_queue.checkpoint)."""
from __future__ import annotations

import os
import sqlite3

import pytest

from offline_queue.store import PAGE_SIZE, WAL_AUTOCHECKPOINT_PAGES, Outbox

ATTACHMENT_BYTES = 200 * 1024
ITEM_BYTES = 3 * ATTACHMENT_BYTES


def _add(outbox: Outbox, n: int) -> None:
    outbox.add(f"item-{n}", "k-1", "audit", "2026-11-26T09:00:00+00:00",
               [os.urandom(ATTACHMENT_BYTES) for _ in range(3)],
               lambda seq: (f'{{"seq":{seq}}}', f"digest-{seq}"))


def _wal(outbox: Outbox):
    return outbox.path.with_name(outbox.path.name + "-wal")


def test_each_capture_is_checkpointed_by_the_checkpointer_so_the_log_stays_one_item_long(
        tmp_path):
    outbox = Outbox(tmp_path)
    for n in range(10):  # 6 MB: past the automatic checkpoint's old threshold (4 MB)
        _add(outbox, n)
        busy, frames, copied = outbox.checkpointer.request().result(timeout=60)
        assert (busy, copied) == (0, frames)
    # the next commit starts the log from its beginning: it never holds two items
    assert _wal(outbox).stat().st_size < 2 * ITEM_BYTES
    assert {item.item_id for item in outbox.items()} == {f"item-{n}" for n in range(10)}
    outbox.close()


def test_commits_do_not_checkpoint_below_the_backstop(tmp_path):
    outbox = Outbox(tmp_path)
    outbox.checkpointer.close()  # the checkpointer thread never runs: only the commits
    items = 10
    for n in range(items):
        _add(outbox, n)
    # a checkpoint of our own says how many frames the log holds: none were copied before
    busy, frames, copied = sqlite3.connect(outbox.path).execute(
        "PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    assert frames >= items * ITEM_BYTES // PAGE_SIZE
    assert frames < WAL_AUTOCHECKPOINT_PAGES  # the backstop is not reached yet
    outbox.close()


def test_a_request_after_close_fails_and_capture_still_works(tmp_path):
    outbox = Outbox(tmp_path)
    outbox.checkpointer.close()
    with pytest.raises(RuntimeError, match="closed"):
        outbox.checkpointer.request().result(timeout=60)
    _add(outbox, 1)  # asks for a checkpoint that cannot run, and is stored all the same
    assert outbox.counts().pending == 1
    outbox.close()


def test_requests_their_callers_cancelled_leave_the_checkpointer_working(tmp_path):
    outbox = Outbox(tmp_path)
    _add(outbox, 1)
    for _ in range(20):
        outbox.checkpointer.request().cancel()  # pending ones are cancelled, others run
    busy, frames, copied = outbox.checkpointer.request().result(timeout=60)
    assert (busy, copied) == (0, frames)
    outbox.close()
