"""Commands: an id, a timeout, a cancel token and exactly one completion."""
from __future__ import annotations

import itertools
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Callable

from devices.model import CommandCanceled, Completion, DeviceError

_ids = itertools.count(1)


class CancelToken:
    """Cooperative cancellation for a running command; backends check it between steps."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self.reason = ""

    def cancel(self, reason: str = "canceled") -> None:
        self.reason = reason
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise CommandCanceled(f"command stopped: {self.reason}")


@dataclass(frozen=True)
class CommandResult:
    command_id: str
    name: str
    completion: Completion
    value: Any = None
    error: DeviceError | None = None

    @property
    def ok(self) -> bool:
        return self.completion is Completion.SUCCESS

    def unwrap(self) -> Any:
        """The value, or the device error that ended the command."""
        if self.error is not None:
            raise self.error
        return self.value


class Command:
    """A device command. `future` resolves to a `CommandResult`, never to an exception."""

    def __init__(self, name: str, fn: Callable[[CancelToken], Any], *, timeout: float | None,
                 changes_state: bool = False, command_id: str | None = None) -> None:
        self.id = command_id or f"cmd-{next(_ids)}"
        self.name = name
        self.fn = fn
        self.timeout = timeout
        self.changes_state = changes_state
        self.token = CancelToken()
        self.future: Future[CommandResult] = Future()
        self.started = False
        self._lock = threading.Lock()
        self._on_complete: list[Callable[[CommandResult], None]] = []

    @property
    def done(self) -> bool:
        return self.future.done()

    def complete(self, completion: Completion, value: Any = None,
                 error: DeviceError | None = None) -> bool:
        """Complete once; later completions are ignored and return False."""
        with self._lock:
            if self.future.done():
                return False
            result = CommandResult(self.id, self.name, completion, value, error)
            self.future.set_result(result)
        for callback in self._on_complete:
            callback(result)
        return True

    def on_complete(self, callback: Callable[[CommandResult], None]) -> None:
        with self._lock:
            if not self.future.done():
                self._on_complete.append(callback)
                return
        callback(self.future.result())

    def cancel(self) -> bool:
        """Cancel: a queued command completes `canceled` at once; a running one is asked to stop.

        A running state-changing command that stops mid-way completes `outcomeUnknown`
        (the worker decides when the backend returns)."""
        self.token.cancel("canceled by caller")
        if not self.started:
            return self.complete(Completion.CANCELED, error=CommandCanceled("canceled before it ran"))
        return True

    def result(self, timeout: float | None = None) -> CommandResult:
        return self.future.result(timeout)
