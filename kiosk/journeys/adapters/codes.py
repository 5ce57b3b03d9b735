"""The code-reader port: the text of the next code scanned (booking, pickup, MRZ)."""
from __future__ import annotations

from concurrent.futures import Future
from typing import TYPE_CHECKING

from kiosk.journeys.adapters.futures import not_ready

if TYPE_CHECKING:
    from devices.registry import DeviceRegistry


class CodeReaderPort:
    def __init__(self, registry: "DeviceRegistry") -> None:
        self._registry = registry
        self._waiting: Future | None = None

    def read_code(self) -> Future:
        device = self._registry.first_usable("code_reader")
        if device is None:
            return not_ready("code reader")
        result: Future = Future()
        self._waiting = device.next_code()
        self._waiting.add_done_callback(
            lambda f: result.set_exception(f.exception()) if f.exception()
            else result.set_result(f.result().value))
        return result

    def cancel(self) -> None:
        if self._waiting is not None and not self._waiting.done():
            self._waiting.cancel()
