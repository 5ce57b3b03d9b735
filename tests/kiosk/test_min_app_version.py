"""A kiosk whose app is older than the desired state's min_app_version keeps what it has and
says so in its reported state. Real district server on loopback, real queue."""
from __future__ import annotations

import pytest

from tests.kiosk.reported import reported_on_server


@pytest.fixture
def district_settings() -> dict:
    return {"min_app_version": "99.0.0"}


def test_a_kiosk_too_old_keeps_what_it_has_and_says_so(district, make_core):
    core = make_core()
    edition = core.catalogue.edition().version
    assert core.queue.worker.sync_once().ok
    assert core.queue.desired.current() is None and core.queue.desired.staged() is None
    assert core.catalogue.edition().version == edition
    refused = reported_on_server(district, core.config.kiosk.id)["refused"]
    assert "needs app 99.0.0" in refused["desired_state"]

    ctx = district.app.state.ctx
    ctx.settings = ctx.settings.model_copy(update={"min_app_version": "0.0.1"})
    core.queue.worker.refresh_desired_state()
    assert core.queue.desired.current() is not None, "fetched again, not held by its ETag"
    assert core.queue.worker.sync_once().ok
    assert "desired_state" not in reported_on_server(district, core.config.kiosk.id)["refused"]
