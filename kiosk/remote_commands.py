"""The district's remote commands, carried out by the kiosk (wire.v1.CommandKind).

The sync worker takes them on its heartbeat and hands each here on its own thread
(offline_queue.sync.SyncWorker.command_handler). A command that would disturb a citizen
(wire.v1.SCREEN_COMMANDS) is left while a session runs: the district hands it over again on
each heartbeat, and the end of the session wakes the worker for it. Each command is
recorded "running" before it acts and never runs twice; its outcome goes back to the
district.
"""
from __future__ import annotations

import io
import logging
import tarfile
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from kiosk.control_socket import COMMAND_TIMEOUT_S, open_for_staff
from kiosk.service_state import DISTRICT
from wire.v1 import MAX_BLOB_BYTES, SCREEN_COMMANDS, KioskCommand

if TYPE_CHECKING:
    from kiosk.app import KioskCore
    from offline_queue.sync import SyncWorker

log = logging.getLogger(__name__)


class CommandFailed(Exception):
    """The command could not be carried out; the message says why (sent to the district)."""


class RemoteCommands:
    def __init__(self, core: "KioskCore", worker: "SyncWorker") -> None:
        self._core, self._worker = core, worker
        self._actions: dict[str, Callable[[KioskCommand], tuple[str, str | None]]] = {
            "reload_config": self._reload_config,
            "out_of_service": self._out_of_service,
            "back_in_service": self._back_in_service,
            "open_compartment": self._open_compartment,
            "print_test_page": self._print_test_page,
            "collect_logs": self._collect_logs,
            "restart_app": self._restart_app,
        }

    def handle(self, command: KioskCommand) -> None:
        if command.kind in SCREEN_COMMANDS and self._core.session_active():
            log.info("remote command waits for the citizen's session to end",
                     extra={"command_id": command.command_id, "kind": command.kind})
            return
        record = self._worker.record_command_result
        record(command.command_id, "running")
        log.warning("remote command", extra={"command_id": command.command_id,
                                             "kind": command.kind})
        try:
            detail, blob = self._actions[command.kind](command)
        except Exception as error:   # any failure is the district's to know, never fatal
            log.warning("remote command failed", exc_info=True,
                        extra={"command_id": command.command_id, "kind": command.kind})
            record(command.command_id, "failed", f"{error}" if isinstance(error, CommandFailed)
                   else f"{type(error).__name__}: {error}")
            return
        record(command.command_id, "succeeded", detail, blob)
        if command.kind == "restart_app":
            self._core.request_restart()

    # --- the commands ----------------------------------------------------------------

    def _reload_config(self, _command: KioskCommand) -> tuple[str, str | None]:
        state = self._worker.refresh_desired_state()
        if state is None:
            raise CommandFailed("no desired state has been received from the district yet")
        self._core.reapply_desired_state(state)
        return f"desired state version {state.version} in use", None

    def _out_of_service(self, command: KioskCommand) -> tuple[str, str | None]:
        self._core.service.stop(DISTRICT, str(command.args.get("reason", "")))
        return str(self._core.service.mode), None

    def _back_in_service(self, _command: KioskCommand) -> tuple[str, str | None]:
        self._core.service.resume(DISTRICT)
        return str(self._core.service.mode), None

    def _open_compartment(self, command: KioskCommand) -> tuple[str, str | None]:
        banks = self._core.devices.for_role("locker_bank")
        if not banks:
            raise CommandFailed("no locker bank is configured")
        number = int(command.args["number"])
        reply = open_for_staff(self._core, banks[0], number,
                               by=f"district:{command.command_id}",
                               why=str(command.args.get("reason", "")))
        if not reply["ok"]:
            raise CommandFailed(f"compartment {number}: {reply['error'] or reply['completion']}")
        if not reply["opened"]:
            raise CommandFailed(f"compartment {number} did not open")
        return f"compartment {number} opened", None

    def _print_test_page(self, _command: KioskCommand) -> tuple[str, str | None]:
        printers = self._core.devices.for_role("receipt_printer")
        if not printers:
            raise CommandFailed("no receipt printer is configured")
        printing, _state = printers[0].print_test_page(self._core.clock.now())
        result = printing.result(COMMAND_TIMEOUT_S)
        if not result.ok:
            raise CommandFailed(f"{result.completion}: "
                                f"{result.error.message if result.error else ''}")
        return "test page printed", None

    def _collect_logs(self, _command: KioskCommand) -> tuple[str, str | None]:
        directory = self._core.log_dir()
        files = sorted(directory.glob("*.log*")) if directory.is_dir() else []
        if not files:
            raise CommandFailed(f"no log files in {directory}")
        archive = logs_archive(files)
        sha = self._worker.upload_sealed(archive)
        return f"{len(files)} log file(s), {len(archive)} bytes, sealed for the district", sha

    def _restart_app(self, _command: KioskCommand) -> tuple[str, str | None]:
        return "restarting", None


def logs_archive(files: list[Path], limit: int = MAX_BLOB_BYTES // 2) -> bytes:
    """The log files as a gzipped tar, newest kept first when they exceed `limit` (the log
    records carry no personal data: kiosk.logging_setup scrubs them)."""
    buffer = io.BytesIO()
    total = 0
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for path in sorted(files, key=lambda p: p.stat().st_mtime, reverse=True):
            size = path.stat().st_size
            if total + size > limit:
                break
            archive.add(path, arcname=path.name)
            total += size
    return buffer.getvalue()
