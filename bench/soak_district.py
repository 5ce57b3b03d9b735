"""The soak's district server as a real peer: the demo's server in a process of its own.

A kiosk in the field never hosts its district: run in the soak's process, the server's
memory (its SQLite database and page cache growing with every application, its Python
objects, uvicorn's state) and threads would count against the kiosk's. `DistrictPeer`
starts `launcher.demo.EmbeddedServer` in a child process (spawned, not forked: the soak's
process has threads) and answers what the demo asks of its server (its URL, an enrolment
token, the demo parcel, the line cut) over a pipe, so the kiosk talks to it over TCP as it
would to the district's.
"""
from __future__ import annotations

import multiprocessing
import traceback
from pathlib import Path
from typing import Any


class DistrictPeerError(RuntimeError):
    pass


def serve(data_dir: Path, connection: Any) -> None:
    """The child: start the server, answer requests until told to stop."""
    from launcher.demo import EmbeddedServer
    server = EmbeddedServer(data_dir)
    try:
        connection.send((True, server.start()))
        while True:
            try:
                name, args = connection.recv()
            except EOFError:   # the soak is gone (killed): so is its district
                break
            if name == "stop":
                break
            try:
                connection.send((True, getattr(server, name)(*args)))
            except Exception:   # the soak says what failed; the server goes on
                connection.send((False, traceback.format_exc()))
    except Exception:
        connection.send((False, traceback.format_exc()))
    finally:
        server.stop()
        connection.close()


class DistrictPeer:
    """The demo's district server in a child process, with EmbeddedServer's interface."""

    def __init__(self, data_dir: Path, start_timeout_s: float = 120.0) -> None:
        context = multiprocessing.get_context("spawn")
        self._connection, child_end = context.Pipe()
        self._process = context.Process(target=serve, args=(data_dir, child_end),
                                        name="soak-district", daemon=True)
        self._process.start()
        child_end.close()
        self.url = self._answer(start_timeout_s)

    @property
    def pid(self) -> int:
        return self._process.pid

    def _answer(self, timeout_s: float) -> Any:
        if not self._connection.poll(timeout_s):
            raise DistrictPeerError(f"the district server's process did not answer within "
                                    f"{timeout_s} s")
        ok, value = self._connection.recv()
        if not ok:
            raise DistrictPeerError(f"the district server's process failed:\n{value}")
        return value

    def _ask(self, name: str, *args: Any, timeout_s: float = 60.0) -> Any:
        self._connection.send((name, args))
        return self._answer(timeout_s)

    def enrollment_token(self, kiosk_id: str) -> str:
        return self._ask("enrollment_token", kiosk_id)

    def add_demo_parcel(self, kiosk_id: str) -> None:
        self._ask("add_demo_parcel", kiosk_id)

    def set_network_cut(self, cut: bool) -> None:
        self._ask("set_network_cut", cut)

    def stop(self, timeout_s: float = 30.0) -> None:
        if self._process.is_alive():
            try:
                self._connection.send(("stop", ()))
            except OSError:   # the child is already gone
                pass
            self._process.join(timeout_s)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._connection.close()
