"""Search suggests as you type: the items under the search box follow the typed text (Pinyin
initials too), and a tap on one opens it."""
from __future__ import annotations

from PySide6.QtCore import QMetaObject

from tests.ui.conftest import tap


def _type(kiosk, text):
    field = kiosk.shell.find("search_field")
    QMetaObject.invokeMethod(field, "forceActiveFocus")
    field.setProperty("text", text)
    kiosk.shell.settle()


def test_typing_suggests_items_and_a_tap_opens_one(kiosk, qtbot):
    kiosk.start("apply")
    assert kiosk.shell.find("suggestion_0") is None
    _type(kiosk, "jzz")
    assert kiosk.screen == "apply.browse"    # the field keeps its place and its focus
    first = kiosk.shell.find("suggestion_0").property("text")
    assert "居住证" in first, first
    _type(kiosk, "")
    assert kiosk.shell.find("suggestion_0") is None
    _type(kiosk, "居住证")
    tap(qtbot, kiosk.shell, "suggestion_0")
    assert kiosk.screen == "apply.guide"
    assert "居住证" in kiosk.vm.journey.item.name.zh


def test_suggestions_follow_typing_on_the_results_screen_too(kiosk, qtbot):
    kiosk.start("apply")
    kiosk.act("search", "低保")
    assert kiosk.screen == "apply.search"
    _type(kiosk, "jzz")
    assert "居住证" in kiosk.shell.find("suggestion_0").property("text")
