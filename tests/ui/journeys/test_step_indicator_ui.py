"""The step indicator counts only the steps: a screen outside them (the rating's thanks,
staff called) shows its title, never "0 / 1"."""
from __future__ import annotations

import copy

import yaml

from kiosk.catalogue import catalogue_from_mapping
from tests.kiosk.journeys.conftest import FIXTURE
from tests.kiosk.journeys.test_end_everywhere import SCRIPTS
from tests.ui.journeys.test_every_state_ui import TILE, _walk


def test_no_screen_shows_step_zero(make_kiosk):
    catalogue = catalogue_from_mapping(yaml.safe_load(FIXTURE.read_text(encoding="utf-8")))
    uncounted = {}
    for name in TILE:
        _cls, script, overrides = SCRIPTS[name]
        kiosk = make_kiosk(catalogue, **copy.deepcopy(overrides))
        for stop in range(len(script) + 1):
            vm = _walk(kiosk, name, stop, set())
            indicator = kiosk.shell.find("step_text")
            if indicator is None:  # staff screens (maintenance) show no step indicator
                kiosk.shell.navigator.home()
                continue
            text = indicator.property("text")
            assert not text.startswith("0 /"), (kiosk.screen, text)
            if vm.snapshot["step"]["index"] == 0:
                uncounted[kiosk.screen] = text
            kiosk.shell.navigator.home()
    assert uncounted["rate.thanks"] == "完成"
