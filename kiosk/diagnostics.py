"""What the maintenance pages ask of the kiosk: every device's health, its test actions and
the confirmation of a guided fix; the offline queue; the configuration in force; the logs.

The pages (kiosk.journeys.maintenance_pages) are screens only; everything that touches a
device, the queue, a file or the audit chain is here, on the core. The `kiosk` CLI's printer
test, test read and queue actions are here too (the functions after the class), run by the
control socket on the running kiosk's devices and queue, or by the CLI itself when none runs. Slow work returns a
future (device commands run on the device's worker; exports and file reads on the journey's
background runner), so the screen never blocks.
"""
from __future__ import annotations

import logging
import shutil
from concurrent.futures import Future
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from devices.model import DeviceEvent, DeviceStatus, Severity
from kiosk.config import load_config
from kiosk.desired_config import apply_pushed
from kiosk.device_counters import StatusEntry
from kiosk.service_state import StaffPerson
from kiosk.audit_chain import audit_event
from kiosk.staff_access import audit_names
from wire.v1 import DESIRED_CONFIG_KEYS

if TYPE_CHECKING:
    from devices.base import Device
    from kiosk.app import KioskCore
    from offline_queue.service import QueueService

log = logging.getLogger(__name__)

#: where removable media are mounted (udisks: /media/<user>/<label>, /run/media/<user>/<label>)
MEDIA_ROOTS = (Path("/media"), Path("/run/media"))
#: identity fields a technician may see of a card read (the rest is masked)
SHOWN_CARD_FIELDS = ("document_type", "source", "reader")


@dataclass(frozen=True)
class DeviceReport:
    name: str
    kind: str
    status: DeviceStatus
    counts: dict[str, Any]
    history: list[StatusEntry]


@dataclass(frozen=True)
class ConfigValue:
    key: str
    value: Any
    source: str


@dataclass(frozen=True)
class SiteFileChange:
    """A site file checked against the configuration in force: what changes, and how."""
    file: str
    live: dict[str, Any]       # applied now
    restart: dict[str, Any]    # not applied: in force from the next start


def masked(value: str) -> str:
    """A card field as a technician may see it: its first and last character only (the
    first of two, none of one), as 张*丰 / 张* on Chinese receipts."""
    if len(value) <= 2:
        return value[:len(value) - 1] + "*" * min(len(value), 1)
    return value[0] + "*" * (len(value) - 2) + value[-1]


def _flatten(values: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, dict) and value and prefix != "devices.":
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


