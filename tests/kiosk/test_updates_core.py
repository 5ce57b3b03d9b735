"""The kiosk core keeps or rolls back a version on trial by its own health conditions (devices
open, queue readable, a sync pass that reached the district) and the UI's attract screen;
against the real district server on loopback, the core's real queue and simulated devices."""
from __future__ import annotations

import dataclasses
import threading
from datetime import timezone

import pytest

from kiosk._version import __version__
from kiosk.app import KioskCore
from kiosk.config import load_config
from kiosk.updates import BundleSlots, Updater
from offline_queue.enrolment import enroll
from foundation.clock import SystemClock
from tests.kiosk.reported import reported_on_server
from tests.offline_queue.bundle_server import make_bundle_tree


@pytest.fixture
def on_trial(tmp_path, test_clock):
    """Slots where this release was just switched to from 0.0.1 (as the previous version's
    updater does at the quiet hour), on the core's clock."""
    loaded = load_config()
    root = tmp_path / "opt-kiosk"
    slots = BundleSlots.install(root, make_bundle_tree(tmp_path / "old", "0.0.1"))
    slots.slot("b").mkdir(parents=True)
    (slots.slot("b") / "kiosk").write_text(f"#!/bin/sh\necho {__version__}\n")
    slots.write_state({"trial": None, "pending": {"version": __version__, "slot": "b"},
                       "failed": [], "last_failure": None})
    now = test_clock.now().strftime("%H:%M")
    settings = loaded.config.updates.model_copy(update={"root": str(root), "quiet_from": now,
                                                        "quiet_until": "23:59"})
    previous = Updater(slots, clock=test_clock, running_version="0.0.1", restart=lambda _: None,
                       session_active=lambda: False, settings=settings, zone=timezone.utc)
    assert previous.switch_if_quiet()
    config = loaded.config.model_copy(update={"updates": settings})
    return dataclasses.replace(loaded, config=config), slots


@pytest.fixture
def core(district, tmp_path, test_clock, on_trial):
    loaded, _slots = on_trial
    directory = tmp_path / "kiosk"
    enroll(district.url, district.enrollment_token(loaded.config.kiosk.id),
           loaded.config.kiosk.id, directory / "queue", clock=SystemClock())
    made = KioskCore.create(loaded, directory, clock=test_clock, with_face=False)
    restarted = threading.Event()
    made.on_restart(restarted.set)
    made.restarted = restarted
    made.start()
    made.wait_settled()
    yield made
    made.stop()


def test_the_core_confirms_a_version_whose_health_conditions_hold(core, on_trial, test_clock,
                                                                 district):
    _loaded, slots = on_trial
    assert core.updates is not None
    assert core.queue.worker.sync_once().ok
    test_clock.advance(5)  # the core follows the sync worker's passes
    assert core.updates.report()["confirmed"] is False  # the screen is not drawn yet
    core.update_healthy("attract_drawn")
    test_clock.advance(0)

    assert core.updates.confirmed.wait(10)  # the devices' own workers say they opened
    assert core.updates.report() == {"running": __version__, "confirmed": True,
                                     "pending": None, "last_failure": None,
                                     "failed_version": None}
    test_clock.advance(core.config.updates.confirm_within_s)
    assert not core.restarted.is_set() and slots.in_use() == "b"
    # the district lists bundle-updates: it is told which version runs, confirmed
    assert core.queue.worker.sync_once().ok
    assert reported_on_server(district, core.config.kiosk.id)["update"] \
        == core.updates.report()


def test_the_core_rolls_back_a_version_whose_screen_never_drew(core, on_trial, test_clock):
    _loaded, slots = on_trial
    assert core.queue.worker.sync_once().ok
    test_clock.advance(core.config.updates.confirm_within_s)

    assert core.restarted.is_set()
    assert slots.in_use() == "a"
    assert "rolled back to 0.0.1" in core.updates.report()["last_failure"]
