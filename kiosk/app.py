"""Composition root: configuration -> devices -> queue -> face and pickup services.

`KioskCore` is everything the kiosk is without a screen; `ui/` renders it, the CLI
commands inspect it, tests drive it with a `TestClock`. It owns the wiring between
subsystems that do not know each other: the offline queue is the event sink of every
journey and of the pickup service; a desired state applied by the sync worker (between
sessions) puts its catalogue in use for the journeys that start next, applies its
configuration keys (or refuses them, reported) and hands its locker assignments to the
pickup service; the district's remote commands reach `RemoteCommands` through the sync
worker; the face service runs in its child process.
"""
from __future__ import annotations

import logging
import threading
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from devices.model import Availability, DeviceEvent, DeviceStatus
from devices.registry import DeviceRegistry, build_registry
from kiosk._version import __version__
from kiosk.availability import JourneyAvailability, journey_availability
from kiosk.catalogue_in_use import CatalogueInUse
from kiosk.service_state import STORAGE, ServiceSnapshot, ServiceState
from foundation.clock import Clock, SystemClock
from kiosk.config import KioskConfig, LoadedConfig
from kiosk.desired_config import apply_pushed
from kiosk.device_counters import DeviceCounters
from kiosk.logging_setup import log_directory
from kiosk.maintenance import Maintenance
from kiosk.staff_access import StaffAccess
from kiosk.unclean_ends import UncleanEnds
from foundation.events import EventSink
from wire.v1 import canonical_json, sha256_hex

if TYPE_CHECKING:
    from devices.face.service import FaceService
    from kiosk.housekeeping import NightlyHousekeeping
    from kiosk.journeys.services import CitizenBackends
    from kiosk.pickup import PickupService
    from kiosk.updates import Updater
    from offline_queue.bundle_download import BundleDownload
    from offline_queue.service import QueueService
    from wire.v1 import DesiredState

log = logging.getLogger(__name__)

AvailabilityListener = Callable[[dict[str, JourneyAvailability]], None]
ConfigListener = Callable[[KioskConfig], None]

#: how often `server_reachable` follows the sync worker's last pass
SYNC_FOLLOW_INTERVAL_S = 5.0


def device_health(kind: str, status: DeviceStatus, counts: dict[str, Any]) -> dict[str, object]:
    """One device as the district sees it (wire.v1.DeviceHealth): reasons are technicians'
    messages, never personal data (devices/model.py); `counts`: DeviceCounters.counts."""
    return {"availability": str(status.availability), "severity": str(status.severity),
            "detail": status.reason[:500], "kind": kind,
            "units": {unit: str(state) for unit, state in status.units.items()},
            "error_code": status.error_code, "action": str(status.action or ""),
            "since": status.last_change.isoformat() if status.last_change else None,
            "counters": {"counts": {name: value for name, value in counts.items()
                                    if name not in ("errors", "fixes")},
                         "errors": counts["errors"], "fixes": counts["fixes"]}}


def config_version(config: KioskConfig) -> str:
    """The configuration in use, named by its content (wire.v1.ReportedState.config_version)."""
    return sha256_hex(canonical_json(config.model_dump(mode="json")))[:12]


