"""Helpers for commands that drive one configured device outside the running kiosk."""
from __future__ import annotations

from devices.base import Device
from devices.registry import build_registry


def device_for_role(ctx, role: str) -> Device | None:
    """The first configured device for `role`, built and started (None if none is set)."""
    loaded = ctx.config
    names = loaded.config.roles.get(role, [])
    specs = [s for s in loaded.devices if s.name in names and s.enabled]
    if not specs:
        return None
    registry = build_registry(specs[:1], {role: names}, clock=ctx.clock)
    device = registry.devices[specs[0].name]
    device.start()
    return device
