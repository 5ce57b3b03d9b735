"""The running kiosk's local control socket: the kiosk stays the one owner of its devices.

`kiosk run` serves a Unix socket in its data directory, readable and writable only by the
kiosk's user (0600: the socket's mode is what authorises a request). Commands of the `kiosk`
CLI ask it first (`request`) and open a device or the queue themselves only when no kiosk
answers. One JSON object per line each way: `{"command": NAME, ...fields}`, answered by
`{"ok": true, ...}` or `{"ok": false, "error": why}` (and the device's `completion` when the
device refused). Requests are strict: an unknown command or field, a missing field or one of
the wrong type is refused with a message naming it. Each connection is answered on its own
thread (up to MAX_CONNECTIONS at once): a long export does not hold up a door's status, and
every device still does one thing at a time on its own worker.

Every command is one row of `COMMANDS`. A door is opened only for a person of the hall's staff
list, with their kiosk PIN (`kiosk.staff_access`, the maintenance entry's check and lockout).
Those that act (a door opened, the test page printed, a test read, the queue released or
exported) are recorded as an audit event of the kiosk's chain before they act, as pickup does;
reading a status is not. A test read answers only the checks' outcomes and masked fields, never
personal data. A test page or a test read waits for no citizen: while a session runs it is
refused (it would disturb the citizen's journey).
"""
from __future__ import annotations

import json
import logging
import os
import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from kiosk.service_state import StaffPerson
from kiosk.staff_access import Refused

if TYPE_CHECKING:
    from devices.base import Device
    from devices.locker.bank import LockerBank
    from kiosk.app import KioskCore
    from offline_queue.service import QueueService

log = logging.getLogger(__name__)

SOCKET_NAME = "control.sock"
#: how long a device command may take on the kiosk's side (a door that is slow to answer)
COMMAND_TIMEOUT_S = 30.0
#: the longest request line read (a request is a command and a few short fields)
MAX_REQUEST_BYTES = 4096
#: requests answered at once (each on its own thread); one more is told to try again
MAX_CONNECTIONS = 8
#: who the audit chain names for a command of the CLI
CLI_WHO = "technician:cli"


class BadRequest(ValueError):
    """A request the kiosk does not take; its message is the answer."""


def locker_report(bank: "LockerBank") -> dict[str, Any]:
    """Every compartment's door, as `kiosk locker status --json` prints it."""
    doors = bank.door_states()
    rows = [{"number": n, "label": c.shown, "board": c.board, "lock": c.lock, "size": c.size,
             "door": str(doors[n])} for n, c in sorted(bank.compartments.items())]
    return {"device": bank.name, "backend": bank.backend, "codec": bank.codec.name,
            "status": bank.status.as_dict(), "compartments": rows}


def audit_staff_open(core: "KioskCore", number: int, *, by: StaffPerson | str,
                     why: str) -> None:
    """A door opened for staff, recorded in the kiosk's audit chain before it moves (as
    pickup does). `by`: the person of the staff list (named with their real role), or who
    else asked (a district command, a technician's tool)."""
    from kiosk.diagnostics import record_audit
    asked = {"by": by} if isinstance(by, StaffPerson) else {"actor": "technician", "who": by}
    record_audit(core, "locker.open", **asked, why=why[:200], compartment=number)


def open_for_staff(core: "KioskCore", bank: "LockerBank", number: int, *,
                   by: StaffPerson | str, why: str) -> dict[str, Any]:
    """Open a compartment for staff (audited); the reply says whether it opened."""
    if number not in bank.compartments:
        return {"ok": False, "error": f"there is no compartment {number}"}
    audit_staff_open(core, number, by=by, why=why)
    result = bank.open(number).result(COMMAND_TIMEOUT_S)
    if not result.ok:
        return _refused(result)
    return {"ok": True, "opened": bool(result.value.opened)}


# --- the commands ----------------------------------------------------------------------

def _device(core: "KioskCore", role: str) -> "Device":
    devices = core.devices.for_role(role)
    if not devices:
        raise BadRequest(f"no {role.replace('_', ' ')} is configured (roles.{role})")
    return devices[0]


def _queue(core: "KioskCore") -> "QueueService":
    if core.queue is None:
        raise BadRequest("this kiosk runs without its offline queue")
    return core.queue


def _audit(core: "KioskCore", action: str, **extra: object) -> None:
    from kiosk.diagnostics import record_audit
    record_audit(core, action, actor="technician", who=CLI_WHO, **extra)


def _refused(result: Any) -> dict[str, Any]:
    """A device command that did not succeed, as an answer."""
    return {"ok": False, "completion": str(result.completion),
            "error": result.error.message if result.error else str(result.completion)}


def _locker_status(core: "KioskCore", _request: dict[str, Any]) -> dict[str, Any]:
    bank = _device(core, "locker_bank")
    result = bank.read_all().result(COMMAND_TIMEOUT_S)
    if not result.ok:
        return {**_refused(result), "error": f"{bank.name}: {result.completion}"}
    return {"ok": True, **locker_report(bank)}


