"""Updates that roll back by themselves, with two bundles made in the test, a real HTTP
server publishing the second, the slot link on disk and the bundle's `kiosk` run as a
process to show which version the service manager would start."""
from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from foundation.clock import TestClock
from kiosk import start_counter as start_counter_module
from kiosk.config import UpdatesSection
from kiosk.updates import HEALTH_CONDITIONS, BundleSlots, Updater
from offline_queue.bundle_download import BundleDownload, BundleRejected, NotEnoughSpace
from offline_queue.errors import TransientError
from offline_queue.store import Outbox
from offline_queue.transport import SignedTransport
from tests.offline_queue.bundle_server import BundleServer, archive_of, make_bundle_tree, \
    unpacked_size
from wire.v1 import UpdateReport

SETTINGS = UpdatesSection(root="/opt/kiosk", confirm_within_s=600, max_unconfirmed_starts=3,
                          quiet_from="02:00", quiet_until="05:00", check_every_s=300,
                          rate_bytes_per_s=0)


def started_version(root: Path) -> str:
    """What the service manager's ExecStart (/opt/kiosk/kiosk/kiosk) starts now."""
    return subprocess.run([root / "kiosk" / "kiosk"], capture_output=True, text=True,
                          check=True, timeout=30).stdout.strip()


class Kiosk:
    """The installed kiosk: its slots, its clock, and the process running now."""

    def __init__(self, tmp_path: Path, server: BundleServer, district_key) -> None:
        self.root = tmp_path / "opt-kiosk"
        self.slots = BundleSlots.install(self.root, make_bundle_tree(tmp_path / "v1", "1.0"))
        self.clock = TestClock(datetime(2026, 11, 26, 1, 50, tzinfo=timezone.utc))
        self.session = False
        self.restarts: list[str] = []
        self.download = BundleDownload(
            SignedTransport(server.url, "kiosk-test-1", Ed25519PrivateKey.generate(),
                            clock=self.clock),
            self.slots.download_dir, verify_key=district_key.public_key(), clock=self.clock)
        self.updater = self.start("1.0")

    def start(self, version: str) -> Updater:
        """The process the service manager starts, running `version`."""
        updater = Updater(self.slots, clock=self.clock, running_version=version,
                          restart=self.restarts.append, session_active=lambda: self.session,
                          settings=SETTINGS, zone=timezone.utc)
        updater.start()
        self.updater = updater
        return updater

    def restart(self) -> Updater:
        """What Restart=always does after the application asked to restart."""
        self.updater.stop()
        return self.start(started_version(self.root))

    def report(self) -> UpdateReport:
        return UpdateReport.model_validate(self.updater.report())


@pytest.fixture
def district_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def server(tmp_path, district_key):
    with BundleServer() as running:
        running.publish(district_key, "2.0",
                        archive_of(make_bundle_tree(tmp_path / "v2", "2.0")))
        yield running


@pytest.fixture
def kiosk(tmp_path, server, district_key):
    installed = Kiosk(tmp_path, server, district_key)
    yield installed
    installed.updater.stop()


def switched_to_pending(kiosk: Kiosk, version: str = "2.0") -> None:
    """Past 02:00 the next check switches and the application restarts into `version`."""
    kiosk.clock.advance(SETTINGS.check_every_s)  # 01:55: not yet the quiet hour
    assert kiosk.restarts == [] and started_version(kiosk.root) == "1.0"
    kiosk.clock.advance(SETTINGS.check_every_s)  # 02:00
    assert kiosk.restarts == [f"update to {version}"] and kiosk.slots.in_use() == "b"


@pytest.fixture
def start_counter(tmp_path) -> Path:
    """kiosk/start_counter.py where deploy/install-kiosk.sh puts it, away from the tree."""
    installed = tmp_path / "usr-local-lib-kiosk" / "start_counter.py"
    installed.parent.mkdir()
    shutil.copy(start_counter_module.__file__, installed)
    return installed


def unit_start(root: Path, start_counter: Path) -> subprocess.CompletedProcess:
    """One start of kiosk.service: ExecStartPre (python3 -I, nothing of the application on
    its path), then whatever the link's `kiosk` is now."""
    subprocess.run([sys.executable, "-I", start_counter, root], check=True, timeout=60)
    return subprocess.run([root / "kiosk" / "kiosk"], capture_output=True, text=True,
                          timeout=30)


