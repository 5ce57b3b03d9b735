"""The real shell offscreen with the journeys' real view-models and screens; the devices and
server at the journeys' edges are the small fakes of tests/kiosk/journeys (resolved by the test),
so every state can be reached and held."""
from __future__ import annotations

import pytest

from tests.kiosk.journeys.fakes import make_services


@pytest.fixture(scope="session")
def demo_catalogue():
    from kiosk.catalogue import load_catalogue
    return load_catalogue()


class Kiosk:
    """A shown shell whose journeys get fake edges; `services` is the last journey's."""

    def __init__(self, shell, catalogue, clock, overrides) -> None:
        self.shell = shell
        self.services = None
        self.overrides = overrides
        make_context = shell.navigator._make_context

        def context(journey):
            ctx = make_context(journey)
            ctx.extras["journey_services"] = self._services
            return ctx
        shell.navigator._make_context = context
        self._catalogue, self._clock = catalogue, clock

    def _services(self, post):
        import copy
        self.services = make_services(self._catalogue, self._clock, post=post,
                                      **copy.deepcopy(self.overrides))
        return self.services

    @property
    def vm(self):
        return self.shell.navigator.viewModel

    @property
    def screen(self) -> str:
        return self.shell.screen_name

    def start(self, journey: str) -> None:
        assert self.shell.navigator.startJourney(journey)

    def act(self, name: str, *args) -> None:
        self.vm.act(name, list(args))

    def screen_item(self):
        return self.shell.root.property("screenItem")


@pytest.fixture
def make_kiosk(make_shell, demo_catalogue, test_clock):
    def make(catalogue=None, *, orientation=None, **overrides):
        return Kiosk(make_shell(orientation=orientation), catalogue or demo_catalogue,
                     test_clock, overrides)
    return make


@pytest.fixture
def kiosk(make_kiosk):
    return make_kiosk()
