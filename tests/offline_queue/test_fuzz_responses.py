"""Garbage from the network is always a classified sync error, never a delivery."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from offline_queue.testing.fuzz import CLEAR_ERRORS, ResponseFuzzer


def test_put_answers(tmp_path_factory):
    fuzzer = ResponseFuzzer(tmp_path_factory.mktemp("fuzz"))

    @settings(max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.binary(max_size=400) | st.builds(lambda s, j: bytes([s]) + j.encode(),
                                               st.integers(0, 255), st.text(max_size=200)))
    def check(data: bytes) -> None:
        try:
            fuzzer.put_response(data)
        except CLEAR_ERRORS:
            pass

    check()
    assert fuzzer.outbox.counts().delivered == 0


@settings(max_examples=2000, deadline=None)
@given(st.binary(max_size=60) | st.text(max_size=40).map(str.encode))
def test_retry_after_header(data):
    ResponseFuzzer.retry_after(data)
