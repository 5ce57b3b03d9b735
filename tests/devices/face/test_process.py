"""The face child's `busy` covers an answer until the callbacks waiting on it have run: a
driver of the test clock waits for it before the next frame, and a frame offered while the
previous answer's callbacks still run would be dropped (a blink lost)."""
from __future__ import annotations


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
