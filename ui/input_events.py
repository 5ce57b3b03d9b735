"""Input for the scenario runner and the tests, delivered by the Qt loop as a citizen's is.

A citizen's touch reaches QML from Qt's event loop, with no Python on the main thread's
stack and so without the GIL. A synthetic one sent straight from Python (`QTest.mouseClick`,
`forceActiveFocus`, `sendEvent`) runs the same QML inside a Python call, with the GIL held,
and what it sets off can wait for Qt's QML loader thread: the virtual keyboard, shown when a
field takes the focus, compiles QML as it is created (`Qt.createQmlObject`). Should that
thread need the GIL meanwhile, the process froze (docs/known-issues.md, the setSource/GIL
freeze). So these post their events and let `processEvents`, which PySide runs with the
GIL released, deliver them.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QMetaObject, QObject, QPoint, QPointF, Qt
from PySide6.QtGui import QInputMethodEvent, QMouseEvent, QWindow
from PySide6.QtQuick import QQuickItem


def deliver(receiver: QObject, event: QEvent) -> None:
    QCoreApplication.postEvent(receiver, event)
    QCoreApplication.processEvents()


def click(window: QWindow, point: QPoint) -> None:
    """A left-button press and release at `point` (window coordinates)."""
    local, screen = QPointF(point), QPointF(window.mapToGlobal(point))
    for kind, buttons in ((QEvent.Type.MouseButtonPress, Qt.MouseButton.LeftButton),
                          (QEvent.Type.MouseButtonRelease, Qt.MouseButton.NoButton)):
        QCoreApplication.postEvent(window, QMouseEvent(
            kind, local, screen, Qt.MouseButton.LeftButton, buttons,
            Qt.KeyboardModifier.NoModifier))
    QCoreApplication.processEvents()


def focus(item: QQuickItem) -> None:
    """`item.forceActiveFocus()`, called by the Qt loop."""
    QMetaObject.invokeMethod(item, "forceActiveFocus", Qt.ConnectionType.QueuedConnection)
    QCoreApplication.processEvents()


def commit_text(receiver: QObject, text: str) -> None:
    """What the virtual keyboard sends on commit."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    deliver(receiver, event)
