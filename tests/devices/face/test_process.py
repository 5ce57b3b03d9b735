"""The face child's `busy` covers an answer until the callbacks waiting on it have run: a
driver of the test clock waits for it before the next frame, and a frame offered while the
previous answer's callbacks still run would be dropped (a blink lost). A request to a child
that has died fails once, whichever of the two threads notices first."""
from __future__ import annotations

import pytest

from devices.face.process import FaceProcess, FaceProcessError
from devices.face.settings import FaceSettings


def test_busy_lasts_until_an_answers_callbacks_have_run(face):
    seen_in_callback: list[bool] = []

    class Watched(dict):   # hooks each request's future before it is sent to the child
        def __setitem__(self, request_id, future):
            future.add_done_callback(lambda _f: seen_in_callback.append(face.busy))
            super().__setitem__(request_id, future)

    face._pending = Watched(face._pending)
    try:
        face.clear().result(30)
    finally:
        face._pending = dict(face._pending)
    assert seen_in_callback == [True]


def test_a_request_to_a_child_that_died_fails_once_when_the_reader_noticed_first():
    process = FaceProcess(FaceSettings())   # not started: its pipe is replaced below

    class ChildGoneWhileSending:
        def send(self, message):
            process._read()                     # the reader sees the pipe end first...
            raise BrokenPipeError(32, "Broken pipe")   # ...then the send fails

        def recv(self):
            raise EOFError

    process._conn = ChildGoneWhileSending()
    future = process.observe(b"frame")
    with pytest.raises(FaceProcessError, match="face process ended"):
        future.result(0)
    assert not process.busy and process.observe(b"next frame") is not None
