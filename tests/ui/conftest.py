"""Shell fixtures: the real QML shell offscreen, a TestClock, the mock speech engine.

The virtual keyboard must be chosen before the QGuiApplication exists, so the
environment is set at import, before pytest-qt makes `qapp`."""
from __future__ import annotations

import logging
import os

import pytest

os.environ["QT_IM_MODULE"] = "qtvirtualkeyboard"
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_CONTROLS_STYLE", "Basic")


@pytest.fixture(scope="session")
def kiosk_config():
    from kiosk.config import load_config
    return load_config().config


@pytest.fixture
def make_shell(qapp, qtbot, test_clock, kiosk_config, tmp_path):
    """`make_shell(config=..., core=..., orientation=...)` -> a shown ShellApp."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from ui.app import ShellApp
    made = []

    def make(config=None, *, core=None, orientation=None):
        shell = ShellApp(config or kiosk_config, core=core, clock=test_clock,
                         speech_engine="mock", orientation=orientation,
                         cache_dir=tmp_path / "qm")
        shell.show(windowed=True)
        qtbot.waitExposed(shell.view)
        shell.settle()
        made.append(shell)
        return shell
    yield make
    for shell in made:
        shell.close()
    # deleted now, not in the next test's first Qt event loop: deleting a closed view
    # reaches the input context as a focus change, and it hid the keyboard the next test
    # had just shown while waiting for its keys (docs/known-issues.md)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def qml_warnings(caplog):
    """`qml_warnings()` -> the QML engines' warnings so far in this test, as logged (masked)
    by `ui.qml_warnings` (Qt's message capture is off here: see below)."""
    caplog.set_level(logging.WARNING, logger="qml")
    return lambda: [r.getMessage() for r in caplog.records if r.name == "qml"]


@pytest.fixture
def shell(make_shell):
    return make_shell()


def tap(qtbot, shell, object_name):
    """Tap the visible item named `object_name` through the window, as a finger would
    (delivered by the Qt loop: `ui.input_events`)."""
    from PySide6.QtCore import QPointF
    from ui.input_events import click
    shell.settle()
    item = shell.find(object_name)
    assert item is not None, f"no visible item {object_name!r} on {shell.screen_name!r}"
    centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2)).toPoint()
    click(shell.view, centre)
    return item


def pytest_collection_modifyitems(items):
    # pytest-qt's Qt-message capture calls into Python from whichever thread logs; Qt
    # Quick's loader and multimedia threads log while the main thread holds the GIL in
    # QQuickView.setSource, which deadlocks. Qt messages go to stderr instead, and the QML
    # engines' warnings to the log (the `qml_warnings` fixture).
    for item in items:
        if "tests/ui/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.no_qt_log)
