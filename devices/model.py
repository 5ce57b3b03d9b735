"""The device model every device kind shares (after XFS4IoT / CUSS 2).

Status is published as deltas; errors carry a class and the action they need;
commands complete exactly once with one of the `Completion` codes.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any, Mapping


class Availability(StrEnum):
    STARTING = "starting"
    ONLINE = "online"
    BUSY = "busy"
    OFFLINE = "offline"
    NO_DEVICE = "noDevice"
    HARDWARE_ERROR = "hardwareError"
    #: a person must act before it serves again: a consumable is out (paper, ribbon) or a
    #: bin is full; the device still answers, so it is watched, never reopened
    USER_ERROR = "userError"


#: Availabilities in which the device can take a citizen's command.
USABLE = frozenset({Availability.ONLINE, Availability.BUSY})
#: Availabilities the hot-plug supervisor tries to heal by reopening the device.
RECOVERABLE = frozenset({Availability.NO_DEVICE, Availability.HARDWARE_ERROR, Availability.OFFLINE})


class Severity(StrEnum):
    OK = "ok"
    WARNING = "warning"
    ERROR = "error"


class ErrorClass(StrEnum):
    HARDWARE = "hardware"
    SOFTWARE = "software"
    USER = "user"
    FRAUD = "fraud"
    #: paper near end or out, ribbon out, card bin full: hall staff replenish, no fault
    CONSUMABLE = "consumable"


class RequiredAction(StrEnum):
    RESET = "reset"                  # automatic retry / reopen
    CLEAR = "clear"                  # hall staff (paper, jam, take the card)
    MAINTENANCE = "maintenance"      # technician
    CONFIGURATION = "configuration"  # site configuration is wrong
    REPLENISH = "replenish"          # hall staff (fit a roll or ribbon, empty the bin)
    NONE = "none"                    # the citizen can simply try again


class Completion(StrEnum):
    SUCCESS = "success"
    CANCELED = "canceled"
    TIMEOUT = "timeout"
    DEVICE_NOT_READY = "deviceNotReady"
    HARDWARE_ERROR = "hardwareError"
    INVALID_DATA = "invalidData"
    UNSUPPORTED = "unsupported"
    USER_ERROR = "userError"
    OUTCOME_UNKNOWN = "outcomeUnknown"


class UnitState(StrEnum):
    """Consumables and media: paper rolls, locker compartments."""
    FULL = "full"
    LOW = "low"
    OUT = "out"
    JAMMED = "jammed"
    OPEN = "open"
    CLOSED = "closed"
    OCCUPIED = "occupied"
    EMPTY = "empty"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class DeviceIdentity:
    model: str = ""
    serial: str = ""
    firmware: str = ""
    backend: str = ""
    port: str = ""


@dataclass(frozen=True)
class DeviceStatus:
    availability: Availability = Availability.STARTING
    severity: Severity = Severity.OK
    units: Mapping[str, UnitState] = field(default_factory=dict)
    identity: DeviceIdentity = field(default_factory=DeviceIdentity)
    reason: str = ""
    last_change: datetime | None = None
    #: the current error (empty when none): its code, its class and the action that fixes
    #: it, which maintenance pages turn into a guided fix
    error_code: str = ""
    error_class: ErrorClass | None = None
    action: RequiredAction | None = None

    @property
    def usable(self) -> bool:
        return self.availability in USABLE

    @property
    def answers(self) -> bool:
        """Whether the device talks to us: usable, or only waiting for a consumable."""
        return self.usable or self.error_class is ErrorClass.CONSUMABLE

    def with_changes(self, **changes: Any) -> "DeviceStatus":
        return replace(self, **changes)

    def as_dict(self) -> dict[str, Any]:
        return {
            "availability": str(self.availability),
            "severity": str(self.severity),
            "units": {k: str(v) for k, v in self.units.items()},
            "identity": self.identity.__dict__.copy(),
            "reason": self.reason,
            "last_change": self.last_change.isoformat() if self.last_change else None,
            "error_code": self.error_code,
            "error_class": str(self.error_class or ""),
            "action": str(self.action or ""),
        }


# --- errors -----------------------------------------------------------------

class DeviceError(Exception):
    """A device failure with its completion code, class and required action.

    The message is for technicians and logs; it must never contain personal data.
    """
    completion = Completion.HARDWARE_ERROR
    error_class = ErrorClass.HARDWARE
    action = RequiredAction.RESET

    def __init__(self, message: str, *, code: str = "", error_class: ErrorClass | None = None,
                 action: RequiredAction | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or type(self).__name__
        if error_class is not None:
            self.error_class = error_class
        if action is not None:
            self.action = action

    def status_fields(self) -> dict[str, Any]:
        """The `DeviceStatus` fields naming this error."""
        return {"error_code": self.code, "error_class": self.error_class,
                "action": self.action}

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "completion": str(self.completion),
                "class": str(self.error_class), "action": str(self.action)}


class DeviceNotReady(DeviceError):
    completion = Completion.DEVICE_NOT_READY


class NoDevice(DeviceNotReady):
    """The device is absent: unplugged, port missing, driver library missing."""


class DeviceHardwareError(DeviceError):
    completion = Completion.HARDWARE_ERROR
    action = RequiredAction.MAINTENANCE


class DeviceOffline(DeviceError):
    """The device answers no more (timeout on the bus, link down); reopened automatically."""
    completion = Completion.HARDWARE_ERROR


class InvalidData(DeviceError):
    """Bytes from the device (or the card in it) that do not parse or do not verify."""
    completion = Completion.INVALID_DATA
    error_class = ErrorClass.SOFTWARE
    action = RequiredAction.NONE


class Unsupported(DeviceError):
    completion = Completion.UNSUPPORTED
    error_class = ErrorClass.SOFTWARE
    action = RequiredAction.CONFIGURATION


class UserError(DeviceError):
    """Something the citizen can fix: card removed too early, wrong MRZ key, door left open."""
    completion = Completion.USER_ERROR
    error_class = ErrorClass.USER
    action = RequiredAction.NONE


class OutcomeUnknown(DeviceError):
    """A state-changing command was cut off; reconcile, never retry blindly."""
    completion = Completion.OUTCOME_UNKNOWN
    action = RequiredAction.CLEAR


class ConsumableOut(DeviceNotReady):
    """Paper, ribbon or another consumable is out, or a bin is full: staff replenish it."""
    error_class = ErrorClass.CONSUMABLE
    action = RequiredAction.REPLENISH


#: `DeviceStatus` fields of a device without a current error.
NO_ERROR: Mapping[str, Any] = {"error_code": "", "error_class": None, "action": None}


class CommandTimeout(DeviceError):
    completion = Completion.TIMEOUT


class CommandCanceled(DeviceError):
    completion = Completion.CANCELED
    error_class = ErrorClass.USER
    action = RequiredAction.NONE


# --- events -----------------------------------------------------------------

@dataclass(frozen=True)
class DeviceEvent:
    """An unsolicited event from a device (card inserted, door closed...)."""
    device: str
    name: str
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StatusChanged(DeviceEvent):
    """Only the fields that changed are in `changes`; `status` is the whole new status."""
    status: DeviceStatus = field(default_factory=DeviceStatus)

    @property
    def changes(self) -> Mapping[str, Any]:
        return self.data


def status_delta(old: DeviceStatus, new: DeviceStatus) -> dict[str, Any]:
    before, after = old.as_dict(), new.as_dict()
    after.pop("last_change")
    return {k: v for k, v in after.items() if before.get(k) != v}
