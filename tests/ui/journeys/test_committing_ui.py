"""While a journey hands over what the citizen gave (submitting, sending a rating, issuing a
ticket, opening a door), Back and Home are disabled and do nothing; afterwards they work."""
from __future__ import annotations

import copy

import yaml

from kiosk.catalogue import catalogue_from_mapping
from tests.kiosk.journeys.conftest import FIXTURE
from tests.kiosk.journeys.test_end_everywhere import SCRIPTS
from tests.ui.journeys.test_every_state_ui import TILE, _walk


def test_back_and_home_wait_while_the_journey_commits(make_kiosk):
    catalogue = catalogue_from_mapping(yaml.safe_load(FIXTURE.read_text(encoding="utf-8")))
    held: set[str] = set()
    for name in TILE:
        _cls, script, overrides = SCRIPTS[name]
        kiosk = make_kiosk(catalogue, **copy.deepcopy(overrides))
        for stop in range(len(script) + 1):
            vm = _walk(kiosk, name, stop, set())
            navigator = kiosk.shell.navigator
            committing = vm.journey.is_committing
            for button in ("nav_back", "nav_home"):
                assert kiosk.shell.find(button).property("enabled") is not committing, \
                    (kiosk.screen, button)
            if committing:
                held.add(kiosk.screen)
                screen = kiosk.screen
                navigator.back()
                navigator.home()
                assert kiosk.screen == screen and navigator.viewModel is vm
                step = script[stop]   # it finishes: Back and Home are back
                step(vm.journey, kiosk.services)
                kiosk.shell.settle()
                assert not vm.journey.is_committing
                assert kiosk.shell.find("nav_home").property("enabled")
            navigator.home()
            assert kiosk.screen in ("attract", "out_of_service")
    assert {"apply.submitting", "ticket.issuing", "ticket.checking_in", "rate.sending",
            "pickup.opening"} <= held, held
