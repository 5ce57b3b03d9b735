"""Configuration keys in the district's desired state (wire.v1.DESIRED_CONFIG_KEYS): each is
applied to the running kiosk or refused, and a refusal shows in the reported state and in
`kiosk doctor`. Against the real district server on loopback."""
from __future__ import annotations

import pytest

from kiosk.config import load_config
from kiosk.desired_config import apply_pushed
from tests.kiosk.reported import reported_on_server
from wire.v1 import DESIRED_CONFIG_KEYS

PUSHED = {"kiosk.journeys": ["ticket", "guide"], "kiosk.hall_phone": "0755-8888 0000",
          "kiosk.elder_mode": True, "session.idle_warning_s": 45,
          "session.idle_timeout_s": 5}     # below the 15 s a citizen needs: refused


@pytest.fixture
def district_settings() -> dict:
    return {"kiosk_config": dict(PUSHED)}


def test_each_key_is_applied_or_refused_alone():
    own = load_config(None).config
    config, refused = apply_pushed(own, PUSHED)
    assert config.kiosk.journeys == ["ticket", "guide"] and config.kiosk.elder_mode
    assert config.kiosk.hall_phone == "0755-8888 0000" and config.session.idle_warning_s == 45
    assert config.session.idle_timeout_s == own.session.idle_timeout_s
    assert list(refused) == ["session.idle_timeout_s"] and "15" in refused[
        "session.idle_timeout_s"]
    # a key the district stops pushing goes back to the kiosk's own value
    assert apply_pushed(own, {})[0] == own
    _config, refused = apply_pushed(own, {"kiosk.journeys": ["teleport"],
                                          "kiosk.orientation": "landscape"})
    assert set(refused) == {"kiosk.journeys", "kiosk.orientation"}


def test_every_key_the_district_may_push_is_one_this_kiosk_applies():
    own = load_config(None).config
    current = {key: getattr(getattr(own, key.split(".")[0]), key.split(".")[1])
               for key in DESIRED_CONFIG_KEYS}
    config, refused = apply_pushed(own, current)
    assert refused == {} and config == own


def test_pushed_keys_apply_live_and_refusals_are_reported(district, make_core):
    from launcher.cli.doctor import build_report, render
    core = make_core()
    seen = []
    core.on_config_changed(seen.append)
    assert "apply" in core.availability()
    assert core.queue.worker.sync_once().ok
    assert core.config.kiosk.journeys == ["ticket", "guide"]
    assert set(core.availability()) == {"ticket", "guide"}
    assert core.config.kiosk.hall_phone == "0755-8888 0000" and core.config.kiosk.elder_mode
    assert seen == [core.config]
    assert core.config.session.idle_timeout_s == core.loaded.config.session.idle_timeout_s
    reported = reported_on_server(district, core.config.kiosk.id)
    assert list(reported["refused"]) == ["session.idle_timeout_s"]
    report = build_report(core, core.loaded)
    assert report["desired_state"]["refused"] == core.refused()
    assert not report["ok"]
    assert any(p["role"] == "desired state session.idle_timeout_s" for p in report["problems"])
    assert "desired state session.idle_timeout_s: refused" in render(report)
    assert list(report["journeys"]) == ["ticket", "guide"]
