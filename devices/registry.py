"""Builds devices from configuration (kind + backend + roles) and rolls their status up.

Each kind package (`devices/<kind>/__init__.py`) declares `BACKENDS = {"name":
"module:Class"}`; backends are imported lazily so a missing vendor library becomes a
`noDevice` status with a clear reason, never a crash.
"""
from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping

from devices.base import Device, DeviceSettings
from devices.model import Availability, DeviceEvent, DeviceIdentity, NoDevice, Severity
from foundation.clock import Clock

log = logging.getLogger(__name__)

KINDS = ("id_reader", "camera", "code_reader", "printer", "locker")
ROLES = ("id_reader", "face_camera", "document_camera", "code_reader", "receipt_printer",
         "locker_bank")


class UnknownBackend(LookupError):
    pass


class BackendUnavailable(RuntimeError):
    """The backend's module could not be imported (a vendor library is missing)."""


def kind_backends(kind: str) -> Mapping[str, str]:
    if kind not in KINDS:
        raise UnknownBackend(f"unknown device kind {kind!r}; known kinds: {', '.join(KINDS)}")
    module = importlib.import_module(f"devices.{kind}")
    return getattr(module, "BACKENDS", {})


def backend_class(kind: str, backend: str) -> type[Device]:
    backends = kind_backends(kind)
    if backend not in backends:
        raise UnknownBackend(f"unknown backend {backend!r} for kind {kind!r}; "
                             f"known backends: {', '.join(sorted(backends)) or 'none'}")
    module_name, _, class_name = backends[backend].partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise BackendUnavailable(f"{kind} backend {backend!r} needs the Python package "
                                 f"{error.name or error}, which is not installed") from error
    return getattr(module, class_name)


class UnavailableDevice(Device):
    """Stands in for a device whose backend cannot load; always `noDevice` with the reason."""
    backend = "unavailable"

    def __init__(self, name: str, kind: str, backend: str, reason: str, *, clock: Clock) -> None:
        super().__init__(name, clock=clock)
        self.kind = kind
        self.reason = reason
        self._set_status(availability=Availability.NO_DEVICE, severity=Severity.ERROR,
                         reason=reason, identity=DeviceIdentity(backend=backend))

    def _open(self) -> DeviceIdentity:
        raise NoDevice(self.reason)


@dataclass
class DeviceSpec:
    name: str
    kind: str
    backend: str
    settings: DeviceSettings
    enabled: bool = True


@dataclass
class RoleState:
    role: str
    usable: bool
    devices: list[str]
    reason: str = ""
    #: not usable yet, but a device is still starting: its answer is to come
    checking: bool = False


@dataclass
class DeviceRegistry:
    devices: dict[str, Device] = field(default_factory=dict)
    roles: dict[str, list[str]] = field(default_factory=dict)

    def start(self) -> None:
        for device in self.devices.values():
            device.start()

    def stop(self) -> None:
        for device in self.devices.values():
            device.stop()

    def __getitem__(self, name: str) -> Device:
        return self.devices[name]

    def for_role(self, role: str) -> list[Device]:
        return [self.devices[n] for n in self.roles.get(role, []) if n in self.devices]

    def first_usable(self, role: str) -> Device | None:
        return next((d for d in self.for_role(role) if d.status.usable), None)

    def role_state(self, role: str) -> RoleState:
        devices = self.for_role(role)
        names = [d.name for d in devices]
        if not devices:
            return RoleState(role, False, names, f"no device is configured for {role}")
        if any(d.status.usable for d in devices):
            return RoleState(role, True, names)
        reasons = "; ".join(f"{d.name}: {d.status.availability}"
                            + (f" ({d.status.reason})" if d.status.reason else "") for d in devices)
        checking = any(d.status.availability is Availability.STARTING for d in devices)
        return RoleState(role, False, names, reasons, checking)

    def subscribe(self, listener: Callable[[DeviceEvent], None]) -> Callable[[], None]:
        unsubscribers = [d.subscribe(listener) for d in self.devices.values()]
        return lambda: [u() for u in unsubscribers]


def build_registry(specs: Iterable[DeviceSpec], roles: Mapping[str, list[str]], *,
                   clock: Clock) -> DeviceRegistry:
    """Instantiate every enabled device; a backend that cannot load becomes `UnavailableDevice`."""
    registry = DeviceRegistry(roles={r: list(n) for r, n in roles.items()})
    for spec in specs:
        if not spec.enabled:
            continue
        try:
            cls = backend_class(spec.kind, spec.backend)
            registry.devices[spec.name] = cls(spec.name, spec.settings, clock=clock)
        except BackendUnavailable as error:
            log.warning("device backend unavailable", extra={"device": spec.name,
                                                             "reason": str(error)})
            registry.devices[spec.name] = UnavailableDevice(spec.name, spec.kind, spec.backend,
                                                            str(error), clock=clock)
    return registry
