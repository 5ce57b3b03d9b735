"""Fixtures of the core tests: the real district server on loopback and an enrolled kiosk core
(real offline queue, simulated devices) on the test clock."""
from __future__ import annotations

import pytest

from foundation.clock import SystemClock


@pytest.fixture
def district_settings() -> dict:
    """Override in a test module to run the district with other settings."""
    return {}


@pytest.fixture
def district(tmp_path, district_settings):
    from district_server.settings import DEFAULT_CATALOGUE_DIR
    from tests.offline_queue.live_district import LiveDistrict
    with LiveDistrict(tmp_path / "district", **{"demo_citizens": False,
                                                "catalogue_dir": DEFAULT_CATALOGUE_DIR,
                                                **district_settings}) as server:
        yield server


@pytest.fixture
def make_core(district, tmp_path, test_clock):
    from kiosk.app import KioskCore
    from kiosk.config import load_config
    from offline_queue.enrolment import enroll
    loaded = load_config()
    directory = tmp_path / "kiosk"
    enroll(district.url, district.enrollment_token(loaded.config.kiosk.id),
           loaded.config.kiosk.id, directory / "queue", clock=SystemClock())
    made = []

    def make():
        core = KioskCore.create(loaded, directory, clock=test_clock, with_face=False)
        made.append(core)
        core.devices.start()    # the identification step asks whether the reader is usable
        core.wait_settled()
        return core
    yield make
    for core in made:
        core.devices.stop()
        core.queue.stop()
