"""Composition of the queue for the kiosk app and the CLI: outbox, sink, sync worker.

`QueueService.open(queue_section, server_section, data_dir, clock)` gives the kiosk its
`EventSink` (`service.sink`) at once, enrolled or not (not enrolled, `enqueue` raises
`NotEnrolled`, a `StorageUnavailable`); `start()` runs the sync worker once the kiosk is
enrolled.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from foundation.clock import Clock
from offline_queue.desired_state import DesiredStateStore
from offline_queue.errors import NotEnrolled
from offline_queue.identity import KioskIdentity
from offline_queue.sink import OutboxSink, default_queue_dir
from offline_queue.store import Outbox
from offline_queue.sync import QueueStatus, SyncSettings, SyncWorker, queue_status
from offline_queue.transport import SignedTransport


@dataclass
class QueueService:
    outbox: Outbox
    sink: OutboxSink
    desired: DesiredStateStore
    clock: Clock
    settings: SyncSettings
    worker: SyncWorker | None = None

    @staticmethod
    def open(queue: Any, server: Any, data_dir: Path, clock: Clock, *,
             session_active: Callable[[], bool] = lambda: False,
             report_extra: Callable[[], dict[str, Any]] = dict,
             app_version: str = "") -> "QueueService":
        """`queue`/`server` are the [queue]/[server] config sections."""
        directory = default_queue_dir(data_dir, queue.dir)
        outbox = Outbox(directory)
        settings = SyncSettings.from_section(queue)
        service = QueueService(outbox, OutboxSink(outbox, clock=clock,
                                                  min_free_bytes=queue.min_free_bytes,
                                                  max_item_bytes=queue.max_item_bytes),
                               DesiredStateStore(directory), clock, settings)
        try:
            identity = KioskIdentity.load(directory)
        except NotEnrolled:
            return service
        transport = SignedTransport(server.url or identity.server_url, identity.kiosk_id,
                                    identity.signing_key, clock=clock,
                                    timeout_s=server.timeout_s,
                                    pinned_cert_sha256=server.pinned_cert_sha256)
        service.worker = SyncWorker(outbox, transport, identity, clock=clock, settings=settings,
                                    desired=service.desired, session_active=session_active,
                                    report_extra=report_extra, app_version=app_version)
        service.sink.on_enqueued = service.worker.wake
        return service

    def start(self) -> None:
        if self.worker is not None:
            self.worker.start()

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.stop()
        self.outbox.close()

    @property
    def identity(self) -> KioskIdentity | None:
        return self.worker.identity if self.worker is not None else None

    def status(self) -> QueueStatus:
        return queue_status(self.outbox, self.clock.now(), self.settings.oldest_unsent_alert_s,
                            self.identity.kiosk_id if self.identity else None)
