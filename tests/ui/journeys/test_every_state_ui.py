"""Every state of every journey shown on its screen; Home and the idle timeout at each of
them leave nothing personal in the view-model (the scripts of tests/kiosk/journeys drive the
real view-model's journey; the shell renders each state)."""
from __future__ import annotations

import pytest

from tests.kiosk.journeys.test_end_everywhere import SCRIPTS

#: each script's journey as the attract screen names it
TILE = {"apply": "apply", "apply-browse": "apply", "apply-identify-passport": "apply",
        "apply-identify-offline": "apply", "query": "query", "query-offline": "query",
        "pickup-code": "pickup", "pickup-identify": "pickup", "pickup-jam": "pickup",
        "pickup-down": "pickup", "ticket": "ticket", "check-in": "ticket",
        "ticket-offline": "ticket", "rate": "rate", "guide": "guide",
        "supply": "supply", "supply-nothing": "supply",
        "maintenance": "maintenance", "maintenance-card": "maintenance",
        "maintenance-hall": "maintenance",
        **{f"maintenance-{page}": "maintenance"
           for page in ("devices", "consumables", "queue", "configuration", "logs",
                        "lockers", "lockers-down")}}


def _walk(kiosk, name, stop, seen):
    _cls, script, _overrides = SCRIPTS[name]
    kiosk.start(TILE[name])
    vm = kiosk.vm
    for step in script[:stop]:
        step(vm.journey, kiosk.services)
    kiosk.shell.settle()
    screen = kiosk.screen
    assert screen.startswith(TILE[name] + "."), screen
    assert kiosk.screen_item() is not None, screen
    seen.add(screen)
    return vm


@pytest.mark.parametrize("name", list(TILE))
@pytest.mark.parametrize("how", ["home", "timeout"])
def test_end_at_every_state_leaves_nothing_personal(make_kiosk, test_clock, kiosk_config,
                                                    qml_warnings, name, how):
    import copy
    from tests.kiosk.journeys.conftest import FIXTURE
    import yaml
    from kiosk.catalogue import catalogue_from_mapping
    catalogue = catalogue_from_mapping(yaml.safe_load(FIXTURE.read_text(encoding="utf-8")))
    _cls, script, overrides = SCRIPTS[name]
    kiosk = make_kiosk(catalogue, **copy.deepcopy(overrides))
    seen: set[str] = set()
    idle = kiosk_config.session.idle_timeout_s + kiosk_config.session.idle_warning_s + 1
    for stop in range(len(script) + 1):
        vm = _walk(kiosk, name, stop, seen)
        # while it commits Home waits (test_committing_ui); only the idle timeout ends it then
        if how == "home" and not vm.journey.is_committing:
            kiosk.shell.navigator.home()
        else:
            test_clock.advance(idle)
        assert kiosk.screen in ("attract", "out_of_service")
        assert vm.personal_data_present() == [], (name, stop)
    assert qml_warnings() == []


@pytest.mark.parametrize("elder", [False, True])
def test_no_touch_target_under_the_minimum_on_any_journey_screen(make_kiosk, elder):
    import copy
    import yaml
    from kiosk.catalogue import catalogue_from_mapping
    from tests.kiosk.journeys.conftest import FIXTURE
    from ui.inspect import too_small
    catalogue = catalogue_from_mapping(yaml.safe_load(FIXTURE.read_text(encoding="utf-8")))
    problems: dict[str, str] = {}
    for name in TILE:
        _cls, script, overrides = SCRIPTS[name]
        kiosk = make_kiosk(catalogue, **copy.deepcopy(overrides))
        kiosk.shell.shell.setElderMode(elder)
        for stop in range(len(script) + 1):
            _walk(kiosk, name, stop, set())
            kiosk.shell.settle()
            small = too_small(kiosk.shell.view.contentItem(), kiosk.shell.theme.touchTarget)
            if small:
                problems[kiosk.screen] = ", ".join(t.describe() for t in small)
            kiosk.shell.navigator.home()
            kiosk.shell.shell.setElderMode(elder)
    assert problems == {}
