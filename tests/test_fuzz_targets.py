"""The fuzz targets of bench/fuzz.py: valid seeds, structure-aware mutation, and inputs that
get past the first byte (measured as line coverage of the target's modules)."""
from __future__ import annotations

import json
import random

import pytest

from bench.fuzz import fuzz, load_targets, mutate

TARGETS = load_targets()


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_every_target_has_seeds_its_parser_accepts(name):
    parse, clear_errors, seeds, files = TARGETS[name]
    assert seeds and files
    accepted = 0
    for seed in seeds:
        try:
            parse(seed)
            accepted += 1
        except clear_errors:  # a well-formed answer that is refused by design (a 409)
            pass
    assert accepted, f"no seed of {name} is accepted"


def test_json_seeds_are_mutated_as_json():
    seeds = TARGETS["district_server.wire_application_payload"][2]
    rng = random.Random(1)
    outputs = [mutate(rng, seeds) for _ in range(400)]
    as_json = [out for out in outputs if _is_json_object(out)]
    assert len(as_json) > len(outputs) / 3
    assert not set(as_json) & set(seeds)


def _is_json_object(data: bytes) -> bool:
    try:
        return isinstance(json.loads(data), dict)
    except ValueError:
        return False


@pytest.mark.parametrize("name", ["code_reader.code_reader_scanner_line",
                                  "district_server.wire_application_payload",
                                  "offline_queue.queue_put_response"])
def test_seeded_inputs_reach_further_than_random_bytes(name):
    parse, clear_errors, seeds, files = TARGETS[name]
    seeded = fuzz(name, parse, clear_errors, seeds, 1500, random.Random(7), files)
    unseeded = fuzz(name, parse, clear_errors, [], 1500, random.Random(7), files)
    assert seeded["unexpected_errors"] == 0, seeded["first_unexpected"]
    assert seeded["accepted"] > 0
    assert seeded["coverage"]["lines_covered"] > unseeded["coverage"]["lines_covered"]
