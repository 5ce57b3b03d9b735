"""The composed queue as the kiosk app runs it: a captured item wakes the sync worker."""
from __future__ import annotations

import tomllib
from types import SimpleNamespace

from foundation.config_files import DEFAULTS_DIR
from foundation.clock import SystemClock
from kiosk.config import QueueSection
from offline_queue.enrolment import enroll
from offline_queue.errors import NotEnrolled
from offline_queue.service import QueueService
from tests.offline_queue.helpers import application

QUEUE = QueueSection.model_validate(
    tomllib.loads((DEFAULTS_DIR / "queue.toml").read_text())["queue"])
SERVER = SimpleNamespace(url="", pinned_cert_sha256="", timeout_s=10.0)


def test_not_enrolled_kiosk_refuses_capture_and_has_no_worker(tmp_path, test_clock):
    service = QueueService.open(QUEUE, SERVER, tmp_path, test_clock)
    assert service.worker is None
    assert service.sink.can_accept() is not None
    try:
        service.sink.enqueue("submission", application(1))
    except NotEnrolled as error:
        assert "kiosk enroll" in str(error)
    service.stop()


def test_enqueue_wakes_the_running_worker(district, tmp_path, test_clock):
    enroll(district.url, district.enrollment_token("kiosk-svc-01"), "kiosk-svc-01", tmp_path / "queue",
           clock=SystemClock())
    service = QueueService.open(QUEUE, SERVER, tmp_path, test_clock)
    service.start()
    try:
        assert service.worker.cycle_done.wait(30)  # the first cycle: nothing to send
        service.worker.cycle_done.clear()
        done = service.sink.enqueue("submission", application(1))
        assert service.worker.cycle_done.wait(30)  # woken at once, no clock advance
        assert service.worker.last_result.delivered == 1
        assert service.status().depth == 0
        assert [sid for sid, _ in district.submission_ids("kiosk-svc-01")] == [done.item_id]
    finally:
        service.stop()
