"""The whole update loop on the real parts: the district (live, on loopback, behind the fault
proxy) publishes bundles built in the test with `district-server bundle publish`, through the
cohort rollout; the real kiosk core fetches them over HTTP (a download broken off mid-way goes
on with Range), switches at its quiet hour, confirms or rolls back, and the rollout at the
district sees it. A bundle whose archive was tampered with on the server is refused."""
from __future__ import annotations

import dataclasses
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from district_server.catalogue import rollout
from district_server.catalogue.models import Rollout
from district_server.cli import main as district_server
from foundation.clock import SystemClock
from kiosk._version import __version__
from kiosk.app import KioskCore
from kiosk.config import load_config
from kiosk.updates import BundleSlots
from offline_queue.enrolment import enroll
from offline_queue.errors import TransientError
from offline_queue.testing.faultproxy import FaultProxy
from tests.kiosk.reported import reported_on_server
from tests.kiosk.test_updates import started_version
from tests.offline_queue.bundle_server import archive_of, make_bundle_tree

GOOD, BAD = "0.99.1", "0.99.2"
#: staged through the rollout; alerts the test machine may raise (its disk, the test clock's
#: skew from the district's) are not this test's gate
ROLLOUT = ("--canary-share", "1", "--health-window-s", "3600", "--max-new-alerts", "1000")
#: a future's wait: the download is a few hundred KB on loopback
DOWNLOAD_S = 60


class Fleet:
    """One kiosk installed in slots, enrolled with the district through the fault proxy; each
    `start(version)` is the process the service manager starts from the slot in use."""

    def __init__(self, district, proxy: FaultProxy, tmp_path: Path, test_clock,
                 monkeypatch) -> None:
        self.district, self.proxy, self.clock = district, proxy, test_clock
        self.tmp_path, self.monkeypatch = tmp_path, monkeypatch
        self.root = tmp_path / "opt-kiosk"
        self.slots = BundleSlots.install(self.root, self.tree(__version__))
        loaded = load_config()
        local = test_clock.now().astimezone()
        quiet = loaded.config.updates.model_copy(update={
            "root": str(self.root), "rate_bytes_per_s": 0,
            "quiet_from": local.strftime("%H:%M"),
            "quiet_until": (local + timedelta(hours=6)).strftime("%H:%M")})
        self.loaded = dataclasses.replace(loaded,
                                          config=loaded.config.model_copy(update={"updates": quiet}))
        self.kiosk_id = loaded.config.kiosk.id
        self.directory = tmp_path / "kiosk"
        enroll(proxy.url, district.enrollment_token(self.kiosk_id), self.kiosk_id,
               self.directory / "queue", clock=SystemClock())
        self.core: KioskCore | None = None

    def tree(self, version: str) -> Path:
        """The bundle of `version` (made once)."""
        tree = self.tmp_path / f"tree-{version}"
        return tree if tree.exists() else make_bundle_tree(tree, version)

    def publish(self, version: str, *rollout_options: str) -> None:
        archive = self.tmp_path / f"kiosk-{version}.tar.gz"
        archive.write_bytes(archive_of(self.tree(version)))
        assert district_server(["--data-dir", str(self.district.data_dir), "bundle", "publish",
                                str(archive), "--version", version, *rollout_options]) == 0

    def start(self, version: str) -> KioskCore:
        """The kiosk process of bundle `version` (this test's code standing in for it)."""
        if self.core is not None:
            self.core.stop()
        self.monkeypatch.setattr("kiosk.app.__version__", version)
        core = self.core = KioskCore.create(self.loaded, self.directory, clock=self.clock,
                                            with_face=False)
        core.restarted = threading.Event()
        core.on_restart(core.restarted.set)
        core.start()
        core.wait_settled()
        return core

    def sync(self) -> None:
        """A sync pass (it learns the district's time: the test clock moved on) that asks
        for the desired state now, not at its next poll, and reports what it then runs."""
        assert self.core is not None
        worker = self.core.queue.worker
        assert worker.sync_once().ok
        worker.refresh_desired_state()
        assert worker.sync_once().ok

    def update_reported(self) -> dict:
        return reported_on_server(self.district, self.kiosk_id)["update"]

    def check_for_updates(self) -> None:
        """The updater's periodic check: go on with a download, switch when one is ready."""
        self.clock.advance(self.loaded.config.updates.check_every_s)

    def confirm(self) -> None:
        """The health conditions of the version on trial: a sync pass, the screen drawn."""
        core = self.core
        self.sync()
        self.clock.advance(5)
        core.update_healthy("attract_drawn")
        self.clock.advance(0)
        assert core.updates.confirmed.wait(30)

    def rollout(self, version: str) -> Rollout:
        with self.district.app.state.ctx.db.transaction() as session:
            row = session.query(Rollout).filter_by(version=version).one()
            session.expunge(row)
            return row

    def evaluate(self, version: str, *, at) -> Rollout:
        """The district's sweeper at `at`; the rollout of `version` then."""
        with self.district.app.state.ctx.db.transaction() as session:
            rollout.evaluate(session, now=at)
        return self.rollout(version)

    def stop(self) -> None:
        if self.core is not None:
            self.core.stop()


