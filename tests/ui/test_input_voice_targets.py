"""Pinyin on the virtual keyboard, spoken prompts (mock engine), touch-target sizes."""
from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

from tests.ui.conftest import tap
from tests.ui.geometry import keys_laid_out, scene_rect
from tests.ui.journey_stub import QML, SearchViewModel, registered

JOURNEY = "shelltest"


@pytest.fixture
def stub_journey():
    with registered(JOURNEY):
        yield


def keyboard_item(shell, text):
    """The visible key or Pinyin candidate on the virtual keyboard showing `text`."""
    from ui.inspect import visible_items
    keyboard = shell.find("keyboard")
    assert keyboard is not None, "the virtual keyboard is not showing"
    return next((i for i in visible_items(keyboard) if i.property("text") == text), None)


def press(shell, item):
    centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2)).toPoint()
    QTest.mouseClick(shell.view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     centre)


def test_typing_bj_on_the_keyboard_and_picking_beijing(shell, qtbot, stub_journey):
    shell.navigator.startJourney(JOURNEY)
    field = tap(qtbot, shell, "search_field")
    qtbot.waitUntil(lambda: keys_laid_out(shell), timeout=60_000)  # slow on a busy machine
    for letter in "bj":
        key = keyboard_item(shell, letter)
        assert key is not None, f"no key {letter!r}"
        press(shell, key)
    qtbot.waitUntil(lambda: keyboard_item(shell, "北京") is not None)
    candidates = shell.find("wordCandidateView")  # shown above the keys
    qtbot.waitUntil(lambda: candidates.y() == -candidates.height())
    shell.settle()
    press(shell, keyboard_item(shell, "北京"))
    qtbot.waitUntil(lambda: field.property("text") == "北京")


@pytest.fixture
def two_fields():
    from ui.navigator import register_journey, unregister_journey
    register_journey(TWO_FIELDS, SearchViewModel, {"search": "TwoFields.qml"}, base_dir=QML)
    yield
    unregister_journey(TWO_FIELDS)


TWO_FIELDS = "twofields"


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_a_tap_aimed_above_the_keyboard_lands_there_after_the_first_pinyin_letter(
        make_shell, qtbot, two_fields, orientation):
    """The citizen types a letter in one field and reaches for the field just above the
    keyboard: the candidates the letter brings take no room from it (they used to push
    the screen up, and the tap chose a candidate); the letter stays as typed in the first
    field (the focus change committed Pinyin's first candidate, 不)."""
    shell = make_shell(orientation=orientation)
    shell.shell.setLanguage("zh_CN")
    shell.navigator.startJourney(TWO_FIELDS)
    tap(qtbot, shell, "name_field")
    qtbot.waitUntil(lambda: shell.find("keyboard") is not None)
    shell.settle()
    keyboard = scene_rect(shell.find("keyboard"))      # its first frame
    qtbot.waitUntil(lambda: keys_laid_out(shell), timeout=60_000)  # slow on a busy machine
    address = shell.find("address_field")
    aimed_at = scene_rect(address)
    assert aimed_at.bottom() <= keyboard.top()
    press(shell, keyboard_item(shell, "b"))
    candidates = shell.find("wordCandidateView")
    qtbot.waitUntil(lambda: candidates.property("count") > 0)
    shell.settle()
    assert scene_rect(address) == aimed_at
    assert scene_rect(shell.find("keyboard")) == keyboard
    assert keyboard.contains(scene_rect(candidates))
    QTest.mouseClick(shell.view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     aimed_at.center().toPoint())
    shell.settle()
    assert address.hasActiveFocus()             # not a candidate for the name field
    assert shell.find("name_field").property("text") == "b"   # the letter typed, not 不


# --- voice --------------------------------------------------------------------------

class Heard:
    """What the mock engine was asked to speak: utterances and (for English) words."""

    def __init__(self, voice):
        self.utterances = 0
        self.words: list[str] = []
        self.texts: list[str] = []
        voice.tts.aboutToSynthesize.connect(self._utterance)
        voice.tts.sayingWord.connect(lambda word, *_: self.words.append(word))
        voice.spoken.connect(self.texts.append)

    def _utterance(self, *_):
        self.utterances += 1


def latin_words(text):
    return re.findall(r"[A-Za-z0-9]+", text)


