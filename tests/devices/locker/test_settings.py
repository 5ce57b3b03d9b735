"""Locker bank configuration: numbering, sizes, and the mistakes it refuses."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from devices.locker.bank import LockerSettings


def test_default_numbering_runs_across_boards_in_order():
    settings = LockerSettings(codec="xor_8a", boards=[{"address": 1, "locks": 2},
                                                      {"address": 2, "locks": 3}])
    numbered = settings.compartment_map()
    assert [(n, c.board, c.lock) for n, c in numbered.items()] == [
        (1, 1, 1), (2, 1, 2), (3, 2, 1), (4, 2, 2), (5, 2, 3)]


def test_explicit_compartments_with_sizes():
    settings = LockerSettings(codec="kerong_cu16", boards=[{"address": 0, "locks": 4}],
                              compartments=[{"number": 101, "board": 0, "lock": 4, "size": "L"},
                                            {"number": 102, "board": 0, "lock": 1, "size": "S"}])
    numbered = settings.compartment_map()
    assert sorted(numbered) == [101, 102] and numbered[101].size == "L"
    assert settings.wall_rows() == [[101, 102]]


def test_wall_layout_and_door_labels():
    settings = LockerSettings(codec="xor_8a", boards=[{"address": 1, "locks": 4}],
                              compartments=[{"number": n, "board": 1, "lock": n,
                                             "label": f"A{n:02d}"} for n in range(1, 5)],
                              wall=[[1, 2], [3, 4]])
    assert settings.wall_rows() == [[1, 2], [3, 4]]
    assert [settings.compartment_map()[n].shown for n in (1, 4)] == ["A01", "A04"]
    with pytest.raises(ValidationError, match="compartment 9"):
        LockerSettings(codec="xor_8a", boards=[{"address": 1, "locks": 4}], wall=[[9]])


@pytest.mark.parametrize("options, message", [
    (dict(codec="kerong_cu16", boards=[{"address": 16, "locks": 4}]), "outside 0..15"),
    (dict(codec="xor_8a", boards=[{"address": 0, "locks": 4}]), "outside 1..64"),
    (dict(codec="kerong_cu16", boards=[{"address": 0, "locks": 17}]), "more than 16"),
    (dict(codec="xor_8a", boards=[{"address": 1, "locks": 4}, {"address": 1, "locks": 4}]),
     "share an address"),
    (dict(codec="xor_8a", boards=[{"address": 1, "locks": 4}],
          compartments=[{"number": 1, "board": 1, "lock": 5}]), "not configured"),
    (dict(codec="xor_8a", boards=[{"address": 1, "locks": 4}],
          compartments=[{"number": 1, "board": 1, "lock": 1}, {"number": 1, "board": 1,
                                                                "lock": 2}]), "twice"),
    (dict(codec="xor_8a", boards=[{"address": 1, "locks": 4, "open_level": "up"}]), "open_level"),
])
def test_bad_configuration_is_refused(options, message):
    with pytest.raises(ValidationError, match=message):
        LockerSettings(**options)
