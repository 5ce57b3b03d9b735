"""The composition root: the attract screen's online/offline follows the sync worker."""
from __future__ import annotations

from types import SimpleNamespace

from kiosk.app import SYNC_FOLLOW_INTERVAL_S, KioskCore
from kiosk.config import load_config
from kiosk.service_state import STORAGE


class ListSink:
    def __init__(self) -> None:
        self.items: list = []

    def enqueue(self, kind, payload, blobs=None):
        self.items.append((kind, payload))


def test_server_reachable_follows_the_sync_workers_last_pass(tmp_path, test_clock):
    core = KioskCore.create(load_config(None), tmp_path, clock=test_clock, event_sink=ListSink(),
                            with_face=False)
    worker = SimpleNamespace(last_result=None)
    core.queue = SimpleNamespace(worker=worker, start=lambda: None, stop=lambda: None,
                                 sink=SimpleNamespace(storage_problem=lambda: None))
    seen = []
    core.subscribe(lambda availability: seen.append(availability["ticket"].available))
    core.start()
    try:
        assert core.wait_settled() == []
        assert core.server_reachable  # nothing known yet
        worker.last_result = SimpleNamespace(ok=False)
        test_clock.advance(SYNC_FOLLOW_INTERVAL_S)
        assert not core.server_reachable
        assert core.availability()["apply"].available  # applications still accepted
        assert not core.availability()["ticket"].available
        worker.last_result = SimpleNamespace(ok=True)
        test_clock.advance(SYNC_FOLLOW_INTERVAL_S)
        assert core.server_reachable and core.availability()["ticket"].available
        assert False in seen
        core.set_server_reachable(False)  # the demo cuts its network
        test_clock.advance(SYNC_FOLLOW_INTERVAL_S)
        assert not core.server_reachable  # the old pass does not overrule it
    finally:
        core.stop()
    worker.last_result = SimpleNamespace(ok=True)
    test_clock.advance(SYNC_FOLLOW_INTERVAL_S * 3)  # a stopped core follows nothing
    assert not core.server_reachable


def test_applications_stop_while_the_queue_cannot_store_and_resume_after(tmp_path,
                                                                           test_clock):
    """The one stop: the disk guard (real queue, real free space) withdraws `apply` with the
    reason; other journeys go on; space back, applications are offered again."""
    from offline_queue.service import QueueService
    loaded = load_config(None)
    queue = QueueService.open(loaded.config.queue.model_copy(update={"min_free_bytes": 1 << 62}),
                              loaded.config.server, tmp_path, test_clock)
    core = KioskCore.create(loaded, tmp_path, clock=test_clock, queue=queue, with_face=False)
    core.start()
    try:
        assert core.wait_settled() == []
        apply = core.availability()["apply"]
        assert not apply.available and "bytes free on the queue disk" in apply.reasons[0]
        assert core.availability()["guide"].available
        queue.sink._min_free_bytes = 0  # space freed (the sync purged backed-up items)
        test_clock.advance(SYNC_FOLLOW_INTERVAL_S)
        assert core.availability()["apply"].available
    finally:
        core.stop()


def test_applications_stop_when_storing_fails(tmp_path, test_clock):
    """A store that fails (an unusable database) withdraws `apply` until a write works."""
    import pytest

    from foundation.events import StorageUnavailable
    from offline_queue.service import QueueService
    from offline_queue.testing.district_keys import District, enrol
    from tests.offline_queue.helpers import application
    loaded = load_config(None)
    queue = QueueService.open(loaded.config.queue, loaded.config.server, tmp_path, test_clock)
    enrol(queue.outbox.directory, District.generate(), "kiosk-core-01")
    core = KioskCore.create(loaded, tmp_path, clock=test_clock, queue=queue, with_face=False)
    core.start()
    try:
        assert core.wait_settled() == [] and core.availability()["apply"].available
        queue.outbox._db.close()  # the database becomes unusable under the running kiosk
        with pytest.raises(StorageUnavailable):
            queue.sink.enqueue("submission", application(1))
        test_clock.advance(SYNC_FOLLOW_INTERVAL_S)
        apply = core.availability()["apply"]
        assert not apply.available and "cannot" in apply.reasons[0]
        assert core.service.snapshot().stops[STORAGE] in apply.reasons[0]  # one stop
    finally:
        core.stop()
