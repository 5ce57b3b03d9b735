"""The screen at night in the real shell: the attract screen goes black once untouched inside
the configured window; the first tap wakes it and does nothing else; a citizen's session is
never blanked (kiosk/screen_blank.py; the test clock, no sleeps)."""
from __future__ import annotations

import pytest

from tests.ui.conftest import tap
from tests.ui.journey_stub import registered

JOURNEY = "blanktest"
IDLE_S = 60.0


@pytest.fixture
def night_shell(make_shell, kiosk_config):
    from kiosk.config import ScreenSection
    # the whole day but its last minute, whatever the machine's zone: the test clock's
    # start is inside it
    night = ScreenSection(blank_from="00:00", wake_at="23:59", blank_after_idle_s=IDLE_S,
                          all_day_on_days_off=False)
    return make_shell(kiosk_config.model_copy(update={"screen": night}))


@pytest.fixture
def stub_journey():
    with registered(JOURNEY):
        yield


def blank(shell) -> bool:
    shell.settle()
    return shell.find("screen_blank") is not None


def test_the_first_tap_on_a_blank_screen_wakes_it_and_does_nothing_else(night_shell, qtbot,
                                                                         test_clock):
    shell = night_shell
    test_clock.advance(IDLE_S - 1)
    assert not blank(shell)
    with qtbot.waitSignal(shell.shell.screenBlankChanged):
        test_clock.advance(1)
    assert blank(shell) and shell.screen_name == "attract"
    with qtbot.waitSignal(shell.shell.screenBlankChanged):
        tap(qtbot, shell, "language_switch")
    assert not blank(shell)
    assert shell.shell.language == "zh_CN" and shell.screen_name == "attract"  # only woke it
    with qtbot.waitSignal(shell.shell.languageChanged):
        tap(qtbot, shell, "language_switch")   # the next tap is the citizen's
    assert shell.shell.language == "en_US"


def test_a_citizens_session_is_never_blanked(night_shell, qtbot, test_clock, stub_journey):
    shell = night_shell
    with qtbot.waitSignal(shell.navigator.screenChanged):
        shell.navigator.startJourney(JOURNEY)
    assert shell.config.session.idle_timeout_s > IDLE_S   # the session outlasts the idle time
    test_clock.advance(shell.config.session.idle_timeout_s - 1)
    assert shell.screen_name == f"{JOURNEY}.search" and not blank(shell)
    with qtbot.waitSignal(shell.navigator.wentHome):   # nobody answered: wiped
        test_clock.advance(1 + shell.config.session.idle_warning_s)
    assert shell.screen_name == "attract"
    with qtbot.waitSignal(shell.shell.screenBlankChanged):
        test_clock.advance(IDLE_S)
    assert blank(shell)


def test_the_days_off_are_those_of_the_catalogue_the_core_uses(make_shell, kiosk_config, qtbot,
                                                               test_clock, tmp_path):
    from kiosk.app import KioskCore
    from kiosk.config import ScreenSection, load_config
    days_off = ScreenSection(blank_from="00:00", wake_at="00:00", blank_after_idle_s=IDLE_S,
                             all_day_on_days_off=True)
    core = KioskCore.create(load_config(), tmp_path / "data", clock=test_clock,
                            with_queue=False, with_face=False)
    try:
        shell = make_shell(kiosk_config.model_copy(update={"screen": days_off}), core=core)
        # the test clock starts on Thursday 26 November 2026, 09:00 UTC: a working day in
        # every time zone; Saturday noon UTC is a Saturday or a Sunday in every one
        test_clock.advance(3600)
        assert not blank(shell)
        test_clock.advance(51 * 3600)
        qtbot.waitUntil(lambda: shell.shell.screenBlank)
        assert blank(shell)
    finally:
        core.stop()
