"""Getting results from other threads onto the Qt thread without ever blocking it.

Device commands complete on their worker threads, clock timers fire on timer threads;
`QtThreadBridge.call(fn)` runs `fn` on the Qt thread (at once when already there),
`deliver(future, callback)` runs `callback(result)` there when the future completes,
and `QtClock` wraps a kiosk `Clock` so its timer callbacks land on the Qt thread too.
"""
from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot

if TYPE_CHECKING:   # not imported before the attract screen's first frame
    from concurrent.futures import Future

log = logging.getLogger(__name__)


class QtThreadBridge(QObject):
    _posted = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._connected = False
        self._connecting = threading.Lock()

    def call(self, fn: Callable[[], Any]) -> None:
        if QThread.currentThread() is self.thread():
            self._run(fn)
        else:
            self.post(fn)

    def post(self, fn: Callable[[], Any]) -> None:
        """Run `fn` on the Qt thread after the current event has been handled."""
        if not self._connected:
            self._connect()
        self._posted.emit(fn)

    def _connect(self) -> None:
        # on first use, not at start: PySide builds Qt's whole namespace (every enum in it,
        # about 15 ms of CPU) the first time `Qt` is imported, before the attract screen's
        # first frame if done in __init__
        from PySide6.QtCore import Qt
        with self._connecting:  # the first post may come from any thread
            if not self._connected:
                self._posted.connect(self._run, Qt.ConnectionType.QueuedConnection)
                self._connected = True

    def deliver(self, future: Future, callback: Callable[[Any], None]) -> None:
        """`callback(result)` (or the exception) on the Qt thread when `future` is done."""
        def done(completed: Future) -> None:
            try:
                outcome: Any = completed.result()
            except BaseException as error:  # the callback decides what an error means
                outcome = error
            self.call(lambda: callback(outcome))
        future.add_done_callback(done)

    @Slot(object)
    def _run(self, fn: Callable[[], Any]) -> None:
        try:
            fn()
        except Exception:
            log.exception("callback on the Qt thread failed")


class QtClock:
    """A kiosk `Clock` whose `call_later` callbacks run on the Qt thread."""

    def __init__(self, clock: Any, bridge: QtThreadBridge) -> None:
        self._clock = clock
        self._bridge = bridge

    def monotonic(self) -> float:
        return self._clock.monotonic()

    def now(self):
        return self._clock.now()

    def wait(self, event, timeout: float) -> bool:
        return self._clock.wait(event, timeout)

    def call_later(self, delay: float, callback: Callable[[], None]):
        return self._clock.call_later(delay, lambda: self._bridge.call(callback))