def test_a_good_update_switches_at_the_quiet_hour_and_is_confirmed(kiosk):
    kiosk.updater.download(kiosk.download, "2.0")
    assert kiosk.report() == UpdateReport(running="1.0", confirmed=True, pending="2.0")
    assert started_version(kiosk.root) == "1.0"  # unpacked beside, not switched yet

    switched_to_pending(kiosk)
    updater = kiosk.restart()
    assert kiosk.report() == UpdateReport(running="2.0", confirmed=False)
    assert not updater.wants("2.1")  # slot a is the way back until 2.0 is confirmed
    for condition in sorted(HEALTH_CONDITIONS):
        updater.healthy(condition)
    assert kiosk.report() == UpdateReport(running="2.0", confirmed=True)
    assert updater.wants("2.1")

    kiosk.clock.advance(SETTINGS.confirm_within_s * 2)
    assert started_version(kiosk.root) == "2.0"
    assert kiosk.restarts == ["update to 2.0"]


def test_a_download_broken_off_goes_on_at_the_next_check(kiosk, server):
    server.cut_next_after = len(server.archives["2.0"]) // 2
    kiosk.updater.offer(kiosk.download, "2.0")
    assert isinstance(kiosk.updater.download_future.exception(timeout=60), TransientError)
    assert kiosk.report().pending is None

    kiosk.clock.advance(SETTINGS.check_every_s)  # 01:55
    assert kiosk.updater.download_future.exception(timeout=60) is None
    assert kiosk.report().pending == "2.0"
    assert server.ranges[0] is None and server.ranges[1].startswith("bytes=")
    kiosk.clock.advance(SETTINGS.check_every_s)  # 02:00
    assert kiosk.restarts == ["update to 2.0"] and started_version(kiosk.root) == "2.0"


def test_a_citizen_at_the_kiosk_holds_the_switch(kiosk):
    kiosk.updater.download(kiosk.download, "2.0")
    kiosk.clock.advance(SETTINGS.check_every_s)
    kiosk.session = True
    kiosk.clock.advance(SETTINGS.check_every_s * 3)
    assert kiosk.restarts == [] and started_version(kiosk.root) == "1.0"
    kiosk.session = False
    kiosk.clock.advance(SETTINGS.check_every_s)
    assert kiosk.restarts == ["update to 2.0"]


def test_a_version_that_never_confirms_is_rolled_back_with_the_queue_intact(kiosk, tmp_path):
    queue = Outbox(tmp_path / "var-lib-kiosk" / "queue")
    queue.add("0190a000-0000-7000-8000-000000000001", "kiosk-test-1", "audit",
              "2026-11-26T01:40:00Z", [b"a photo, sealed"],
              lambda seq: ('{"seq": %d}' % seq, "0" * 64))
    queue.close()
    kiosk.updater.download(kiosk.download, "2.0")
    switched_to_pending(kiosk)

    updater = kiosk.restart()
    for condition in sorted(HEALTH_CONDITIONS - {"sync_succeeded"}):
        updater.healthy(condition)
    kiosk.clock.advance(SETTINGS.confirm_within_s - 1)
    assert started_version(kiosk.root) == "2.0"
    kiosk.clock.advance(1)

    assert kiosk.restarts == ["update to 2.0", "rollback of 2.0"]
    assert started_version(kiosk.root) == "1.0"
    kiosk.restart()
    report = kiosk.report()
    assert (report.running, report.confirmed, report.pending) == ("1.0", True, None)
    assert "2.0 rolled back to 1.0: not confirmed in time" in report.last_failure
    assert report.failed_version == "2.0"
    assert not kiosk.updater.wants("2.0")  # never taken again
    queue = Outbox(tmp_path / "var-lib-kiosk" / "queue")
    assert queue.counts().pending == 1
    assert queue.integrity_check() == "ok"
    queue.close()


def test_a_trial_that_ran_out_while_the_kiosk_was_down_is_rolled_back_at_start(kiosk):
    kiosk.updater.download(kiosk.download, "2.0")
    switched_to_pending(kiosk)
    kiosk.updater.stop()
    kiosk.clock.advance(SETTINGS.confirm_within_s + 60)  # 2.0 kept crashing, say

    kiosk.start("2.0")
    assert kiosk.restarts[-1] == "rollback of 2.0"
    assert started_version(kiosk.root) == "1.0"