@pytest.mark.parametrize("language", ["zh_CN", "en_US"])
def test_mock_engine_receives_each_screens_prompt(shell, qtbot, stub_journey, language):
    from PySide6.QtTextToSpeech import QTextToSpeech
    assert shell.voice.engine_name == "mock"
    heard = Heard(shell.voice)
    shell.shell.setLanguage(language)
    shell.shell.setVoiceOn(True)

    def expect_prompt(action, screen_prompt):
        before = heard.utterances
        with qtbot.waitSignal(shell.voice.tts.aboutToSynthesize):
            action()
        assert heard.utterances > before
        assert heard.texts[-1] == " ".join(screen_prompt().split())
        if language == "en_US":  # the mock engine reports the words it "speaks"
            heard.words.clear()
            qtbot.waitUntil(lambda: shell.voice.tts.state() == QTextToSpeech.State.Ready)
            assert latin_words(" ".join(heard.words)) == latin_words(heard.texts[-1])

    def prompt_of(object_name=None):
        def read():
            item = shell.find(object_name) if object_name else shell.root.property("screenItem")
            return item.property("prompt")
        return read

    expect_prompt(lambda: shell.navigator.startJourney(JOURNEY), prompt_of())
    expect_prompt(lambda: shell.base_clock.advance(shell.config.session.idle_timeout_s),
                  prompt_of("idle_warning"))
    expect_prompt(lambda: tap(qtbot, shell, "idle_continue") and tap(qtbot, shell, "nav_help"),
                  prompt_of("help_overlay"))
    tap(qtbot, shell, "help_close")
    with qtbot.waitSignal(shell.navigator.wentHome):
        tap(qtbot, shell, "nav_home")
    assert shell.screen_name == "attract" and shell.shell.voiceOn  # kept for the visit
    expect_prompt(lambda: shell.navigator.set_out_of_service(True), prompt_of())
    assert shell.screen_name == "out_of_service"
    expect_prompt(lambda: shell.navigator.set_out_of_service(False), prompt_of())
    assert shell.screen_name == "attract"


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_replay_voice_repeats_the_screens_prompt_even_with_voice_off(make_shell, qtbot,
                                                                     stub_journey, orientation):
    shell = make_shell(orientation=orientation)
    heard = Heard(shell.voice)
    shell.shell.setLanguage("en_US")
    shell.shell.setVoiceOn(False)               # the citizen missed it and asks anyway
    shell.navigator.startJourney(JOURNEY)
    shell.settle()
    prompt = " ".join(shell.root.property("screenItem").property("prompt").split())
    assert prompt and heard.texts == []
    button = shell.find("replay_voice")
    assert button is not None and button.property("text") == "Hear again"
    assert min(button.width(), button.height()) >= 96
    bar = shell.find("nav_bar")
    assert bar.isAncestorOf(button)             # in the fixed bar, on every screen
    with qtbot.waitSignal(shell.voice.spoken) as said:
        tap(qtbot, shell, "replay_voice")
    assert said.args == [prompt]
    with qtbot.waitSignal(shell.voice.spoken) as said:
        tap(qtbot, shell, "replay_voice")       # as often as asked
    assert said.args == [prompt]
    assert not shell.shell.voiceOn              # one replay does not turn guidance on


# --- touch targets -----------------------------------------------------------------------

def assert_targets(shell, where):
    from ui.inspect import too_small, touch_targets
    shell.settle()
    minimum = shell.theme.touchTarget
    assert touch_targets(shell.view.contentItem()), f"{where}: no touch targets found"
    small = too_small(shell.view.contentItem(), minimum)
    assert not small, f"{where}: under {minimum} px: " + ", ".join(t.describe() for t in small)


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
@pytest.mark.parametrize("elder", [False, True])
@pytest.mark.parametrize("language", ["zh_CN", "en_US"])
def test_no_touch_target_under_the_minimum(make_shell, qtbot, stub_journey, orientation,
                                           elder, language):
    shell = make_shell(orientation=orientation)
    shell.shell.setLanguage(language)
    shell.shell.setElderMode(elder)
    assert shell.theme.touchTarget == (120 if elder else 96)
    assert_targets(shell, "attract")
    shell.navigator.startJourney(JOURNEY)
    assert_targets(shell, "journey screen")
    tap(qtbot, shell, "search_field")
    qtbot.waitUntil(lambda: shell.find("keyboard") is not None)
    # the keyboard loads on first focus and sizes its keys over a few layout passes
    qtbot.waitUntil(lambda: keys_laid_out(shell), timeout=60_000)  # slow on a busy machine
    assert_targets(shell, "journey screen with the keyboard")
    shell.base_clock.advance(shell.config.session.idle_timeout_s)
    assert_targets(shell, "idle warning")
    tap(qtbot, shell, "idle_continue")
    tap(qtbot, shell, "nav_help")
    assert_targets(shell, "help")
    tap(qtbot, shell, "help_close")
    shell.navigator.set_out_of_service(True)
    shell.navigator.home()
    shell.shell.setElderMode(elder)
    assert_targets(shell, "out of service")
