"""Fixtures of the command-line tests: the real district server on loopback."""
from __future__ import annotations

import pytest


@pytest.fixture
def district(tmp_path):
    from tests.offline_queue.live_district import LiveDistrict
    with LiveDistrict(tmp_path / "district") as server:
        yield server
