"""The face pipeline in a spawned child process.

dlib holds the interpreter lock for the whole of an encoding (~100-150 ms), which
would stall the UI's Python code and every device worker; in a child process it
stalls nothing. One request is in flight at a time: a frame offered while the child
is busy is dropped (`observe` returns None), never queued.

Nothing the child computes is written anywhere: the reference encoding lives in the
child's memory until `clear()` (end of the step) or `close()`.
"""
from __future__ import annotations

import itertools
import logging
import multiprocessing
import threading
from concurrent.futures import Future
from typing import Any

import numpy as np

from devices.face.settings import FaceSettings

log = logging.getLogger(__name__)


class FaceProcessError(RuntimeError):
    """The face child process died or could not start."""


def _serve(conn: Any, settings: dict[str, Any]) -> None:
    """Child main loop: (op, id, args) in, (id, ok, value) out, until "stop" or EOF."""
    from devices.face.pipeline import FacePipeline
    try:
        pipeline = FacePipeline(FaceSettings(**settings))
    except Exception as error:  # models missing: tell the parent, which reports noDevice
        conn.send((0, False, f"face models could not be loaded: {error}"))
        return
    conn.send((0, True, "ready"))
    while True:
        try:
            op, request_id, args = conn.recv()
        except (EOFError, OSError):
            break
        if op == "stop":
            break
        try:
            if op == "enrol":
                value: Any = pipeline.enrol(args[0])
            elif op == "observe":
                value = pipeline.observe(args[0], match=args[1], framing=args[2])
            elif op == "clear":
                value = pipeline.clear()
            else:
                raise ValueError(f"unknown face op {op!r}")
            conn.send((request_id, True, value))
        except Exception as error:  # a bad frame must not end the process
            conn.send((request_id, False, f"{type(error).__name__}: {error}"))
    pipeline.clear()


class FaceProcess:
    def __init__(self, settings: FaceSettings) -> None:
        self.settings = settings
        context = multiprocessing.get_context("spawn")
        self._conn, child_conn = context.Pipe()
        self._process = context.Process(target=_serve, args=(child_conn, settings.model_dump()),
                                        name="face-pipeline", daemon=True)
        self._child_conn = child_conn
        self._ids = itertools.count(1)
        self._pending: dict[int, Future] = {}
        self._lock = threading.Lock()
        self._send_lock = threading.Lock()
        self._observe_in_flight = False
        self.ready: Future[str] = Future()
        self.frames_dropped = 0
        self._reader: threading.Thread | None = None

    def start(self) -> "FaceProcess":
        self._process.start()
        self._child_conn.close()
        self._pending[0] = self.ready
        self._reader = threading.Thread(target=self._read, name="face-results", daemon=True)
        self._reader.start()
        return self

    @property
    def alive(self) -> bool:
        return self._process.is_alive()

    @property
    def busy(self) -> bool:
        """Whether the child still has a request to answer (a reference, a frame, a wipe)."""
        with self._lock:
            return bool(self._pending)

    def enrol(self, image_bgr: np.ndarray) -> Future:
        return self._request("enrol", (image_bgr,))

    def observe(self, image_bgr: np.ndarray, *, match: bool = False,
                framing: bool = True) -> Future | None:
        """Analyse a frame, or drop it (None) while the child is still on the previous one."""
        with self._lock:
            if self._observe_in_flight:
                self.frames_dropped += 1
                return None
            self._observe_in_flight = True
        future = self._request("observe", (image_bgr, match, framing))
        future.add_done_callback(self._observe_done)
        return future

    def _observe_done(self, _future: Future) -> None:
        with self._lock:
            self._observe_in_flight = False

    def clear(self) -> Future:
        return self._request("clear", ())

    def _request(self, op: str, args: tuple) -> Future:
        future: Future = Future()
        request_id = next(self._ids)
        with self._lock:
            self._pending[request_id] = future
        try:
            with self._send_lock:
                self._conn.send((op, request_id, args))
        except (OSError, ValueError) as error:
            with self._lock:
                still_mine = self._pending.pop(request_id, None) is not None
            if still_mine:  # if not, the reader saw the child end first and failed it
                future.set_exception(FaceProcessError(f"face process is gone: {error}"))
        return future

    def _read(self) -> None:
        while True:
            try:
                request_id, ok, value = self._conn.recv()
            except (EOFError, OSError):
                break
            with self._lock:
                future = self._pending.get(request_id)
            if future is None:
                continue
            if ok:
                future.set_result(value)
            else:
                future.set_exception(FaceProcessError(value))
            with self._lock:  # only now: `busy` covers the answer's callbacks too
                self._pending.pop(request_id, None)
        with self._lock:
            pending, self._pending = list(self._pending.values()), {}
        for future in pending:
            if not future.done():
                future.set_exception(FaceProcessError("face process ended"))

    def close(self, timeout: float = 5.0) -> None:
        try:
            with self._send_lock:
                self._conn.send(("stop", 0, ()))
        except (OSError, ValueError):
            pass
        self._process.join(timeout)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(timeout)
        self._conn.close()
        if self._reader is not None:
            self._reader.join(timeout)