class Diagnostics:
    def __init__(self, core: "KioskCore", media_roots: tuple[Path, ...] = MEDIA_ROOTS) -> None:
        self.core = core
        self.media_roots = media_roots

    def removable_media(self) -> list[Path]:
        """Mounted removable media (a volume under a user's directory of a media root)."""
        found: list[Path] = []
        for root in self.media_roots:
            try:
                found += [volume for user in sorted(root.iterdir()) if user.is_dir()
                          for volume in sorted(user.iterdir()) if volume.is_dir()]
            except OSError:
                continue
        return found

    # --- devices -------------------------------------------------------------------

    def device(self, name: str) -> "Device":
        return self.core.devices[name]

    def devices(self) -> list[DeviceReport]:
        return [self.report(name) for name in self.core.devices.devices]

    def report(self, name: str) -> DeviceReport:
        device = self.device(name)
        return DeviceReport(name, device.kind, device.status, self.core.counters.counts(name),
                            self.core.counters.history(name))

    def watch(self, name: str, listener: Callable[[DeviceStatus], None]) -> Callable[[], None]:
        """`listener(status)` on every status change of the device (on its worker thread)."""
        def changed(event: DeviceEvent) -> None:
            if event.name == "statusChanged":
                listener(self.device(name).status)
        return self.device(name).subscribe(changed)

    def print_test_page(self, name: str) -> Future:
        printer = self.device(name)
        status = printer.status
        page = printer.test_page(status.reason or str(status.availability), self.core.clock.now())
        return _outcome(printer.print_document(page), lambda done: {"bytes": done.bytes_sent})

    def printer_status(self, name: str) -> Future:
        """-> the printer's state as a dict (paper, cover, errors, blocking reason)."""
        return _outcome(self.device(name).read_status(),
                        lambda state: state.as_dict() if state is not None else {})

    def read_card(self, name: str) -> Future:
        """-> what a test read shows (`shown_card`)."""
        return _outcome(self.device(name).read(), shown_card)

    def camera_preview(self, name: str) -> Future:
        """-> one fresh frame with the faces found in it boxed (a PNG data URL, shown on the
        technician's screen only, never stored) and the boxes."""
        from devices.face.preview import face_preview
        return _outcome(self.device(name).capture(), face_preview)

    def open_compartment(self, name: str, *, by: StaffPerson) -> Future:
        """-> which empty compartment opened (a parcel's is never opened by a test), audited
        in the kiosk's chain like every door opened for staff."""
        from kiosk.control_socket import audit_staff_open
        from kiosk.pickup import NoFreeCompartment
        bank = self.device(name)
        try:
            if self.core.pickup is None:
                raise NoFreeCompartment("the lockers are not in service here")
            number = self.core.pickup.empty_compartment()
        except NoFreeCompartment as error:
            failed: Future = Future()
            failed.set_exception(error)
            return failed
        audit_staff_open(self.core, number, by=by, why="diagnostics: door test")
        return _outcome(bank.open(number), lambda opened: {
            "compartment": number, "opened": bool(opened.opened)})

    def scan_code(self, name: str, timeout_s: float = 20.0) -> Future:
        """-> the next code the reader reads within `timeout_s` (its kind, masked), or why
        it was rejected."""
        result: Future = Future()
        device = self.device(name)

        def seen(event: DeviceEvent) -> None:
            if result.done():
                return
            if event.name == "codeRead":
                code = event.data["code"]
                result.set_result({"read": True, "kind": str(code.kind),
                                   "code": masked(code.value), "symbology": code.symbology})
            elif event.name == "codeRejected":
                result.set_result({"read": False, "reason": str(event.data.get("reason", ""))})

        def expire() -> None:
            if not result.done():
                result.set_exception(TimeoutError(f"no code read within {timeout_s:g} s"))
        unsubscribe = device.subscribe(seen)
        timer = self.core.clock.call_later(timeout_s, expire)
        result.add_done_callback(lambda _f: (unsubscribe(), timer.cancel()))
        return result

    def confirm_fix(self, name: str, code: str, *, role: str, staff_id: str) -> None:
        """A guided fix ended with the device's status back to ok: counted and audited."""
        self.core.counters.record_fix(name, code)
        self._audit("device.fixed", role, staff_id, device=name, code=code)
        log.warning("device fixed by staff", extra={"device": name, "code": code})

    # --- queue ---------------------------------------------------------------------

    def queue_status(self) -> dict[str, Any] | None:
        return self.core.queue.status().as_dict() if self.core.queue is not None else None

    def sync_now(self) -> dict[str, Any]:
        """One sync pass now (blocking: run it in the background)."""
        worker = self.core.queue.worker if self.core.queue is not None else None
        if worker is None:
            return {"ok": False, "error": "not enrolled"}
        cycle = worker.sync_once()
        return {"ok": cycle.ok, "delivered": cycle.delivered, "error": cycle.error}

    def retry_set_aside(self) -> int:
        """Put the items set aside after repeated failures back in line."""
        assert self.core.queue is not None
        return release_set_aside(self.core.queue)

    def export_queue(self, target: Path, progress: Callable[[int, int], None],
                     *, role: str, staff_id: str) -> int:
        """Export the undelivered items, still sealed, to `target` (blocking), audited."""
        names = audit_names(StaffPerson(staff_id, role))
        return export_queue(self.core, target, progress=progress, actor=names["actor"],
                            who=names["who"])

    # --- configuration ---------------------------------------------------------------

    def configuration(self) -> list[ConfigValue]:
        """Every effective value with the file it comes from (or the district, when pushed)."""
        loaded = self.core.loaded
        in_use = _flatten(self.core.config.model_dump(mode="json"))
        own = _flatten(loaded.config.model_dump(mode="json"))
        return [ConfigValue(key, value, "district" if own.get(key) != value
                            else str(loaded.origin(key)))
                for key, value in sorted(in_use.items())]

    def site_file(self) -> Path | None:
        return self.core.loaded.site_file

    def check_site_file(self, path: Path) -> SiteFileChange:
        """Validate a changed site file; raises `ConfigError` naming the key, file and fix."""
        return self._check(path)[1]

    def _check(self, path: Path) -> tuple[Any, SiteFileChange]:
        loaded = load_config(path)
        before = _flatten(self.core.loaded.config.model_dump(mode="json"))
        after = _flatten(loaded.config.model_dump(mode="json"))
        changed = {k: v for k, v in after.items() if before.get(k) != v}
        return loaded, SiteFileChange(
            str(path), {k: v for k, v in changed.items() if k in DESIRED_CONFIG_KEYS},
            {k: v for k, v in changed.items() if k not in DESIRED_CONFIG_KEYS})

    def apply_site_file(self, path: Path, *, role: str, staff_id: str) -> SiteFileChange:
        """Re-read the site file: refused whole (`ConfigError` naming the key, the file and the
        fix) when it does not validate; else its changed keys that apply live are in force at
        once, and the others are listed as waiting for the next start (not applied now)."""
        loaded, change = self._check(path)
        own, refused = apply_pushed(self.core.loaded.config, change.live)
        assert not refused, refused  # live keys are desired-state keys, validated by _check
        self.core.loaded = replace(loaded, config=own)
        desired = self.core.queue.desired.current() if self.core.queue is not None else None
        self.core.apply_config(desired.config if desired is not None else {})
        self._audit("config.applied", role, staff_id, file=Path(path).name,
                    keys=",".join(sorted(change.live))[:200],
                    restart=",".join(sorted(change.restart))[:200])
        return change

    # --- logs ------------------------------------------------------------------------

    def log_file(self) -> Path | None:
        from kiosk.logging_setup import current_log_file
        return current_log_file()

    def recent_log_lines(self, count: int = 40) -> list[str]:
        """The last lines of the kiosk's log (already free of personal data)."""
        path = self.log_file()
        if path is None or not path.exists():
            return []
        with path.open("rb") as handle:
            handle.seek(0, 2)
            handle.seek(max(0, handle.tell() - 256 * count))
            lines = handle.read().decode("utf-8", "replace").splitlines()
        return lines[-count:]

    def export_logs(self, target: Path, *, role: str, staff_id: str) -> int:
        """Copy the log and its rotated files to `target`; returns how many files."""
        path = self.log_file()
        if path is None:
            return 0
        target.mkdir(parents=True, exist_ok=True)
        files = sorted(path.parent.glob(path.name + "*"))
        for file in files:
            shutil.copyfile(file, target / file.name)
        self._audit("logs.exported", role, staff_id, files=len(files))
        return len(files)

    def _audit(self, action: str, role: str, staff_id: str, **extra: object) -> None:
        record_audit(self.core, action, by=StaffPerson(staff_id, role), **extra)


