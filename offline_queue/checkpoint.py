"""WAL checkpoints off the enqueue path: a thread with its own connection to the outbox.

In WAL mode a commit appends pages to the log; a checkpoint copies them into the database
file and fdatasyncs it. SQLite's automatic checkpoint runs inside the commit that crosses
its threshold, so one enqueue in several waited for it (about a checkpoint's worth of
writes and a second fdatasync). Here a PASSIVE checkpoint runs on its own thread after
each capture: it never blocks a writer or a reader, SQLite keeps it crash-safe (a kill
mid-way leaves the pages in the log), and once it has copied the whole log the next
commit starts the log from its beginning again, so the log stays about one item long.
The automatic checkpoint stays as a backstop at a larger threshold, for when this thread
falls behind.
"""
from __future__ import annotations

import logging
import sqlite3
import threading
from concurrent.futures import Future
from pathlib import Path

log = logging.getLogger(__name__)


class WalCheckpointer:
    """Checkpoints `path`'s WAL on request, on a thread started by the first request."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._wanted = threading.Condition(self._lock)
        self._waiting: list[Future] = []
        self._thread: threading.Thread | None = None
        self._closing = False

    def request(self) -> Future:
        """Ask for a checkpoint; the future gets (busy, log frames, checkpointed frames) of
        one that started after this request (requests while one waits share it)."""
        done: Future = Future()
        with self._lock:
            if self._closing:
                done.set_exception(RuntimeError("the outbox is closed"))
                return done
            self._waiting.append(done)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="outbox-checkpoint",
                                                daemon=True)
                self._thread.start()
            self._wanted.notify()
        return done

    def close(self) -> None:
        """Finish the checkpoint under way (if any) and stop the thread."""
        with self._lock:
            self._closing = True
            self._wanted.notify()
            thread = self._thread
        if thread is not None:
            thread.join()

    def _run(self) -> None:
        try:
            db = sqlite3.connect(self._path, isolation_level=None)
        except sqlite3.Error as error:
            log.warning("queue WAL checkpoint failed", extra={"reason": str(error)})
            with self._lock:
                self._thread = None  # the next request tries again
                waiting, self._waiting = self._waiting, []
            _fail(waiting, error)
            return
        try:
            while True:
                with self._lock:
                    while not self._waiting and not self._closing:
                        self._wanted.wait()
                    if not self._waiting:
                        return  # closing, nothing asked for
                    waiting, self._waiting = self._waiting, []
                # a future its caller cancelled gets no result
                waiting = [done for done in waiting if done.set_running_or_notify_cancel()]
                try:
                    # PASSIVE: copies what no reader still needs, waits for no one
                    result = tuple(db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone())
                except sqlite3.Error as error:
                    # the pages stay in the log; the next request (or the backstop) retries
                    log.warning("queue WAL checkpoint failed", extra={"reason": str(error)})
                    for done in waiting:
                        done.set_exception(error)
                else:
                    for done in waiting:
                        done.set_result(result)
        finally:
            db.close()
            with self._lock:
                waiting, self._waiting = self._waiting, []
            _fail(waiting, RuntimeError("the outbox is closed"))


def _fail(waiting: list[Future], error: BaseException) -> None:
    for done in waiting:
        if done.set_running_or_notify_cancel():  # a future its caller cancelled stays so
            done.set_exception(error)
