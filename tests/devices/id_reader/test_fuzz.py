"""Short fuzz of every parser of outside bytes: only our clear errors may come out.

Each parser gets 2,000 inputs: mutations of valid seeds (bench/fuzz.py's mutator, driven
by a hypothesis-drawn seed so a failure replays) and random bytes. The long run
(100,000+ inputs each) is bench/fuzz.py over the same TARGETS.
"""
from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.fuzz import mutate
from bench.fuzz_targets.id_reader import TARGETS, seeds
from devices.model import DeviceOffline, InvalidData


def test_every_clear_error_is_invalid_data_or_offline():
    for name, (_parse, errors) in TARGETS.items():
        for error in errors:
            assert issubclass(error, (InvalidData, DeviceOffline)), name


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_parser_raises_only_clear_errors(name):
    parse, errors = TARGETS[name]
    samples = seeds()[name]
    for sample in samples:  # the seeds themselves are valid
        parse(sample)

    @settings(max_examples=2000, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.integers(0, 2**64 - 1))
    def run(recipe: int) -> None:
        data = mutate(random.Random(recipe), samples)
        try:
            parse(data)
        except errors:
            pass

    run()