def _locker_open(core: "KioskCore", request: dict[str, Any]) -> dict[str, Any]:
    """A door opened by a person of the hall's staff list, with their kiosk PIN: checked
    like the maintenance entry (same lockout, refusals audited, never saying which part
    was wrong)."""
    bank = _device(core, "locker_bank")
    if request["number"] not in bank.compartments:
        raise BadRequest(f"there is no compartment {request['number']}")
    if core.maintenance is None:
        raise BadRequest("this kiosk has no staff list")
    person = core.maintenance.access.check(request["staff_id"], request["pin"])
    if isinstance(person, Refused):
        _audit(core, "locker.open_refused", compartment=request["number"],
               locked=person.locked_until is not None)
        return {"ok": False, "error": refusal(person)}
    return open_for_staff(core, bank, request["number"], by=person,
                          why=request.get("reason", ""))


def refusal(refused: Refused) -> str:
    """What a refused staff credential is told (never which part was wrong)."""
    if refused.locked_until is not None:
        return f"too many wrong tries: locked until {refused.locked_until.isoformat()}"
    return "unknown staff id or wrong PIN"


def _printer_test(core: "KioskCore", request: dict[str, Any]) -> dict[str, Any]:
    from kiosk.diagnostics import printer_test
    printer = _device(core, "receipt_printer")
    _audit(core, "printer.test", device=printer.name)
    png = request.get("png")
    return {"ok": True, "report": printer_test(printer, core.clock.now(),
                                               Path(png) if png else None)}


def _id_read(core: "KioskCore", request: dict[str, Any]) -> dict[str, Any]:
    from foundation.identity_validation import IdentityValidationError, parse_bac_key
    from kiosk.diagnostics import shown_card
    try:
        key = parse_bac_key(request["bac"]) if request.get("bac") else None
    except IdentityValidationError as error:
        raise BadRequest(f"bac: {error.message}") from None
    timeout = request.get("timeout", COMMAND_TIMEOUT_S)
    if not 0 < timeout <= COMMAND_TIMEOUT_S:
        raise BadRequest(f"timeout must be more than 0 and at most {COMMAND_TIMEOUT_S:g} s")
    reader = _device(core, "id_reader")
    _audit(core, "id.test_read", device=reader.name)
    result = reader.read(key, timeout=timeout).result(COMMAND_TIMEOUT_S + 5)
    if not result.ok:
        return _refused(result)
    return {"ok": True, "read": shown_card(result.value)}


def _queue_status(core: "KioskCore", _request: dict[str, Any]) -> dict[str, Any]:
    from kiosk.diagnostics import queue_report
    return {"ok": True, "status": queue_report(_queue(core))}


def _queue_retry(core: "KioskCore", request: dict[str, Any]) -> dict[str, Any]:
    from kiosk.diagnostics import retry_queue
    queue = _queue(core)
    _audit(core, "queue.retry", item=(request.get("item") or "all set aside")[:80])
    return {"ok": True, "retry": retry_queue(queue, request.get("item"),
                                             sync=request.get("sync", True))}


def _queue_export(core: "KioskCore", request: dict[str, Any]) -> dict[str, Any]:
    from kiosk.diagnostics import export_queue
    _queue(core)
    target = Path(request["directory"])
    if not target.is_absolute():
        raise BadRequest(f"directory must be an absolute path, not {str(target)!r}")
    count = export_queue(core, target, actor="technician", who=CLI_WHO,
                         include_delivered=request.get("all", False))
    return {"ok": True, "export": {"exported": count, "directory": str(target)}}


@dataclass(frozen=True)
class Command:
    run: Callable[["KioskCore", dict[str, Any]], dict[str, Any]]
    #: the request's fields besides "command", each with its type
    fields: dict[str, type] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    #: it uses a device a citizen's journey uses (the reader, the printer): refused while a
    #: citizen session runs, which it would disturb
    needs_no_citizen: bool = False


COMMANDS: dict[str, Command] = {
    "locker.status": Command(_locker_status),
    "locker.open": Command(_locker_open, {"number": int, "reason": str, "staff_id": str,
                                          "pin": str}, ("number", "staff_id", "pin")),
    "printer.test": Command(_printer_test, {"png": str}, needs_no_citizen=True),
    "id.read": Command(_id_read, {"bac": str, "timeout": float}, needs_no_citizen=True),
    "queue.status": Command(_queue_status),
    "queue.retry": Command(_queue_retry, {"item": str, "sync": bool}),
    "queue.export": Command(_queue_export, {"directory": str, "all": bool}, ("directory",)),
}
#: how long the CLI waits for the kiosk's answer: a sync or an export may take minutes
ANSWER_TIMEOUT_S = {"queue.retry": 600.0, "queue.export": 600.0}


