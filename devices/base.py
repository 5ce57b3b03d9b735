"""The base of every device: one worker thread, status deltas, commands, hot-plug healing.

A backend subclasses `Device` (or a kind's abstract class, which subclasses it) and
implements `_open()` (returning its identity, raising `NoDevice` when absent) and
`_close()`. Everything that touches the hardware runs on the device's own worker
thread: call `self.submit(...)` and let the worker run it. Status changes go through
`_set_status(...)`, which publishes only what changed.
"""
from __future__ import annotations

import logging
import queue
import threading
from typing import Any, Callable, ClassVar

from pydantic import BaseModel, ConfigDict

from devices.commands import CancelToken, Command, CommandResult
from devices.model import (RECOVERABLE, Availability, CommandTimeout, Completion, DeviceError,
                           DeviceEvent, DeviceIdentity, DeviceNotReady, DeviceOffline,
                           DeviceStatus, ErrorClass, NO_ERROR, NoDevice, OutcomeUnknown,
                           Severity, StatusChanged, status_delta)
from foundation.clock import Clock, SystemClock, TimerHandle

log = logging.getLogger(__name__)

Listener = Callable[[DeviceEvent], None]


class DeviceSettings(BaseModel):
    """Backend options; subclasses add typed fields (defaults live in config/defaults*.toml)."""
    model_config = ConfigDict(extra="forbid", frozen=True)