class KioskCore:
    def __init__(self, loaded: LoadedConfig, data_dir: Path, devices: DeviceRegistry, *,
                 clock: Clock, event_sink: EventSink | None) -> None:
        self.loaded = loaded
        #: the configuration in use: the kiosk's own (`loaded.config`) with the district's
        #: desired-state keys applied
        self.config = loaded.config
        #: desired-state configuration keys not applied, and why
        self.config_refused: dict[str, str] = {}
        #: the number of the district's configuration version applied (None: none, or a
        #: district that does not number them)
        self.config_number: int | None = None
        self._config_listeners: list[ConfigListener] = []
        self.data_dir = data_dir
        self.devices = devices
        self.clock = clock
        #: every device's durable counters and recent status history
        self.counters = DeviceCounters.in_dir(data_dir, clock)
        self.counters.listen(devices.subscribe)
        self.event_sink = event_sink
        self.queue: QueueService | None = None
        self.face: FaceService | None = None
        self.pickup: PickupService | None = None
        #: the catalogue journeys starting now use (bundled until the district's is applied)
        self.catalogue = CatalogueInUse()
        self.server_reachable = True
        #: in service, maintenance or out of service, and every stop in force (the offline
        #: queue that cannot store is the `STORAGE` stop)
        self.service = ServiceState()
        #: entering and leaving maintenance (made by `create`)
        self.maintenance: Maintenance | None = None
        #: set by the UI: whether a citizen is in a journey (desired state waits for the end)
        self.session_active: Callable[[], bool] = lambda: False
        self._listeners: list[AvailabilityListener] = []
        self._last: dict[str, JourneyAvailability] = {}
        self._lock = threading.Lock()
        self._stopped = False
        self._followed: object = None  # the sync worker's last pass already mirrored
        self._restart_listeners: list[Callable[[], None]] = []
        #: ends without a clean stop, counted across starts (reported as `crashes`)
        self.unclean_ends = UncleanEnds(data_dir)
        self._control: object = None   # the control socket, while `kiosk run` serves it
        #: the nightly housekeeping of the offline queue and logs (kiosk/housekeeping.py)
        self.housekeeping: NightlyHousekeeping | None = None
        #: application updates (kiosk/updates.py); None when not installed in slots
        self.updates: Updater | None = None
        self._bundle_download: BundleDownload | None = None
        self._unsubscribe = devices.subscribe(self._on_device_event)
        self.service.subscribe(self._service_changed)

    @classmethod
    def create(cls, loaded: LoadedConfig, data_dir: Path, *, clock: Clock | None = None,
               event_sink: EventSink | None = None, queue: "QueueService | None" = None,
               with_queue: bool = True, with_face: bool = True) -> "KioskCore":
        """Build the kiosk. The offline queue under `data_dir` is opened unless `queue` (one
        already opened, e.g. enrolled by the demo) or `event_sink` (tests) is given;
        `with_face` False leaves the face child process out (commands with no camera)."""
        clock = clock or SystemClock()
        data_dir.mkdir(parents=True, exist_ok=True)
        devices = build_registry(loaded.devices, loaded.config.roles, clock=clock)
        if loaded.site_file is None:
            log.warning("no site configuration: every device uses its simulator",
                        extra={"simulated": loaded.simulated_devices})
        elif loaded.simulated_devices:
            log.warning("some devices use their simulator",
                        extra={"simulated": loaded.simulated_devices})
        core = cls(loaded, data_dir, devices, clock=clock, event_sink=event_sink)
        if queue is None and with_queue and event_sink is None:
            from offline_queue.service import QueueService
            queue = QueueService.open(loaded.config.queue, loaded.config.server, data_dir,
                                      clock, app_version=__version__)
        if queue is not None:
            core.queue = queue
            core.event_sink = queue.sink
            if queue.worker is not None:
                from kiosk.remote_commands import RemoteCommands
                queue.worker.session_active = lambda: core.session_active()
                queue.worker.report_extra = core.reported
                queue.worker.command_handler = RemoteCommands(core, queue.worker).handle
            core._build_housekeeping(queue)
            core._build_updates(queue)
        if core.event_sink is not None:
            from kiosk.audit_chain import open_chain
            core.event_sink = open_chain(core.event_sink, data_dir)
        if with_face:
            from devices.face.service import FaceService
            core.face = FaceService(loaded.config.face, clock=clock)
        core._build_pickup()
        core.maintenance = Maintenance(
            core.service, StaffAccess(data_dir, loaded.config.maintenance, clock), clock=clock,
            inactivity_s=loaded.config.maintenance.inactivity_s, events=core.event_sink)
        if core.queue is not None:
            core.queue.desired.on_applied(core._desired_state_applied)
            current = core.queue.desired.current()
            if current is not None:
                core._desired_state_applied(current)
        return core

    # --- wiring ----------------------------------------------------------------

    def _build_pickup(self) -> None:
        lockers = self.devices.for_role("locker_bank")
        if not lockers or self.event_sink is None:
            return
        from kiosk.pickup import PickupService
        key = b""
        if self.queue is not None and self.queue.worker is not None:
            key = self.queue.worker.identity.holder_hmac_key
        else:
            log.warning("kiosk not enrolled: pickup after identification is unavailable until "
                        "the district key arrives; pickup codes still work")
        self.pickup = PickupService.create(self.data_dir, self.config.lockers, lockers=lockers[0],
                                           events=self.event_sink, clock=self.clock,
                                           district_key=key)

    def _build_updates(self, queue: "QueueService") -> None:
        from kiosk.updates import BundleSlots, Updater
        from offline_queue.bundle_download import BundleDownload
        slots = BundleSlots(Path(self.config.updates.root))
        worker = queue.worker
        if worker is None or not slots.link.is_symlink():
            log.info("application updates off: not enrolled, or %s is not a slot link "
                     "(deploy/install-kiosk.sh makes it)", slots.link)
            return
        self.updates = Updater(slots, clock=self.clock, running_version=__version__,
                               restart=self.request_restart,
                               session_active=lambda: self.session_active(),
                               settings=self.config.updates)
        self._bundle_download = BundleDownload(
            worker.transport, slots.download_dir, verify_key=worker.identity.receipt_keys,
            clock=self.clock, rate_bytes_per_s=self.config.updates.rate_bytes_per_s)
        worker.bundle_updates = True

    def update_healthy(self, condition: str) -> None:
        """The UI saw a health condition of a version on trial hold (kiosk/updates.py); the
        state is written on a timer thread, not the caller's."""
        if self.updates is not None:
            updates = self.updates
            self.clock.call_later(0, lambda: updates.healthy(condition))

    def _desired_state_applied(self, state: "DesiredState") -> None:
        """Runs where the desired state is applied: between sessions (offline_queue)."""
        assert self.queue is not None
        if self.updates is not None and self._bundle_download is not None \
                and state.bundle_version:
            self.updates.offer(self._bundle_download, state.bundle_version)
        self.catalogue.apply(self.queue.desired.catalogue_path(state), state.catalogue_version)
        self.config_number = state.config_number
        self.apply_config(state.config)
        if self.maintenance is not None:
            self.maintenance.access.update(state.staff)
        if self.pickup is None:
            return
        from kiosk.pickup import Parcel
        self.pickup.assign(Parcel(parcel_id=a.parcel_id, case_number=a.case_number,
                                  compartment=a.compartment, size=a.size or "",
                                  holder_hmac=a.holder_hmac,
                                  code_hash=a.code_hash, expires_at=a.expires_at,
                                  items=tuple(a.items))
                           for a in state.locker_assignments)

    def reapply_desired_state(self, state: "DesiredState") -> None:
        """Apply the desired state in use again (the district's "reload configuration")."""
        self._desired_state_applied(state)

    def log_dir(self) -> Path:
        return log_directory(self.config.logging, self.data_dir)

    def on_restart(self, listener: Callable[[], None]) -> None:
        """`listener()` runs when the district asks for a restart (`kiosk run` ends the
        process for the service manager to start it again)."""
        self._restart_listeners.append(listener)

    def request_restart(self, why: str = "the district asked") -> None:
        log.warning("restart requested: %s", why)
        for listener in list(self._restart_listeners):
            listener()

    def apply_config(self, pushed: dict) -> None:
        """The desired state's configuration keys over the kiosk's own configuration."""
        config, self.config_refused = apply_pushed(self.loaded.config, pushed)
        if self.config_refused:
            log.error("desired-state configuration keys refused",
                      extra={"refused": self.config_refused})
        if config == self.config:
            return
        self.config = config
        for listener in list(self._config_listeners):
            listener(config)
        self._republish()

    def on_config_changed(self, listener: ConfigListener) -> Callable[[], None]:
        """`listener(config)` runs (on the sync worker's thread, between sessions) when the
        district's desired state changes the configuration in use."""
        self._config_listeners.append(listener)
        return lambda: (self._config_listeners.remove(listener)
                        if listener in self._config_listeners else None)

    def refused(self) -> dict[str, str]:
        """What of the district's desired state this kiosk did not apply, and why."""
        refused = dict(self.config_refused)
        if self.catalogue.refused:
            refused["catalogue"] = self.catalogue.refused
        worker = self.queue.worker if self.queue is not None else None
        if worker is not None and worker.desired_refused:
            refused["desired_state"] = worker.desired_refused
        return refused

    def reported(self) -> dict[str, object]:
        """What the core adds to the reported state: the catalogue really in use, what of
        the desired state it refused, the configuration in use (by content, and the
        district's version number), the service state, every
        device's health with its consumables and doors, current error and counters, free compartments by size, and whether a citizen session runs
        (never who), how often the app ended uncleanly, and where updates stand."""
        free = {"free_compartments": self.pickup.free_compartments()} if self.pickup else {}
        update = {"update": self.updates.report()} if self.updates is not None else {}
        return {**free, "catalogue_version": self.catalogue.edition().version,
                "refused": {k: v[:500] for k, v in self.refused().items()},
                "service_state": self.service.snapshot().as_dict(limit=500),
                "config_version": config_version(self.config),
                "config_number": self.config_number,
                "devices": {name: device_health(device.kind, device.status,
                                                self.counters.counts(name))
                            for name, device in self.devices.devices.items()},
                "session_active": bool(self.session_active()),
                "crashes": self.unclean_ends.count, **update}

    @cached_property
    def citizen_backends(self) -> "CitizenBackends":
        """The journeys' citizen-services client and local pending cases, made on first use
        and kept as long as the core."""
        from kiosk.journeys.services import citizen_backends
        return citizen_backends(self)

    def session_ended(self) -> None:
        """Called by the UI when a citizen's visit ends: the sync worker's next cycle, run
        now, applies a staged desired state and runs the district's commands that waited for
        the screen (its files are written on that thread, not the caller's)."""
        if self.queue is not None and self.queue.worker is not None:
            self.queue.worker.wake()

    # --- lifecycle -------------------------------------------------------------

    def start(self) -> None:
        self.unclean_ends.started()
        self.devices.start()
        if self.face is not None:
            self.face.start()  # spawns the child; models load in the background
        if self.queue is not None:
            self.queue.start()
            self._follow_sync()
            self._watch_storage()
        if self.housekeeping is not None:
            self.housekeeping.start()
        if self.updates is not None:
            self._start_updates(self.updates)
        if self.pickup is not None:
            pickup = self.pickup

            def reconcile_when_online(event: DeviceEvent) -> None:
                if event.name == "statusChanged" and event.changes.get("availability") == "online":
                    pickup.reconcile()
            pickup.lockers.subscribe(reconcile_when_online)

    def _start_updates(self, updates: "Updater") -> None:
        """Go on with an update on trial and watch for its health conditions of the core: the
        devices opened, the queue read, a sync pass that reached the district."""
        updates.start()
        assert self.queue is not None
        self.queue.outbox.counts()  # raises when the queue cannot be read
        updates.healthy("queue_readable")
        failed = (Availability.STARTING, Availability.HARDWARE_ERROR)
        opened = threading.Event()

        def devices_open(_event: object = None) -> None:
            if not opened.is_set() and all(device.status.availability not in failed
                                           for device in self.devices.devices.values()):
                opened.set()
                updates.healthy("devices_open")
        self.devices.subscribe(devices_open)
        devices_open()

    def _build_housekeeping(self, queue: "QueueService") -> None:
        from kiosk.housekeeping import NightlyHousekeeping
        from kiosk.logging_setup import rotate_logs
        worker = queue.worker
        self.housekeeping = NightlyHousekeeping(
            self.config.housekeeping, clock=self.clock, outbox=queue.outbox,
            purge=worker.housekeeping if worker is not None
            else queue.outbox.collect_orphan_blobs,
            rotate_logs=rotate_logs, session_active=lambda: self.session_active())

    def wait_settled(self, timeout_s: float = 20.0) -> list[str]:
        """Wait (real time) until no device is still starting; returns those that still are.

        Devices open on their own workers; the kiosk shows its first screen once each has
        said whether it is there, so the attract screen does not flash "unavailable"."""
        settled = threading.Event()

        def starting() -> list[str]:
            return [d.name for d in self.devices.devices.values()
                    if d.status.availability is Availability.STARTING]

        def check(_event: object = None) -> None:
            if not starting():
                settled.set()
        unsubscribe = self.devices.subscribe(check)
        try:
            check()
            settled.wait(timeout_s)
        finally:
            unsubscribe()
        return starting()

    def _follow_sync(self) -> None:
        """Mirror the sync worker's last pass (did the server answer?) into
        `server_reachable`, which the attract screen shows ("offline: applications are
        still accepted") and which ticket availability needs."""
        worker = self.queue.worker if self.queue is not None else None
        if worker is None or self._stopped:
            return
        result = worker.last_result
        # only a new pass speaks: a state set since (the demo cutting its network) stands
        # until the worker has actually tried again
        if result is not None and result is not self._followed:
            self._followed = result
            if result.ok != self.server_reachable:
                self.set_server_reachable(result.ok)
            if result.ok and self.updates is not None:
                self.updates.healthy("sync_succeeded")
        self.clock.call_later(SYNC_FOLLOW_INTERVAL_S, self._follow_sync)

    def _watch_storage(self) -> None:
        """The one stop for applications while the queue cannot store (the disk guard, a
        database that cannot be written): the journey is withdrawn, with the reason, until
        it can again; staff are alerted through the log and `kiosk doctor`."""
        if self.queue is None or self._stopped:
            return
        problem = self.queue.sink.storage_problem()
        if problem != self.service.snapshot().stops.get(STORAGE):
            if problem:
                log.error("applications stopped: the offline queue cannot store",
                          extra={"reason": problem})
                self.service.stop(STORAGE, problem)
            else:
                log.warning("applications resumed: the offline queue can store again")
                self.service.resume(STORAGE)
        self.clock.call_later(SYNC_FOLLOW_INTERVAL_S, self._watch_storage)

    def serve_control(self) -> None:
        """Serve the local control socket (`kiosk run` only): the CLI's device commands then
        go through this kiosk instead of opening its devices a second time."""
        from kiosk.control_socket import SOCKET_NAME, ControlServer
        control = ControlServer(self, self.data_dir / SOCKET_NAME)
        control.start()
        self._control = control

    def stop(self) -> None:
        if self._control is not None:
            self._control.stop()
        self._stopped = True
        self._unsubscribe()
        if self.housekeeping is not None:
            self.housekeeping.stop()
        if self.updates is not None:
            self.updates.stop()
        if self._bundle_download is not None:
            self._bundle_download.stop.set()
        if self.pickup is not None:
            self.pickup.close()
        if self.queue is not None:
            self.queue.stop()
        if self.face is not None:
            self.face.stop()
        self.devices.stop()
        self.unclean_ends.stopped()

    # --- availability ------------------------------------------------------------

    def availability(self) -> dict[str, JourneyAvailability]:
        return journey_availability(self.devices, self.config.kiosk.journeys,
                                    server_reachable=self.server_reachable,
                                    service=self.service.snapshot())

    def subscribe(self, listener: AvailabilityListener) -> Callable[[], None]:
        """`listener(availability)` runs (on a device worker thread) whenever it changes."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def set_server_reachable(self, reachable: bool) -> None:
        self.server_reachable = reachable
        self._republish()

    def _service_changed(self, snapshot: ServiceSnapshot) -> None:
        log.warning("service state changed", extra=snapshot.as_dict())
        self._republish()

    def _on_device_event(self, event: DeviceEvent) -> None:
        if event.name == "statusChanged":
            self._republish()

    def _republish(self) -> None:
        current = self.availability()
        with self._lock:
            if current == self._last:
                return
            self._last = current
        for listener in list(self._listeners):
            listener(current)