@pytest.fixture
def fleet(district, tmp_path, test_clock, monkeypatch):
    with FaultProxy("127.0.0.1", district.port) as proxy:
        made = Fleet(district, proxy, tmp_path, test_clock, monkeypatch)
        yield made
        made.stop()


def archive_requests(proxy: FaultProxy, version: str) -> list:
    return [s for s in proxy.seen if s.path == f"/v1/bundles/{version}/archive"]


def test_a_bundle_rolls_out_is_confirmed_and_a_bad_one_rolls_back_seen_by_the_district(fleet):
    core = fleet.start(__version__)
    fleet.publish(__version__)  # what the fleet runs: the rollout's way back
    fleet.sync()
    assert fleet.update_reported()["running"] == __version__
    fleet.publish(GOOD, *ROLLOUT)

    # the archive's response is broken off half-way: the next check goes on from there
    fleet.proxy.inject("cut_response", path=f"/v1/bundles/{GOOD}/archive$")
    fleet.sync()
    assert isinstance(core.updates.download_future.exception(DOWNLOAD_S), TransientError)
    kept = sum(p.stat().st_size for p in fleet.slots.download_dir.glob("*.part"))
    assert kept > 0
    fleet.check_for_updates()
    assert core.updates.download_future.result(DOWNLOAD_S) is None
    first, second = archive_requests(fleet.proxy, GOOD)
    assert "Range" not in first.headers and second.headers["Range"] == f"bytes={kept}-"
    assert core.updates.report()["pending"] == GOOD

    fleet.check_for_updates()  # the quiet hour, nobody at the kiosk: switch and restart
    assert core.restarted.is_set()
    assert started_version(fleet.root) == GOOD
    core = fleet.start(GOOD)
    fleet.confirm()
    fleet.sync()
    reported = fleet.update_reported()
    assert (reported["running"], reported["confirmed"]) == (GOOD, True)
    good = fleet.rollout(GOOD)
    assert good.state == "canary"
    assert fleet.evaluate(GOOD, at=good.canary_until).state == "complete"

    fleet.publish(BAD, *ROLLOUT)
    fleet.sync()
    assert core.updates.download_future.result(DOWNLOAD_S) is None
    fleet.check_for_updates()
    assert core.restarted.is_set() and started_version(fleet.root) == BAD
    core = fleet.start(BAD)
    fleet.sync()  # its attract screen never draws
    fleet.clock.advance(fleet.loaded.config.updates.confirm_within_s)
    assert core.restarted.is_set()
    assert started_version(fleet.root) == GOOD
    core = fleet.start(GOOD)
    assert core.queue.outbox.integrity_check() == "ok"
    fleet.sync()
    reported = fleet.update_reported()
    assert (reported["running"], reported["failed_version"]) == (GOOD, BAD)
    assert f"{BAD} rolled back to {GOOD}" in reported["last_failure"]

    bad = fleet.evaluate(BAD, at=fleet.rollout(BAD).started_at + timedelta(seconds=1))
    assert bad.state == "rolled_back", bad.verdict
    assert f"refused by {fleet.kiosk_id}" in bad.verdict
    fleet.sync()
    assert core.queue.desired.current().bundle_version == GOOD


def test_a_bundle_tampered_with_on_the_server_is_refused(fleet):
    core = fleet.start(__version__)
    fleet.publish(GOOD)
    stored = next((fleet.district.data_dir / "bundles").glob("*.tar.gz"))
    tampered = bytearray(stored.read_bytes())
    tampered[1000:1100] = bytes(100)
    stored.write_bytes(bytes(tampered))

    fleet.sync()
    assert "does not match" in str(core.updates.download_future.exception(DOWNLOAD_S))
    fleet.sync()
    reported = fleet.update_reported()
    assert (reported["running"], reported["pending"], reported["failed_version"]) \
        == (__version__, None, GOOD)
    fleet.check_for_updates()
    assert not core.restarted.is_set() and started_version(fleet.root) == __version__
