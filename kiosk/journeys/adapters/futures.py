"""Device commands as the futures the journeys wait on."""
from __future__ import annotations

from concurrent.futures import Future
from typing import Any, Callable

from devices.commands import Command, CommandResult


def command_value(command: Command, convert: Callable[[Any], Any] = lambda v: v) -> Future:
    """A future of the command's converted value, failing with its device error."""
    future: Future = Future()

    def done(result_future: Future) -> None:
        result: CommandResult = result_future.result()
        if result.error is not None:
            future.set_exception(result.error)
            return
        try:
            future.set_result(convert(result.value))
        except Exception as error:  # a value that does not convert is bad data, not a crash
            future.set_exception(error)
    command.future.add_done_callback(done)
    return future


def not_ready(what: str) -> Future:
    """A future failed with DeviceNotReady: no usable device for the role."""
    from devices.model import DeviceNotReady
    failed: Future = Future()
    failed.set_exception(DeviceNotReady(f"no usable {what}"))
    return failed


def newest_image(camera: Any) -> Any:
    """The newest frame of a camera (a preview), None before the first."""
    frame = camera.frames.latest() if camera is not None else None
    return frame.image if frame is not None else None
