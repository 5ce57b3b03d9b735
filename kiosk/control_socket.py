"""The running kiosk's local control socket: the kiosk stays the one owner of its devices.

`kiosk run` serves a Unix socket in its data directory, readable and writable only by the
kiosk's user (0600). Commands of the `kiosk` CLI ask it first (`request`) and open a device
themselves only when no kiosk answers. One JSON object per line each way. Implemented so far:
`locker.status` and `locker.open` (recorded as an audit event of the kiosk's chain before
the door moves, as pickup does).
"""
from __future__ import annotations

import json
import logging
import os
import socket
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from devices.locker.bank import LockerBank
    from kiosk.app import KioskCore

log = logging.getLogger(__name__)

SOCKET_NAME = "control.sock"
#: how long a command may take on the kiosk's side (a door that is slow to answer)
COMMAND_TIMEOUT_S = 30.0


def locker_report(bank: "LockerBank") -> dict[str, Any]:
    """Every compartment's door, as `kiosk locker status --json` prints it."""
    doors = bank.door_states()
    rows = [{"number": n, "label": c.shown, "board": c.board, "lock": c.lock, "size": c.size,
             "door": str(doors[n])} for n, c in sorted(bank.compartments.items())]
    return {"device": bank.name, "backend": bank.backend, "codec": bank.codec.name,
            "status": bank.status.as_dict(), "compartments": rows}


def audit_staff_open(core: "KioskCore", number: int, *, who: str, why: str) -> None:
    """A door opened for staff, recorded in the kiosk's audit chain before it moves (as
    pickup does)."""
    if core.event_sink is not None:
        core.event_sink.enqueue("audit", {"action": "locker.open",
                                          "at": core.clock.now().isoformat(),
                                          "actor": "technician", "who": who, "why": why[:200],
                                          "compartment": number})


def open_for_staff(core: "KioskCore", bank: "LockerBank", number: int, *, who: str,
                   why: str) -> dict[str, Any]:
    """Open a compartment for staff (audited); the reply says whether it opened."""
    if number not in bank.compartments:
        return {"ok": False, "error": f"there is no compartment {number}"}
    audit_staff_open(core, number, who=who, why=why)
    result = bank.open(number).result(COMMAND_TIMEOUT_S)
    if not result.ok:
        return {"ok": False, "completion": result.completion,
                "error": result.error.message if result.error else ""}
    return {"ok": True, "opened": bool(result.value.opened)}


class ControlServer:
    def __init__(self, core: "KioskCore", path: Path) -> None:
        self._core, self.path = core, path
        self._socket: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._stopped = threading.Event()

    def start(self) -> None:
        self.path.unlink(missing_ok=True)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        previous = os.umask(0o177)   # created 0600: no moment where others may connect
        try:
            listener.bind(str(self.path))
        finally:
            os.umask(previous)
        listener.listen(4)
        listener.settimeout(0.5)
        self._socket = listener
        self._thread = threading.Thread(target=self._serve, name="control-socket", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        if self._thread is not None:
            self._thread.join(5)
        if self._socket is not None:
            self._socket.close()
        self.path.unlink(missing_ok=True)

    def _serve(self) -> None:
        assert self._socket is not None
        while not self._stopped.is_set():
            try:
                connection, _ = self._socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with connection:
                connection.settimeout(COMMAND_TIMEOUT_S)
                try:
                    line = connection.makefile("rb").readline()
                    reply = self._dispatch(json.loads(line))
                except Exception as error:  # a bad request is answered, never fatal
                    log.warning("control socket request failed", exc_info=True)
                    reply = {"ok": False, "error": f"{type(error).__name__}: {error}"}
                try:
                    connection.sendall(json.dumps(reply, ensure_ascii=False).encode() + b"\n")
                except OSError:
                    pass

    def _dispatch(self, request: dict[str, Any]) -> dict[str, Any]:
        command = request.get("command")
        if command not in ("locker.status", "locker.open"):
            return {"ok": False, "error": f"unknown command {command!r}"}
        banks = self._core.devices.for_role("locker_bank")
        if not banks:
            return {"ok": False, "error": "no locker bank is configured (roles.locker_bank)"}
        bank = banks[0]
        if command == "locker.status":
            result = bank.read_all().result(COMMAND_TIMEOUT_S)
            if not result.ok:
                return {"ok": False, "error": f"{bank.name}: {result.completion}"}
            return {"ok": True, **locker_report(bank)}
        return open_for_staff(self._core, bank, int(request["number"]), who="technician:cli",
                              why=str(request.get("reason", "")))


def request(path: Path, command: dict[str, Any],
            timeout_s: float = COMMAND_TIMEOUT_S + 5) -> dict[str, Any] | None:
    """Ask the running kiosk; None when none is listening at `path` (open the device then)."""
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.settimeout(timeout_s)
    try:
        client.connect(str(path))
    except (FileNotFoundError, ConnectionRefusedError):
        client.close()
        return None
    with client:
        client.sendall(json.dumps(command).encode() + b"\n")
        return json.loads(client.makefile("rb").readline())
