"""The code-reader kind: codes arrive unsolicited and are published as `codeRead` events."""
from __future__ import annotations

import threading
from collections import deque
from concurrent.futures import Future

from devices.base import Device
from devices.code_reader.codes import ScannedCode, parse_code
from devices.model import InvalidData


class CodeReader(Device):
    """Emits `codeRead` (data: code=ScannedCode) or `codeRejected` (data: reason) events.

    `next_code()` is a future for the next good code (a journey waiting for one).
    The code text itself is never logged."""
    kind = "code_reader"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._waiters: deque[Future[ScannedCode]] = deque()
        self._waiters_lock = threading.Lock()

    def next_code(self) -> Future:
        future: Future[ScannedCode] = Future()
        with self._waiters_lock:
            self._waiters.append(future)
        return future

    def _deliver_text(self, text: str, symbology: str = "") -> ScannedCode | None:
        try:
            code = parse_code(text, symbology)
        except InvalidData as error:
            self.emit("codeRejected", reason=error.message)
            return None
        self.emit("codeRead", code=code)
        with self._waiters_lock:
            waiters, self._waiters = list(self._waiters), deque()
        for future in waiters:
            if not future.done():
                future.set_result(code)
        return code
