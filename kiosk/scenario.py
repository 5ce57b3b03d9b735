"""One scenario schema (YAML) for the headless demo walk and for scripting simulators.

    name: smoke
    description: attract, language switch, idle timeout
    steps:
      - expect_screen: attract
      - tap: language_switch
      - type: {target: search_field, text: "bj"}
      - device: {device: receipt_printer, action: paper, args: {level: out}}
      - device: {device: network, action: cut}       # the demo's line to the server
      - device: {device: clock, action: run, args: {seconds: 60, until_screen: apply.form}}
      - advance_clock: 95
      - wait_for: {screen: idle_warning, timeout_s: 5}
      - screenshot: idle_warning

`device` steps name a device of the registry (a simulator action) or one of two demo
pseudo-devices the runner (ui/scenario_runner.py) handles: `network` with `cut` /
`restore` (the demo's `set_network_cut`), and `clock` with `run` (the TestClock runs in
camera-frame ticks for up to `seconds`, stopping once `until_screen` shows: what a face
check's liveness challenges need).

Each step has exactly one key. `load_scenario` validates the whole file up front and
names the file, step number and problem on error.
"""
from __future__ import annotations

from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from devices.commands import Command

if TYPE_CHECKING:
    from kiosk.config import KioskConfig


class ScenarioError(ValueError):
    pass


class _Step(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Tap(_Step):
    op: Literal["tap"] = "tap"
    target: str = Field(min_length=1)     # objectName of the item to tap


class TypeText(_Step):
    op: Literal["type"] = "type"
    text: str
    target: str | None = None             # focus this item first


class ExpectScreen(_Step):
    op: Literal["expect_screen"] = "expect_screen"
    screen: str = Field(min_length=1)


class DeviceAction(_Step):
    op: Literal["device"] = "device"
    device: str = Field(min_length=1)
    action: str = Field(min_length=1)
    args: dict[str, Any] = {}


class AdvanceClock(_Step):
    op: Literal["advance_clock"] = "advance_clock"
    seconds: float = Field(gt=0, le=86_400)


class WaitFor(_Step):
    op: Literal["wait_for"] = "wait_for"
    screen: str | None = None
    text: str | None = None
    timeout_s: float = Field(default=10.0, gt=0, le=600)


class Screenshot(_Step):
    op: Literal["screenshot"] = "screenshot"
    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")


Step = Annotated[Union[Tap, TypeText, ExpectScreen, DeviceAction, AdvanceClock, WaitFor,
                       Screenshot], Field(discriminator="op")]
_STEP = TypeAdapter(Step)
#: how long a device step waits for the device it reopened (wall-clock: a bound, not a pace)
REOPEN_WAIT_S = 10.0

#: how the short form `- key: value` maps onto each step's main field
_SHORT_FIELD = {"tap": "target", "expect_screen": "screen", "advance_clock": "seconds",
                "screenshot": "name", "type": "text", "wait_for": "screen"}


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    description: str = ""
    language: Literal["zh_CN", "en_US"] | None = None
    orientation: Literal["portrait", "landscape"] | None = None
    steps: list[Step] = Field(min_length=1)

    def configure(self, config: "KioskConfig") -> "KioskConfig":
        """The kiosk configuration with the scenario's language and orientation as the kiosk's
        own: applied before the core starts, so that the district's configuration, laid over
        the kiosk's own whenever it changes, keeps them (and the shell does not fall back to
        the district's language halfway through the walk)."""
        changes = {k: v for k, v in (("language", self.language),
                                     ("orientation", self.orientation)) if v is not None}
        if not changes:
            return config
        return config.model_copy(update={"kiosk": config.kiosk.model_copy(update=changes)})


def parse_step(raw: Any) -> Step:
    if not isinstance(raw, dict) or len(raw) != 1:
        raise ValueError("a step is a mapping with exactly one key, e.g. '- tap: apply_tile'")
    (op, value), = raw.items()
    if op not in _SHORT_FIELD and op != "device":
        raise ValueError(f"unknown step '{op}'; steps are: tap, type, expect_screen, device, "
                         "advance_clock, wait_for, screenshot")
    body = dict(value) if isinstance(value, dict) else {_SHORT_FIELD.get(op, "value"): value}
    return _STEP.validate_python({"op": op, **body})


def load_scenario(path: Path | str) -> Scenario:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScenarioError(f"scenario {path}: file not found") from None
    except yaml.YAMLError as error:
        raise ScenarioError(f"scenario {path}: not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise ScenarioError(f"scenario {path}: expected a mapping with 'name' and 'steps'")
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise ScenarioError(f"scenario {path}: 'steps' must be a non-empty list")
    steps = []
    for number, raw in enumerate(raw_steps, start=1):
        try:
            steps.append(parse_step(raw))
        except (ValidationError, ValueError) as error:
            raise ScenarioError(f"scenario {path}: step {number} ({_describe(raw)}): "
                                f"{_first_problem(error)}") from None
    try:
        return Scenario.model_validate({**data, "steps": steps})
    except ValidationError as error:
        raise ScenarioError(f"scenario {path}: {_first_problem(error)}") from None


def _describe(raw: Any) -> str:
    return next(iter(raw), "?") if isinstance(raw, dict) and raw else repr(raw)[:40]


def _first_problem(error: Exception) -> str:
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"][1:] if p not in ("op",))
        return f"{where + ': ' if where else ''}{first['msg']}"
    return str(error)


def run_device_step(step: "DeviceAction | AdvanceClock", devices: Any, clock: Any) -> None:
    """Apply a step that needs no screen: a simulator action or moving the test clock.

    `devices` is a `DeviceRegistry`; `clock` must have `advance` (a `TestClock`) for
    `advance_clock` steps."""
    if isinstance(step, DeviceAction):
        if step.device not in devices.devices:
            raise ScenarioError(f"device step: no device named {step.device!r}; devices: "
                                f"{', '.join(devices.devices)}")
        simulate = getattr(devices[step.device], "simulate", None)
        if simulate is None:
            raise ScenarioError(f"device step: {step.device!r} is not simulated")
        reopening = simulate(step.action, **step.args)
        if isinstance(reopening, Command):
            # the action reopens the device (a new scene, a replug): the next step meets it
            # open, as a person would, not in the moment it reconnects; a device that takes
            # longer is met as it is (the scenario's wait_for steps say what must follow)
            try:
                reopening.result(REOPEN_WAIT_S)
            except FutureTimeout:
                pass
    elif isinstance(step, AdvanceClock):
        advance = getattr(clock, "advance", None)
        if advance is None:
            raise ScenarioError("advance_clock needs the test clock (run the demo headless)")
        advance(step.seconds)
    else:
        raise ScenarioError(f"step {step.op!r} needs the screen")
