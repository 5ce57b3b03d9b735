"""A minimal journey view-model following the navigator's contract (ui/navigator.py)."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import Property, QObject, Signal, Slot

QML = Path(__file__).resolve().parent / "qml"


@contextmanager
def registered(journey: str, factory=None):
    """The stub journey registered as `journey` (its view-models made by `factory`, default
    `SearchViewModel`) until the block ends."""
    from ui.navigator import register_journey, unregister_journey
    register_journey(journey, factory or SearchViewModel, {"search": "Search.qml"},
                     base_dir=QML)
    try:
        yield
    finally:
        unregister_journey(journey)


class SearchViewModel(QObject):
    stateChanged = Signal()
    finished = Signal()

    def __init__(self, ctx):
        super().__init__()
        self.ctx = ctx
        self.query = "身份证号 110101199003074257"  # personal data the wipe must clear
        self.wiped = False

    state = Property(str, lambda self: "search", notify=stateChanged)

    def wipe(self):
        self.query = ""
        self.wiped = True

    @Slot()
    def done(self):
        self.finished.emit()