class Device:
    kind: ClassVar[str] = "device"
    backend: ClassVar[str] = "base"
    Settings: ClassVar[type[DeviceSettings]] = DeviceSettings
    #: seconds between reopen attempts while absent, doubling up to `max_recovery_interval`
    recovery_interval: float = 1.0
    max_recovery_interval: float = 30.0

    def __init__(self, name: str, settings: DeviceSettings | None = None, *,
                 clock: Clock | None = None) -> None:
        self.name = name
        self.settings = settings if settings is not None else self.Settings()
        self.clock = clock or SystemClock()
        self._status = DeviceStatus(identity=DeviceIdentity(backend=self.backend))
        self._status_lock = threading.RLock()
        self._listeners: list[Listener] = []
        self._queue: queue.Queue[Command | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._current: Command | None = None
        self._recovery_timer: TimerHandle | None = None
        self._next_recovery = self.recovery_interval
        #: each poll's next tick by name: one timer a poll, replaced at each tick (a list
        #: of every tick's timer grew by one a tick, for as long as the kiosk ran)
        self._polls: dict[str, TimerHandle] = {}
        self._stopping = False

    # --- status and events -------------------------------------------------

    @property
    def status(self) -> DeviceStatus:
        with self._status_lock:
            return self._status

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def emit(self, name: str, **data: Any) -> None:
        self._publish(DeviceEvent(self.name, name, data))

    def _publish(self, event: DeviceEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # a broken listener must not take the device down
                log.exception("device listener failed", extra={"device": self.name})

    def _set_status(self, **changes: Any) -> None:
        with self._status_lock:
            old = self._status
            new = old.with_changes(**changes)
            delta = status_delta(old, new)
            if not delta:
                return
            new = new.with_changes(last_change=self.clock.now())
            self._status = new
        log.info("device status changed", extra={"device": self.name, "changes": delta})
        self._publish(StatusChanged(self.name, "statusChanged", delta, new))

    def set_unit(self, unit: str, state: Any) -> None:
        units = dict(self.status.units)
        units[unit] = state
        self._set_status(units=units)

    # --- lifecycle -----------------------------------------------------------

    def start(self) -> None:
        """Start the worker and open the device on it; absence is healed in the background."""
        if self._thread is not None:
            return
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name=f"device-{self.name}", daemon=True)
        self._thread.start()
        self._submit_open()

    @property
    def worker_alive(self) -> bool:
        """Whether the worker thread runs (False before `start` and after `stop`)."""
        thread = self._thread
        return thread is not None and thread.is_alive()

    def restart_worker(self) -> bool:
        """Replace a worker thread that died (something beyond what a command's failure
        catches ended it) and reopen the device on the new one. Returns whether it
        restarted one."""
        thread = self._thread
        if self._stopping or thread is None or thread.is_alive():
            return False
        log.error("device worker died; restarting it", extra={"device": self.name})
        self._thread = None
        self.start()
        return True

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping = True
        for timer in [self._recovery_timer, *self._polls.values()]:
            if timer is not None:
                timer.cancel()
        self._polls.clear()
        if self._thread is None:
            return
        if self._current is not None:
            self._current.token.cancel("device stopping")
        while True:  # queued commands complete canceled
            try:
                pending = self._queue.get_nowait()
            except queue.Empty:
                break
            if pending is not None:
                pending.cancel()
        self._queue.put(None)
        self._thread.join(timeout)
        self._thread = None
        try:
            self._close()
        except Exception:
            log.exception("closing device failed", extra={"device": self.name})

    def _open(self) -> DeviceIdentity:
        """Open the device on the worker; raise `NoDevice` when it is absent."""
        return DeviceIdentity(backend=self.backend)

    def _close(self) -> None:
        """Release the device (called on stop and before a reopen)."""

    def _after_open(self) -> None:
        """Hook run on the worker after a successful open (start polling, read units...)."""

    def _status_after_open(self) -> dict[str, Any]:
        """The status fields once open (a backend reports a consumable already out here)."""
        return {"availability": Availability.ONLINE, "severity": Severity.OK, "reason": "",
                **NO_ERROR}

    def _submit_open(self) -> Command:
        def reopen(token: CancelToken) -> None:
            self._set_status(availability=Availability.STARTING, severity=Severity.OK, reason="",
                             **NO_ERROR)
            try:
                self._close()
            except Exception:
                log.debug("close before reopen failed", extra={"device": self.name})
            identity = self._open()
            self._next_recovery = self.recovery_interval
            self._set_status(identity=identity, **self._status_after_open())
            self._after_open()
        return self.submit("open", reopen, timeout=None, internal=True)

    def _schedule_recovery(self) -> None:
        if self._stopping or self._recovery_timer is not None:
            return
        delay = self._next_recovery
        self._next_recovery = min(self._next_recovery * 2, self.max_recovery_interval)

        def fire() -> None:
            self._recovery_timer = None
            if not self._stopping and self.status.availability in RECOVERABLE:
                self._submit_open()
        self._recovery_timer = self.clock.call_later(delay, fire)

    def recover_now(self) -> Command:
        """Reopen at once (maintenance mode, or a hot-plug notification)."""
        if self._recovery_timer is not None:
            self._recovery_timer.cancel()
            self._recovery_timer = None
        self._next_recovery = self.recovery_interval
        return self._submit_open()

    def every(self, interval: float, name: str, fn: Callable[[CancelToken], Any]) -> None:
        """Run `fn` on the worker every `interval` clock-seconds while the device answers
        (usable, or waiting for a consumable: the poll sees the refill).

        One chain per name: calling it again (from `_after_open` after a reopen) is a no-op,
        and a tick is skipped while the previous run of the same poll is still queued."""
        if name in self._polls:
            return
        last: list[Command] = []

        def tick() -> None:
            if self._stopping:
                return
            if self.status.answers and not (last and not last[0].done):
                last[:] = [self.submit(name, fn, timeout=None, internal=True)]
            self._polls[name] = self.clock.call_later(interval, tick)
        self._polls[name] = self.clock.call_later(interval, tick)

    # --- commands ----------------------------------------------------------

    def submit(self, name: str, fn: Callable[[CancelToken], Any], *, timeout: float | None = 30.0,
               changes_state: bool = False, internal: bool = False,
               command_id: str | None = None) -> Command:
        """Queue `fn(token)` on the device's worker; returns the command (its `future`)."""
        command = Command(name, fn, timeout=timeout, changes_state=changes_state,
                          command_id=command_id)
        command.internal = internal  # type: ignore[attr-defined]
        if timeout is not None and timeout > 0:
            def expire() -> None:
                if command.done:
                    return
                command.token.cancel("timeout")
                if command.started and command.changes_state:
                    command.complete(Completion.OUTCOME_UNKNOWN, error=OutcomeUnknown(
                        f"{name} did not finish within {timeout:g} s; its effect is unknown"))
                else:
                    command.complete(Completion.TIMEOUT, error=CommandTimeout(
                        f"{name} did not finish within {timeout:g} s"))
            timer = self.clock.call_later(timeout, expire)
            command.on_complete(lambda _result: timer.cancel())
        if self._thread is None and not internal:
            command.complete(Completion.DEVICE_NOT_READY,
                             error=DeviceNotReady(f"device {self.name} is not started"))
            return command
        self._queue.put(command)
        return command

    def call(self, name: str, fn: Callable[[CancelToken], Any], *, timeout: float | None = 30.0,
             changes_state: bool = False) -> CommandResult:
        """Submit and wait for the completion (for CLI commands, never on the Qt thread)."""
        return self.submit(name, fn, timeout=timeout, changes_state=changes_state).result()

    def _run(self) -> None:
        while True:
            command = self._queue.get()
            if command is None:
                return
            if command.done:  # canceled or timed out while queued
                continue
            try:
                self._execute(command)
            except BaseException:  # the worker ends (`restart_worker`); its command with it
                command.complete(Completion.OUTCOME_UNKNOWN, error=OutcomeUnknown(
                    f"{command.name} ended with the device's worker"))
                raise

    def _execute(self, command: Command) -> None:
        internal = getattr(command, "internal", False)
        if not internal and not self.status.usable:
            status = self.status
            command.complete(Completion.DEVICE_NOT_READY, error=DeviceNotReady(
                f"{self.name} is {status.availability}: {status.reason or 'not ready'}"))
            return
        command.started = True
        self._current = command
        try:
            value = command.fn(command.token)
        except DeviceError as error:
            self._on_error(command, error)
        except Exception as error:  # a bug in a backend must not kill the worker
            log.exception("device command crashed", extra={"device": self.name,
                                                           "command": command.name})
            wrapped = OutcomeUnknown(f"{command.name} crashed: {type(error).__name__}") \
                if command.changes_state else DeviceError(
                    f"{command.name} crashed: {type(error).__name__}")
            self._on_error(command, wrapped)
        else:
            if command.token.cancelled and command.changes_state and not command.done:
                command.complete(Completion.OUTCOME_UNKNOWN, value, OutcomeUnknown(
                    f"{command.name} was asked to stop while changing state"))
            command.complete(Completion.SUCCESS, value)
            if not internal:  # counted per device by the kiosk (prints, card reads...)
                self.emit("completed", command=command.name)
        finally:
            self._current = None

    def _on_error(self, command: Command, error: DeviceError) -> None:
        if isinstance(error, NoDevice):
            self._set_status(availability=Availability.NO_DEVICE, severity=Severity.ERROR,
                             reason=error.message, **error.status_fields())
            self._schedule_recovery()
        elif isinstance(error, DeviceOffline):
            self._set_status(availability=Availability.OFFLINE, severity=Severity.ERROR,
                             reason=error.message, **error.status_fields())
            self._schedule_recovery()
        elif error.error_class is ErrorClass.CONSUMABLE:
            # not a fault: reopening cannot fit a roll; the status poll sees the refill
            self._set_status(availability=Availability.USER_ERROR, severity=Severity.ERROR,
                             reason=error.message, **error.status_fields())
        elif error.error_class is ErrorClass.HARDWARE and not isinstance(
                error, (CommandTimeout, OutcomeUnknown)):
            self._set_status(availability=Availability.HARDWARE_ERROR, severity=Severity.ERROR,
                             reason=error.message, **error.status_fields())
            self._schedule_recovery()
        if command.changes_state and isinstance(error, (NoDevice, DeviceOffline)):
            # the device vanished while changing state: whether it acted is unknown
            error = OutcomeUnknown(f"{command.name} cut off: {error.message}")
        command.complete(error.completion, error=error)
