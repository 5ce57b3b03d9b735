"""systemd's end of NOTIFY_SOCKET, for the watchdog tests."""
from __future__ import annotations

import socket
from pathlib import Path

import pytest


class FakeSystemd:
    """systemd's end of NOTIFY_SOCKET: a bound Unix datagram socket."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.socket.bind(str(path))
        self.socket.setblocking(False)

    def received(self) -> list[dict[str, str]]:
        """Every message sent so far (a datagram is queued when `sendto` returns)."""
        messages = []
        while True:
            try:
                data = self.socket.recv(4096)
            except BlockingIOError:
                return messages
            messages.append(dict(line.split("=", 1) for line in data.decode().splitlines()))

    def pings(self) -> int:
        """How many watchdog pings arrived since the last look."""
        return sum(1 for message in self.received() if message.get("WATCHDOG") == "1")


@pytest.fixture
def systemd(tmp_path):
    """A fake systemd listening on `tmp_path / "notify"` (import the fixture to use it)."""
    fake = FakeSystemd(tmp_path / "notify")
    yield fake
    fake.socket.close()
