"""A configuration version staged by the district reaches a real kiosk core: the canary
applies it and reports its number; a healthy canary keeps it when the rollout completes; a
key the kiosk refuses rolls it back, and the kiosk moves on to the previous content under a
higher number. Real district server on loopback, real queue, the test clock."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.kiosk.reported import reported_on_server

OWN = {"kiosk.hall_phone": "0755-1111 1111"}


@pytest.fixture
def district_settings() -> dict:
    return {"kiosk_config": dict(OWN)}


def stage(district, config: dict) -> tuple[int, int]:
    """Store `config` as a new version and start its rollout to the default cohort's canary
    (every kiosk: there is one); the rollout's id and the version's number."""
    from district_server.catalogue import rollout
    from district_server.kiosk_config import service as kiosk_config
    ctx = district.app.state.ctx
    with ctx.db.transaction() as session:
        number = kiosk_config.store(session, config, now=ctx.now(), source="test").number
        started = rollout.start(session, str(number), ctx.settings.default_cohort,
                                rollout.RolloutPlan(canary_share=1.0, health_window_s=60),
                                now=ctx.now(), default_cohort=ctx.settings.default_cohort,
                                subject=rollout.CONFIG)
        return started.rollout_id, number


def decide(district, rollout_id: int, *, after_s: float = 0):
    from district_server.catalogue import rollout
    from district_server.catalogue.models import Rollout
    ctx = district.app.state.ctx
    with ctx.db.transaction() as session:
        decided = session.get(Rollout, rollout_id)
        rollout.evaluate(session, now=decided.started_at + timedelta(seconds=after_s))
        return decided.state, decided.verdict, decided.rollback_version


def synced(district, core) -> dict:
    """Sync (the server's clock measured), fetch and apply the desired state now (not at
    the next poll), report it, and return what the district holds."""
    assert core.queue.worker.sync_once().ok
    core.queue.worker.refresh_desired_state()
    assert core.queue.worker.sync_once().ok
    return reported_on_server(district, core.config.kiosk.id)


@pytest.fixture
def core(district, make_core):
    made = make_core()
    assert synced(district, made)["config_number"] == 1, "the settings' configuration"
    assert made.config.kiosk.hall_phone == OWN["kiosk.hall_phone"]
    return made


def test_a_healthy_canary_runs_the_new_version_and_keeps_it(district, core):
    rollout_id, number = stage(district, {"kiosk.hall_phone": "0755-2222 2222",
                                          "kiosk.elder_mode": True})
    reported = synced(district, core)
    assert reported["config_number"] == number and not reported["refused"]
    assert core.config.kiosk.hall_phone == "0755-2222 2222" and core.config.kiosk.elder_mode
    assert decide(district, rollout_id)[0] == "canary", "the window is not over"
    state, verdict, _ = decide(district, rollout_id, after_s=61)
    assert state == "complete", verdict
    assert synced(district, core)["config_number"] == number


def test_a_key_the_canary_refuses_rolls_it_back_to_the_previous_content(district, core):
    rollout_id, number = stage(district, {"kiosk.hall_phone": "0755-3333 3333",
                                          "session.idle_timeout_s": 5})
    reported = synced(district, core)
    assert reported["config_number"] == number
    assert list(reported["refused"]) == ["session.idle_timeout_s"]
    state, verdict, rollback = decide(district, rollout_id)
    assert state == "rolled_back" and "refused by" in verdict, verdict
    reported = synced(district, core)
    assert reported["config_number"] == int(rollback) > number, "never back a number"
    assert not reported["refused"]
    assert core.config.kiosk.hall_phone == OWN["kiosk.hall_phone"]
