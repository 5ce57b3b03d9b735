"""ui.journeys.viewmodel: what each visit's view-model costs the kiosk for as long as it runs."""
from __future__ import annotations

import shiboken6

from ui.navigator import registered_journeys


def meta_object(obj) -> int:
    return shiboken6.getCppPointer(obj.metaObject())[0]


def test_each_visits_view_model_shares_its_journeys_meta_object(kiosk, qtbot):
    """PySide gives an object a meta-object of its own when one of its signals is connected to
    a method of it that is not a declared slot, and the QML engine keeps a property cache for
    every meta-object it has seen, for good: ~0.6 KB a visit over months of visits."""
    journeys = [name for name, registration in registered_journeys().items()
                if not registration.staff]
    assert "apply" in journeys
    for journey in journeys:
        kiosk.start(journey)
        first = kiosk.vm   # held: a meta-object freed with it could be reused at its address
        with qtbot.waitSignal(kiosk.shell.navigator.wentHome):
            kiosk.shell.navigator.home()
        kiosk.start(journey)
        assert meta_object(kiosk.vm) == meta_object(first), journey
        with qtbot.waitSignal(kiosk.shell.navigator.wentHome):
            kiosk.shell.navigator.home()
