"""Helpers for commands that drive one configured device: through the running kiosk, or\nthemselves when it does not run."""
from __future__ import annotations

import sys

from devices.base import Device
from devices.registry import build_registry
from launcher.cli import EXIT_DATA, EXIT_DEVICE, EXIT_FAILED


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


def ask_the_running_kiosk(ctx, command: str, **fields) -> dict | None:
    """While `kiosk run` runs, a device or queue command goes through its control socket (the
    kiosk owns them, and records the command in its audit chain): its answer. None: no kiosk
    answers, and the command opens the device itself. Fields that are None are not sent."""
    from kiosk.control_socket import SOCKET_NAME, request
    path = ctx.data_dir / SOCKET_NAME
    try:
        return request(path, {"command": command,
                              **{k: v for k, v in fields.items() if v is not None}})
    except PermissionError:
        return {"ok": False, "error": f"its control socket {path} is not this user's: "
                                      "run the command as the kiosk's user"}
    except (OSError, ValueError) as error:   # no answer in time, or not one we can read
        return {"ok": False, "error": f"no answer on {path}: {error}"}


def refused_by_the_kiosk(reply: dict) -> int:
    """Say why the running kiosk did not do it; the exit code for it."""
    print(f"the running kiosk: {reply.get('error')}", file=sys.stderr)
    return {"deviceNotReady": EXIT_DEVICE, "invalidData": EXIT_DATA}.get(
        reply.get("completion", ""), EXIT_FAILED)
