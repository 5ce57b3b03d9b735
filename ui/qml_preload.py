"""QML compiled ahead, so that the Qt thread never waits for the QML type loader holding the GIL.

A QML file not yet compiled is compiled on Qt's type loader thread ("QQmlThread"); a
synchronous load (`QQuickView.setSource`, a `Loader` turned active or given a new source)
makes the main thread wait for that thread. When the load starts from Python (a view-model's
signal, `forceActiveFocus`, `setSource`) the main thread holds the GIL while it waits, and if
the loader thread calls into Python meanwhile (a Python Qt message handler did), the process
freezes for good (docs/known-issues.md, the setSource/GIL freeze).

So every QML file the kiosk shows is compiled first, asynchronously, while the main thread
waits in a Qt event loop, which PySide runs with the GIL released. The components are kept:
a compiled type stays in the engine's type cache while something holds it, and a later
synchronous load of a cached type does not wait for the loader thread.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Iterable

from PySide6.QtCore import QEventLoop, QUrl
from PySide6.QtQml import QQmlComponent, QQmlEngine

log = logging.getLogger(__name__)


def compile_ahead(engine: QQmlEngine, files: Iterable[Path]) -> list[QQmlComponent]:
    """Compile `files` (and every QML type they use) in `engine`; returns when all are ready
    or failed. Keep the returned components as long as the engine: they hold the types in
    its cache. A file that fails is logged; its `Loader` reports it again when shown."""
    components = [QQmlComponent(engine, QUrl.fromLocalFile(str(path)),
                                QQmlComponent.CompilationMode.Asynchronous)
                  for path in files]
    loading = [component for component in components if component.isLoading()]
    if loading:
        loop = QEventLoop()

        def status_changed() -> None:
            if not any(component.isLoading() for component in loading):
                loop.quit()
        for component in loading:
            component.statusChanged.connect(status_changed)
        if any(component.isLoading() for component in loading):
            loop.exec()  # the GIL released (PySide's allow-thread) while the loader works
    for component in components:
        if component.isError():
            log.error("a QML file failed to compile",
                      extra={"qml": component.url().toString(),
                             "errors": [error.toString() for error in component.errors()]})
    return components