def test_a_version_that_dies_before_its_core_starts_is_rolled_back_by_the_start_counter(
        kiosk, server, district_key, tmp_path, start_counter):
    queue = Outbox(tmp_path / "var-lib-kiosk" / "queue")
    queue.add("0190a000-0000-7000-8000-000000000002", "kiosk-test-1", "audit",
              "2026-11-26T01:40:00Z", [b"a photo, sealed"],
              lambda seq: ('{"seq": %d}' % seq, "0" * 64))
    queue.close()
    broken = make_bundle_tree(tmp_path / "v2.1", "2.1")
    (broken / "kiosk").write_text("#!/bin/sh\necho 'ImportError: 2.1 is broken' >&2\nexit 1\n")
    server.publish(district_key, "2.1", archive_of(broken))
    kiosk.updater.download(kiosk.download, "2.1")
    switched_to_pending(kiosk, "2.1")
    kiosk.updater.stop()  # 1.0 exits; Restart=always starts the unit again, and again

    allowed = SETTINGS.max_unconfirmed_starts
    starts = [unit_start(kiosk.root, start_counter) for _ in range(allowed + 1)]

    assert [start.returncode for start in starts] == [1] * allowed + [0]
    assert starts[-1].stdout.strip() == "1.0"  # the previous version runs
    updater = kiosk.start("1.0")
    report = kiosk.report()
    assert (report.running, report.confirmed, report.pending) == ("1.0", True, None)
    assert "2.1 rolled back to 1.0: started 3 times without confirming" in report.last_failure
    assert report.failed_version == "2.1"
    assert not updater.wants("2.1")  # never taken again
    assert unit_start(kiosk.root, start_counter).stdout.strip() == "1.0"  # and stays
    assert kiosk.restarts == ["update to 2.1"]  # 1.0 had nothing left to roll back
    queue = Outbox(tmp_path / "var-lib-kiosk" / "queue")
    assert queue.counts().pending == 1
    assert queue.integrity_check() == "ok"
    queue.close()


def test_a_version_that_confirms_within_its_starts_is_kept(kiosk, start_counter):
    kiosk.updater.download(kiosk.download, "2.0")
    switched_to_pending(kiosk)
    kiosk.updater.stop()
    for _ in range(SETTINGS.max_unconfirmed_starts):  # crashed twice after its core began
        assert unit_start(kiosk.root, start_counter).stdout.strip() == "2.0"
    updater = kiosk.start("2.0")  # the last start allowed confirms
    for condition in sorted(HEALTH_CONDITIONS):
        updater.healthy(condition)

    for _ in range(SETTINGS.max_unconfirmed_starts + 1):
        assert unit_start(kiosk.root, start_counter).stdout.strip() == "2.0"
    report = kiosk.report()
    assert (report.running, report.confirmed, report.last_failure) == ("2.0", True, None)


def test_a_tampered_bundle_is_refused_and_the_running_slot_untouched(kiosk, server):
    archive = server.archives["2.0"]
    server.archives["2.0"] = archive[:1000] + bytes(100) + archive[1100:]
    with pytest.raises(BundleRejected):
        kiosk.updater.download(kiosk.download, "2.0")

    assert started_version(kiosk.root) == "1.0"
    assert not kiosk.slots.slot("b").exists()
    report = kiosk.report()
    assert report.pending is None and "2.0 refused" in report.last_failure
    assert report.failed_version == "2.0"
    kiosk.clock.advance(SETTINGS.check_every_s * 4)
    assert kiosk.restarts == []


def test_a_signed_but_broken_archive_is_refused_before_any_switch(kiosk, server,
                                                                  district_key):
    truncated = server.archives["2.0"][:-5000]
    server.publish(district_key, "2.1", truncated)
    with pytest.raises(BundleRejected, match="does not unpack"):
        kiosk.updater.download(kiosk.download, "2.1")
    assert started_version(kiosk.root) == "1.0"
    assert not kiosk.slots.slot("b").exists()
    assert kiosk.report().pending is None


def test_a_disk_without_room_for_the_archive_and_its_tree_waits_and_says_so(kiosk, server):
    archive = server.archives["2.0"]
    needed = len(archive) + unpacked_size(archive)
    free = [needed - 1]
    kiosk.download.free_bytes = lambda _path: free[0]
    kiosk.updater.offer(kiosk.download, "2.0")

    assert isinstance(kiosk.updater.download_future.exception(timeout=60), NotEnoughSpace)
    report = kiosk.report()
    assert report.pending is None and report.failed_version is None  # not refused
    assert f"needs {needed} bytes" in report.last_failure
    assert f"{needed - 1} are free" in report.last_failure
    assert server.ranges == []  # nothing fetched
    free[0] = needed
    kiosk.clock.advance(SETTINGS.check_every_s)
    assert kiosk.updater.download_future.exception(timeout=60) is None
    assert kiosk.report().pending == "2.0"