def checked(request: Any) -> tuple[Command, dict[str, Any]]:
    """The command a request names and its fields, or `BadRequest` saying what is wrong."""
    if not isinstance(request, dict):
        raise BadRequest("a request is one JSON object")
    name = request.get("command")
    command = COMMANDS.get(name) if isinstance(name, str) else None
    if command is None:
        raise BadRequest(f"unknown command {name!r} (known: {', '.join(COMMANDS)})")
    fields = {k: v for k, v in request.items() if k != "command"}
    for key, value in fields.items():
        wanted = command.fields.get(key)
        if wanted is None:
            takes = ", ".join(command.fields) or "no fields"
            raise BadRequest(f"{name}: unknown field {key!r} (takes {takes})")
        if not _fits(value, wanted):
            raise BadRequest(f"{name}: {key!r} must be {_TYPE_WORDS[wanted]}, not {value!r}")
    missing = [key for key in command.required if key not in fields]
    if missing:
        raise BadRequest(f"{name}: {', '.join(repr(k) for k in missing)} is required")
    return command, fields


def _fits(value: Any, wanted: type) -> bool:
    if isinstance(value, bool):        # a bool is an int to Python, never a number in a request
        return wanted is bool
    if wanted is float:                # JSON has one number type: 30 is a number of seconds
        return isinstance(value, (int, float))
    return isinstance(value, wanted)


_TYPE_WORDS = {int: "a whole number", float: "a number", str: "a string", bool: "true or false"}


class ControlServer:
    def __init__(self, core: "KioskCore", path: Path) -> None:
        self._core, self.path = core, path
        self._socket: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._stopped = threading.Event()
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)

    def start(self) -> None:
        self.path.unlink(missing_ok=True)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        previous = os.umask(0o177)   # created 0600: no moment where others may connect
        try:
            listener.bind(str(self.path))
        finally:
            os.umask(previous)
        listener.listen(MAX_CONNECTIONS)
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
        """Accept connections; each is answered on its own thread, so a long command (an
        export, a sync) never makes a short one wait. The devices stay serialised by their
        own workers."""
        assert self._socket is not None
        while not self._stopped.is_set():
            try:
                connection, _ = self._socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if not self._slots.acquire(blocking=False):
                with connection:
                    self._send(connection, {"ok": False, "error": "the kiosk is answering "
                                            f"{MAX_CONNECTIONS} requests: try again"})
                continue
            threading.Thread(target=self._handle, args=(connection,), daemon=True,
                             name="control-socket-request").start()

    def _handle(self, connection: socket.socket) -> None:
        try:
            with connection:
                connection.settimeout(COMMAND_TIMEOUT_S)
                try:
                    line = connection.makefile("rb").readline(MAX_REQUEST_BYTES + 1)
                except OSError:       # a client that never finished its line
                    return
                self._send(connection, self._answer(line) if len(line) <= MAX_REQUEST_BYTES
                           else {"ok": False,
                                 "error": f"a request is at most {MAX_REQUEST_BYTES} bytes"})
        finally:
            self._slots.release()

    @staticmethod
    def _send(connection: socket.socket, reply: dict[str, Any]) -> None:
        try:
            connection.sendall(json.dumps(reply, ensure_ascii=False).encode() + b"\n")
        except OSError:
            pass

    def _answer(self, line: bytes) -> dict[str, Any]:
        """Every request is answered, a bad one with what is wrong; none stops the server."""
        try:
            command, fields = checked(json.loads(line))
        except ValueError as error:   # BadRequest, or not JSON at all
            message = str(error) if isinstance(error, BadRequest) else \
                f"a request is one JSON object on one line ({error})"
            return {"ok": False, "error": message}
        if command.needs_no_citizen and self._core.session_active():
            return {"ok": False, "error": "a citizen is using the kiosk: try again when the "
                                          "session ends"}
        try:
            return command.run(self._core, fields)
        except BadRequest as error:
            return {"ok": False, "error": str(error)}
        except Exception as error:
            log.warning("control socket command failed", exc_info=True)
            return {"ok": False, "error": f"{type(error).__name__}: {error}"}


def serving(path: Path) -> bool:
    """Whether a kiosk listens at `path`."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(str(path))
        except (FileNotFoundError, ConnectionRefusedError):
            return False
    return True


def request(path: Path, command: dict[str, Any],
            timeout_s: float | None = None) -> dict[str, Any] | None:
    """Ask the running kiosk; None when none is listening at `path` (open the device then)."""
    if timeout_s is None:
        timeout_s = ANSWER_TIMEOUT_S.get(command.get("command", ""), COMMAND_TIMEOUT_S + 10)
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.settimeout(timeout_s)
    try:
        client.connect(str(path))
    except (FileNotFoundError, ConnectionRefusedError):
        client.close()
        return None
    with client:
        client.sendall(json.dumps(command).encode() + b"\n")
        line = client.makefile("rb").readline()
    if not line:
        return {"ok": False, "error": "the kiosk closed the connection without answering"}
    return json.loads(line)
