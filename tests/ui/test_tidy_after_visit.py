"""ui.tidy_after_visit: what a visit left in memory goes back once it has ended, with nobody
at the screen; the kiosk's own long-lived objects are left out of the collector's walk."""
from __future__ import annotations

import gc
import weakref

import pytest

from kiosk.native_heap import heap_figures, resident_bytes
from tests.ui.journey_stub import registered
from ui.tidy_after_visit import TIDY_AFTER_S, freeze_start_up

JOURNEY = "tidytest"


@pytest.fixture
def stub_journey():
    with registered(JOURNEY):
        yield


@pytest.fixture
def no_automatic_collection():
    """Python's own collections would free the cycles whenever they came: off, so that what
    frees them here is the tidy."""
    gc.collect()
    gc.disable()
    yield
    gc.enable()


class Leftover:
    """What a visit leaves that only the cyclic collector frees: an object in a cycle."""

    def __init__(self) -> None:
        self.itself = self


def left_by_a_visit():
    leftover = Leftover()
    return weakref.ref(leftover)


def visit(shell, qtbot):
    with qtbot.waitSignal(shell.navigator.screenChanged):
        shell.navigator.startJourney(JOURNEY)
    assert shell.screen_name == f"{JOURNEY}.search"
    from PySide6.QtQuick import QQuickItem
    return shell.root.findChild(QQuickItem, "screen").property("item")


def time_out(shell, test_clock):
    session = shell.config.session
    test_clock.advance(session.idle_timeout_s + session.idle_warning_s)
    assert shell.screen_name == "attract"


def test_a_visits_leftovers_go_once_it_has_ended_and_nobody_is_at_the_screen(
        shell, qtbot, test_clock, stub_journey, no_automatic_collection):
    screen = visit(shell, qtbot)
    screen_deleted = []
    screen.destroyed.connect(lambda: screen_deleted.append(True))
    cycle = left_by_a_visit()
    time_out(shell, test_clock)
    assert cycle() is not None

    test_clock.advance(TIDY_AFTER_S)
    shell.settle()
    assert cycle() is None, "the visit's cycle is still held"
    assert screen_deleted, "the screen the visit closed was not deleted"


def test_a_citizen_who_comes_in_the_quiet_is_not_paused_for_the_tidy(
        shell, qtbot, test_clock, stub_journey, no_automatic_collection):
    visit(shell, qtbot)
    first = left_by_a_visit()
    time_out(shell, test_clock)
    visit(shell, qtbot)   # the next citizen, before the tidy
    test_clock.advance(TIDY_AFTER_S)
    shell.settle()
    assert first() is not None, "tidied during the next visit"

    with qtbot.waitSignal(shell.navigator.wentHome):
        shell.navigator.home()
    time_out(shell, test_clock)
    test_clock.advance(TIDY_AFTER_S)
    shell.settle()
    assert first() is None, "the next visit's end did not tidy for both"


def test_the_c_heap_memory_a_visit_freed_is_handed_back(shell, qtbot, test_clock,
                                                       stub_journey):
    if heap_figures() is None:
        pytest.skip("the C library gives no heap figures (not glibc 2.33 or later)")
    visit(shell, qtbot)
    # below the mmap threshold, freed under one still in use: resident until trimmed
    scans = [b"x" * 100_000 for _ in range(256)]
    kept = b"y" * 100_000
    del scans
    time_out(shell, test_clock)
    resident = resident_bytes()
    test_clock.advance(TIDY_AFTER_S)
    shell.settle()
    # at least half of it (the visit's end reuses some of what was freed)
    assert resident - resident_bytes() >= 128 * 100_000
    assert kept == b"y" * 100_000


def test_after_start_up_only_what_came_since_is_walked_and_collected():
    made_at_start_up = Leftover()
    try:
        freeze_start_up()
        walked = {id(o) for o in gc.get_objects()}
        assert id(made_at_start_up) not in walked
        later = left_by_a_visit()
        gc.collect()
        assert later() is None
    finally:
        gc.unfreeze()