def record_audit(core: "KioskCore", action: str, **fields: Any) -> None:
    """An event of the kiosk's own audit chain (carried to the district through the queue);
    `fields` as `audit_event` takes them."""
    if core.event_sink is not None:
        core.event_sink.enqueue("audit", audit_event(action, core.clock.now(), **fields))


# --- shared with the `kiosk` CLI, which runs them on the kiosk's devices and queue through the
# control socket while the kiosk runs, and on its own otherwise ------------------------------

def shown_card(document: Any) -> dict[str, Any]:
    """What a test read shows: the checks' outcomes and masked fields, never the data."""
    return {**{f: getattr(document, f) for f in SHOWN_CARD_FIELDS},
            "document_number": masked(document.document_number),
            "name": masked(document.name), "verified": document.verified,
            "checks": {c.name: str(c.outcome) for c in document.verification}}


def printer_test(printer: Any, printed_at: datetime, png: Path | None = None) -> dict[str, Any]:
    """Print the test page (blocking) and report the printer's real status (DLE EOT) before
    and after; `png`: the simulated printer saves what its virtual printer printed there."""
    printing, state = printer.print_test_page(printed_at)
    result = printing.result()
    report: dict[str, Any] = {
        "device": printer.name, "backend": printer.backend, "ok": result.ok,
        "completion": str(result.completion),
        "error": result.error.as_dict() if result.error else None,
        "printer_state": result.value.state.as_dict() if result.ok and result.value.state
        else (state.as_dict() if state else None),
        "capabilities": printer.capabilities,
        "status": printer.status.as_dict(),
    }
    virtual = getattr(printer, "virtual", None)
    if png is not None and virtual is not None and virtual.jobs:
        report["png"] = str(virtual.last_job.png(png, printer.settings.paper_width_mm))
    return report


def queue_report(queue: "QueueService") -> dict[str, Any]:
    """Depth, set aside, oldest unsent, last success and error, pause; and whether enrolled."""
    return {**queue.status().as_dict(), "enrolled": queue.worker is not None}


def release_set_aside(queue: "QueueService", item: str | None = None) -> int:
    """Put the items set aside (all, or `item`) back in line and lift a pause."""
    released = queue.outbox.release_quarantined(item)
    queue.outbox.set_state(paused=None)
    return released


def retry_queue(queue: "QueueService", item: str | None, *, sync: bool) -> dict[str, Any]:
    """Release the items set aside and, when enrolled and `sync`, run one sync pass now
    (blocking)."""
    result: dict[str, Any] = {"released": release_set_aside(queue, item)}
    if queue.worker is not None and sync:
        cycle = queue.worker.sync_once()
        result.update(synced=cycle.ok, delivered=cycle.delivered,
                      quarantined=cycle.quarantined, error=cycle.error)
    return result


def export_queue(core: "KioskCore", target: Path, *, actor: str, who: str,
                 progress: Callable[[int, int], None] | None = None,
                 include_delivered: bool = False) -> int:
    """Export the kiosk's undelivered items (and the delivered ones kept, with
    `include_delivered`), still sealed, to `target` (blocking), audited."""
    from offline_queue.export import export_items
    assert core.queue is not None
    count = export_items(core.queue.outbox, target, core.clock, progress=progress,
                         include_delivered=include_delivered)
    record_audit(core, "queue.exported", actor=actor, who=who, items=count)
    return count


def _outcome(command: Any, convert: Callable[[Any], Any]) -> Future:
    """A device command as a future of its converted value, or of its error."""
    result: Future = Future()

    def done(command_result: Any) -> None:
        if command_result.ok:
            result.set_result(convert(command_result.value))
        else:
            result.set_exception(command_result.error)
    command.on_complete(done)
    return result


def is_ok(status: DeviceStatus) -> bool:
    """The status a guided fix waits for: usable, no error, no warning."""
    return status.usable and status.severity is Severity.OK and not status.error_code
