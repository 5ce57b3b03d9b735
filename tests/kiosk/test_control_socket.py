"""The running kiosk's control socket: every bad request is answered with what is wrong, acts
on nothing, records nothing, and the socket goes on serving."""
from __future__ import annotations

import json
import threading
import socket

import pytest

from kiosk.control_socket import SOCKET_NAME, request
from kiosk.pickup_secrets import hash_secret
from launcher.cli import Context
from tests.kiosk.test_core import ListSink
from tests.launcher.cli.running_kiosk import running_kiosk
from wire import v1


@pytest.fixture
def kiosk(tmp_path, test_clock):
    with running_kiosk(Context(None, tmp_path), test_clock, event_sink=ListSink()) as core:
        yield core


def ask(core, line: bytes) -> dict:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.connect(str(core.data_dir / SOCKET_NAME))
        client.sendall(line)
        return json.loads(client.makefile("rb").readline())


BAD_REQUESTS = [
    (b"open door 4\n", "a request is one JSON object on one line"),
    (b'["locker.open", 4]\n', "a request is one JSON object"),
    (b'{"number": 4}\n', "unknown command None (known: locker.status, locker.open, "
                         "printer.test, id.read, queue.status, queue.retry, queue.export)"),
    (b'{"command": "locker.explode"}\n', "unknown command 'locker.explode'"),
    (b'{"command": "locker.open"}\n', "locker.open: 'number', 'staff_id', 'pin' is required"),
    (b'{"command": "locker.open", "number": "4"}\n',
     "locker.open: 'number' must be a whole number, not '4'"),
    (b'{"command": "locker.open", "number": true}\n',
     "locker.open: 'number' must be a whole number, not True"),
    (b'{"command": "locker.open", "number": 99, "staff_id": "T001", "pin": "123456"}\n',
     "there is no compartment 99"),
    (b'{"command": "printer.test", "copies": 2}\n',
     "printer.test: unknown field 'copies' (takes png)"),
    (b'{"command": "locker.status", "verbose": true}\n',
     "locker.status: unknown field 'verbose' (takes no fields)"),
    (b'{"command": "id.read", "bac": "E12345678:900199:320101"}\n', "bac: "),
    (b'{"command": "id.read", "timeout": 3600}\n', "timeout must be more than 0 and at most 30 s"),
    (b'{"command": "queue.retry", "sync": "yes"}\n',
     "queue.retry: 'sync' must be true or false, not 'yes'"),
    (b'{"command": "queue.status"}\n', "this kiosk runs without its offline queue"),
    (b'{"command": "locker.status", "pad": "' + b"x" * 10_000 + b'"}\n',
     "a request is at most 4096 bytes"),
    (b'{"command": "queue.export", "directory": "usb"}\n',
     "this kiosk runs without its offline queue"),
]


def test_bad_requests_get_a_clear_error_and_change_nothing(kiosk):
    bank = kiosk.devices.for_role("locker_bank")[0]
    doors = dict(bank.door_states())
    for line, error in BAD_REQUESTS:
        reply = ask(kiosk, line)
        assert reply["ok"] is False and error in reply["error"], (line, reply)
    assert kiosk.event_sink.items == []                 # nothing acted on, nothing audited
    assert bank.door_states() == doors
    # a client that hangs up before finishing its line does not stop the socket either
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.connect(str(kiosk.data_dir / SOCKET_NAME))
        client.sendall(b'{"command": "locker.')
    reply = request(kiosk.data_dir / SOCKET_NAME, {"command": "locker.status"})
    assert reply["ok"] is True and len(reply["compartments"]) == 16


def test_a_test_read_or_page_is_refused_while_a_citizen_is_served(kiosk):
    """The reader and the printer are the citizen's during a session: a test would disturb
    the journey, so the kiosk refuses it and reads nothing; status and lockers still answer."""
    kiosk.session_active = lambda: True
    for command in ({"command": "id.read"}, {"command": "printer.test"}):
        reply = request(kiosk.data_dir / SOCKET_NAME, command)
        assert reply == {"ok": False, "error": "a citizen is using the kiosk: try again when "
                                               "the session ends"}
    assert kiosk.event_sink.items == []
    assert request(kiosk.data_dir / SOCKET_NAME, {"command": "locker.status"})["ok"] is True
    kiosk.session_active = lambda: False
    reply = request(kiosk.data_dir / SOCKET_NAME, {"command": "id.read"})
    assert reply["ok"] is True and reply["read"]["verified"] is True
    [(kind, audit)] = kiosk.event_sink.items
    assert audit["action"] == "id.test_read"


def test_a_door_opened_for_hall_staff_is_audited_with_their_role(kiosk):
    """The audit chain names who really opened the door: hall staff are not technicians."""
    kiosk.maintenance.access.update([v1.KioskStaff(staff_id="H001", role="hall_staff",
                                                   pin_hash=hash_secret("246810", n=2 ** 10))])
    reply = request(kiosk.data_dir / SOCKET_NAME, {"command": "locker.open", "number": 3,
                                                   "staff_id": "H001", "pin": "246810"})
    assert reply["ok"] is True
    [(kind, audit)] = kiosk.event_sink.items
    assert (audit["action"], audit["actor"], audit["who"], audit["role"]) == (
        "locker.open", "staff", "staff:H001", "hall_staff")


def test_no_kiosk_listening_is_no_answer(tmp_path):
    """A socket file left by a kiosk that ended: the command opens the device itself."""
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(tmp_path / SOCKET_NAME))
    stale.close()
    assert request(tmp_path / SOCKET_NAME, {"command": "locker.status"}) is None
    assert request(tmp_path / "nothing.sock", {"command": "locker.status"}) is None


def test_a_long_request_does_not_make_another_wait(kiosk, monkeypatch):
    """An export still running (held here until released) and a client that never finishes
    its line: a locker status on another connection is answered meanwhile."""
    from concurrent.futures import ThreadPoolExecutor

    from kiosk import control_socket
    started, release = threading.Event(), threading.Event()

    def long_export(_core, _request):
        started.set()
        assert release.wait(60)
        return {"ok": True, "export": {"exported": 0}}

    monkeypatch.setitem(control_socket.COMMANDS, "queue.export",
                        control_socket.Command(long_export, {"directory": str}, ("directory",)))
    path = kiosk.data_dir / SOCKET_NAME
    with ThreadPoolExecutor(1) as pool, \
            socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as unfinished:
        unfinished.connect(str(path))
        unfinished.sendall(b'{"command": "locker.')
        export = pool.submit(request, path, {"command": "queue.export", "directory": "/x"})
        assert started.wait(60)
        status = request(path, {"command": "locker.status"})
        assert status["ok"] is True and len(status["compartments"]) == 16
        assert not export.done()
        release.set()
        assert export.result(60) == {"ok": True, "export": {"exported": 0}}
