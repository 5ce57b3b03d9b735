"""The geometry test: every state of every registered journey, in standard and large text,
Chinese and English, portrait and landscape, shows its primary action and every input whole
and reachable, touch targets of at least 96 px, no text elided or cut off, and text
contrast of at least 4.5:1 measured on the rendered pixels (tests/ui/geometry.py). The
high-contrast theme is checked at 7:1 in large text, portrait, both languages: it changes
colours, not the layout, so the fewest combinations that show every screen in both
languages prove it.

The screens come from the navigator's registry: a screen registered later and reached by
no script of tests/kiosk/journeys fails `test_every_registered_screen_is_checked` until a
script step reaches it. Each state is reached with the journeys' fakes (the same scripts as
test_every_state_ui) and rendered once per combination in one view; screens with a text
input are checked again with the keyboard up."""
from __future__ import annotations

import copy
import itertools

import pytest
import yaml
from PySide6.QtCore import QCoreApplication

from tests.kiosk.journeys.test_end_everywhere import SCRIPTS
from tests.ui import geometry
from tests.ui.journeys.test_every_state_ui import TILE

COMBINATIONS = [pytest.param(elder, language, orientation, False,
                             id=f"{'large' if elder else 'standard'}-{language}-{orientation}")
                for elder, language, orientation in itertools.product(
                    (False, True), ("zh_CN", "en_US"), ("portrait", "landscape"))] + \
               [pytest.param(True, language, "portrait", True,
                             id=f"large-{language}-portrait-high-contrast")
                for language in ("zh_CN", "en_US")]

#: screens that still fail somewhere; shrinks to nothing (a screen listed here that
#: passes in every combination is fine, one not listed that fails is not)
KNOWN_FAILING: set[str] = set()


def _catalogue():
    from kiosk.catalogue import catalogue_from_mapping
    from tests.kiosk.journeys.conftest import FIXTURE
    return catalogue_from_mapping(yaml.safe_load(FIXTURE.read_text(encoding="utf-8")))


def _walk_every_state(make_kiosk, orientation):
    """Yields (kiosk, screen name) at every state every script reaches, in one view."""
    kiosk = make_kiosk(_catalogue(), orientation=orientation)
    for name, journey in TILE.items():
        _cls, script, overrides = SCRIPTS[name]
        kiosk.overrides = copy.deepcopy(overrides)
        kiosk.start(journey)
        for stop in range(len(script) + 1):
            if stop:
                script[stop - 1](kiosk.vm.journey, kiosk.services)
            QCoreApplication.processEvents()
            if kiosk.screen.startswith(journey + "."):
                yield kiosk, kiosk.screen
        kiosk.shell.navigator.home()


def _text_inputs(shell):
    from ui.inspect import visible_items
    screen = shell.root.findChild(geometry.QQuickItem, "screen")
    return [i for i in visible_items(screen)
            if i.inherits("QQuickTextInput") and i.isEnabled()]


def _with_keyboard(qtbot, shell, field):
    from PySide6.QtGui import QGuiApplication
    from ui.input_events import focus
    focus(field)
    QGuiApplication.inputMethod().show()
    # the field's hints may choose other keys: measured once they are laid out
    qtbot.waitUntil(lambda: geometry.keys_laid_out(shell), timeout=60_000)


def _hide_keyboard(shell):
    from PySide6.QtGui import QGuiApplication
    QGuiApplication.inputMethod().hide()
    shell.settle()
    assert shell.find("keyboard") is None, "the keyboard stays up"


def _apply(shell, elder, language, high_contrast):
    if shell.shell.highContrast != high_contrast:
        shell.shell.setHighContrast(high_contrast)
    if shell.shell.elderMode != elder:
        shell.shell.setElderMode(elder)
    if shell.shell.language != language:
        shell.shell.setLanguage(language)


@pytest.mark.timeout(900)   # ~100 states rendered and measured, on a busy machine
@pytest.mark.parametrize("elder, language, orientation, high_contrast", COMBINATIONS)
def test_every_screen_shows_everything_whole(make_kiosk, qtbot, qml_warnings, elder, language,
                                             orientation, high_contrast):
    minimum = geometry.MIN_CONTRAST_HIGH if high_contrast else geometry.MIN_CONTRAST
    found: dict[str, list[str]] = {}
    seen: set[tuple[str, str]] = set()
    for kiosk, screen in _walk_every_state(make_kiosk, orientation):
        shell = kiosk.shell
        _apply(shell, elder, language, high_contrast)
        state = (screen, str(kiosk.vm.property("dataJson")))
        if state in seen:
            continue
        seen.add(state)
        _hide_keyboard(shell)
        problems = geometry.problems(shell, gap=shell.theme.gap, min_contrast=minimum)
        inputs = _text_inputs(shell)
        if inputs:
            _with_keyboard(qtbot, shell, inputs[0])
            problems += [f"keyboard up: {p}" for p in
                         geometry.problems(shell, gap=shell.theme.gap, min_contrast=minimum)
                         + geometry.typing_problems(shell, inputs[0])]
            _hide_keyboard(shell)
        if problems:
            found.setdefault(screen, [])
            found[screen] += [p for p in problems if p not in found[screen]]
    assert found == {}, "\n".join(f"{s}:\n  " + "\n  ".join(p) for s, p in sorted(found.items()))
    # a layout Qt gave up on ("recursive rearrange") may be drawn right in one pass and not
    # in the next
    assert qml_warnings() == []


def _equivalent(registered: str, checked: set[str], files: dict[str, object]) -> bool:
    """A registered screen is covered when the same QML file was checked in the same
    state under another prefix (`pickup.identify_staff` is `apply.identify_staff`)."""
    journey, state = registered.split(".", 1)
    for other in checked:
        other_state = other.split(".", 1)[1]
        if files.get(other) == files[registered] and state.endswith(other_state):
            return True
    return False


def _passed_through(screen: str) -> bool:
    """States no one sees held: "thank you" between a journey's end and the attract screen,
    and an embedded identification's "identified" (the journey moves on at once)."""
    return screen.endswith((".ended", "_ended", "identify_identified"))


def test_every_registered_screen_is_checked(make_kiosk):
    from ui.navigator import registered_journeys
    files = {f"{j}.{state}": path for j, reg in registered_journeys().items()
             for state, path in reg.screens.items()}
    checked = {screen for _kiosk, screen in _walk_every_state(make_kiosk, None)}
    unchecked = sorted(s for s in files
                       if not _passed_through(s) and s not in checked
                       and not _equivalent(s, checked, files))
    assert unchecked == [], f"no script of tests/kiosk/journeys reaches {unchecked}"
