"""Application updates that roll back by themselves: two slots, a switch, a health check.

Layout under the install root (`/opt/kiosk`, deploy/install-kiosk.sh):
`slots/a` and `slots/b` each hold one bundle (the folder PyInstaller makes, `kiosk` at
its top); `kiosk` is a symlink to the slot in use, replaced in one rename, so the service
manager always starts a whole bundle; `updates/state.json` says which version is pending or
on trial and what failed (written durably before the link moves; none yet after a hand
install);
`updates/download/` keeps archives being fetched (offline_queue/bundle_download.py).

The district names a version (DesiredState.bundle_version). `download` fetches and verifies
it and unpacks it into the slot not in use: it is then pending. At a quiet moment (inside
`[quiet_from, quiet_until)` kiosk local time, no citizen at the kiosk) the link moves to it
and the application restarts into it: the new version is on trial. It must report every
HEALTH_CONDITIONS through `healthy` within `confirm_within_s`; then it is confirmed. If the
time runs out (counted on the kiosk clock from the switch, across restarts), whichever
version runs moves the link back, records the failure, never takes that version again and
restarts into the previous one. A version that dies before it gets that far is rolled back
by kiosk/start_counter.py, run before every start from outside the slots, once it has
started `max_unconfirmed_starts` times without confirming. The kiosk's data (queue, keys,
state) is outside the slots, so a switch in either direction leaves it as it was.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import tarfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any, Callable

from foundation.clock import Clock, TimerHandle
from foundation.daily_times import within
from kiosk.config import UpdatesSection
from kiosk.start_counter import point_link, record_rollback, write_state
from offline_queue.bundle_download import BundleDownload, BundleRejected, NotEnoughSpace
from offline_queue.fileio import fsync_directory

log = logging.getLogger(__name__)

SLOTS = ("a", "b")
#: what a version on trial must show before it is kept (docs/unattended.md)
HEALTH_CONDITIONS = frozenset({"devices_open", "queue_readable", "sync_succeeded",
                               "attract_drawn"})


class NotInSlots(RuntimeError):
    """The kiosk was installed without slots: it cannot update itself."""


class BundleSlots:
    """The files: two slots, the link to the one in use, the state beside them."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.link = self.root / "kiosk"
        self.state_path = self.root / "updates" / "state.json"
        self.download_dir = self.root / "updates" / "download"

    def slot(self, name: str) -> Path:
        return self.root / "slots" / name

    @classmethod
    def install(cls, root: Path, bundle: Path) -> "BundleSlots":
        """A first install as deploy/install-kiosk.sh makes it: `bundle` in slot a, the
        link to it, no state yet."""
        slots = cls(root)
        slots.slot("a").parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(bundle, slots.slot("a"), symlinks=True)
        slots.state_path.parent.mkdir(parents=True, exist_ok=True)
        slots.point_to("a")
        return slots

    def read_state(self) -> dict[str, Any]:
        """The state; none yet (installed by hand) is a confirmed version and nothing else."""
        if not self.link.is_symlink():
            raise NotInSlots(f"{self.link} is not a link to a slot: install with "
                             "deploy/install-kiosk.sh to get updates")
        if not self.state_path.exists():
            return {"trial": None, "pending": None, "failed": [], "last_failure": None}
        return json.loads(self.state_path.read_bytes())

    def write_state(self, state: dict[str, Any]) -> None:
        write_state(self.state_path, state)

    def in_use(self) -> str:
        return Path(os.readlink(self.link)).name

    def point_to(self, name: str) -> None:
        point_link(self.root, name)

    def unpack(self, archive: Path, name: str) -> None:
        """Replace slot `name` with the archive's tree (never the slot in use)."""
        if name == self.in_use():
            raise ValueError(f"slot {name} is in use")
        fresh = self.slot(name).with_name(f"{name}.new")
        shutil.rmtree(fresh, ignore_errors=True)
        fresh.mkdir(parents=True)
        try:
            with tarfile.open(archive, "r:gz") as tar:
                tar.extractall(fresh, filter="data")  # no paths outside, no devices
        except (tarfile.TarError, OSError, EOFError) as error:
            shutil.rmtree(fresh, ignore_errors=True)
            raise BundleRejected(f"the archive does not unpack: {error}") from error
        if not (fresh / "kiosk").is_file():
            shutil.rmtree(fresh, ignore_errors=True)
            raise BundleRejected("the archive has no `kiosk` at its top")
        shutil.rmtree(self.slot(name), ignore_errors=True)
        os.replace(fresh, self.slot(name))
        fsync_directory(self.slot(name).parent)


class Updater:
    """The kiosk's side of updates; one per process, `running_version` being its own."""

    def __init__(self, slots: BundleSlots, *, clock: Clock, running_version: str,
                 restart: Callable[[str], None], session_active: Callable[[], bool],
                 settings: UpdatesSection, zone: tzinfo | None = None) -> None:
        self.slots = slots
        self.clock = clock
        self.running_version = running_version
        self.restart = restart
        self.session_active = session_active
        self.settings = settings
        #: the kiosk's local time zone (None: the system's)
        self.zone = zone
        self._lock = threading.RLock()
        self._held: set[str] = set()
        #: set when the version on trial is confirmed by this process
        self.confirmed = threading.Event()
        self._deadline_timer: TimerHandle | None = None
        self._check_timer: TimerHandle | None = None
        self._downloading: str | None = None
        #: the version the district names, and how to fetch it (`offer`)
        self._offered: tuple[BundleDownload, str] | None = None
        #: the latest background download (None before the first)
        self.download_future: Future[None] | None = None
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="bundle-download")
        self._stopped = False

    # --- start and stop -----------------------------------------------------------------

    def start(self) -> None:
        """At process start: go on with a trial (or end it, when its time ran out while the
        kiosk was down) and look for a quiet moment for a pending version."""
        with self._lock:
            state = self.slots.read_state()
            trial = state["trial"]
            if trial and self.slots.in_use() != trial["slot"]:
                # the state was written but the link never moved: the switch is still to do
                state["pending"] = {"version": trial["version"], "slot": trial["slot"]}
                state["trial"] = None
                self.slots.write_state(state)
            elif trial:
                left = (datetime.fromisoformat(trial["deadline"]) - self.clock.now()
                        ).total_seconds()
                if left <= 0:
                    self._roll_back(state, "not confirmed in time")
                else:
                    self._deadline_timer = self.clock.call_later(left, self._deadline_passed)
        self._schedule_check()

    def stop(self) -> None:
        self._stopped = True
        for timer in (self._deadline_timer, self._check_timer):
            if timer is not None:
                timer.cancel()
        self._executor.shutdown(wait=False, cancel_futures=True)

    # --- download -----------------------------------------------------------------------

    def wants(self, version: str) -> bool:
        """Whether the district's `version` is one to fetch: not while a version is on trial
        (the slot not in use is then the way back)."""
        state = self.slots.read_state()
        pending = state["pending"] or {}
        return (not state["trial"] and version != self.running_version
                and version not in state["failed"] and version != pending.get("version")
                and version != self._downloading)

    def offer(self, download: BundleDownload, version: str) -> None:
        """The district names `version`: fetch it in the background unless it runs, waits
        or failed already; a broken download goes on at the next check."""
        with self._lock:
            self._offered = (download, version)
        self._fetch_offered()

    def _fetch_offered(self) -> None:
        with self._lock:
            if self._offered is None or not self.wants(self._offered[1]):
                return
            future = self.download_future = self.download_in_background(*self._offered)
        future.add_done_callback(_log_download)

    def download_in_background(self, download: BundleDownload, version: str) -> Future[None]:
        with self._lock:
            self._downloading = version
        return self._executor.submit(self.download, download, version)

    def download(self, download: BundleDownload, version: str) -> None:
        """Fetch, verify and unpack `version` into the slot not in use; it is then pending.

        A refused bundle is recorded (never fetched again) and raised; a broken connection
        raises TransientError and the next call goes on where it stopped; a disk without
        room for it raises NotEnoughSpace (reported) and the next call looks again."""
        try:
            manifest = download.fetch_manifest(version)
            archive = download.fetch_archive(manifest)
            with self._lock:
                other = next(name for name in SLOTS if name != self.slots.in_use())
                self.slots.unpack(archive, other)
                state = self.slots.read_state()
                state["pending"] = {"version": version, "slot": other}
                self.slots.write_state(state)
            archive.unlink()
            log.info("bundle %s is ready in slot %s", version, other)
        except NotEnoughSpace as error:
            with self._lock:  # not a refusal: tried again at the next check
                state = self.slots.read_state()
                state["last_failure"] = str(error)[:500]
                self.slots.write_state(state)
            raise
        except BundleRejected as refusal:
            with self._lock:
                state = self.slots.read_state()
                state["failed"].append(version)
                state["last_failure"] = f"{version} refused: {refusal}"[:500]
                self.slots.write_state(state)
            raise
        finally:
            with self._lock:
                self._downloading = None

    # --- switch -------------------------------------------------------------------------

    def _schedule_check(self) -> None:
        if not self._stopped:
            self._check_timer = self.clock.call_later(self.settings.check_every_s,
                                                      self._check)

    def _check(self) -> None:
        try:
            self._fetch_offered()
            self.switch_if_quiet()
        except Exception:  # a full disk: look again at the next check
            log.exception("the update switch failed")
        self._schedule_check()

    def is_quiet_hour(self) -> bool:
        return within(self.clock.now(), self.settings.quiet_from, self.settings.quiet_until,
                      self.zone)

    def switch_if_quiet(self) -> bool:
        """Switch to the pending version when it is a quiet hour and no citizen is here."""
        with self._lock:
            state = self.slots.read_state()
            pending = state["pending"]
            if not pending or state["trial"] or self.session_active() \
                    or not self.is_quiet_hour():
                return False
            deadline = self.clock.now() + timedelta(seconds=self.settings.confirm_within_s)
            state["trial"] = {"version": pending["version"], "slot": pending["slot"],
                              "previous_slot": self.slots.in_use(),
                              "previous_version": self.running_version,
                              "deadline": deadline.isoformat(),
                              # counted by kiosk/start_counter.py before each start
                              "starts": 0,
                              "max_starts": self.settings.max_unconfirmed_starts}
            state["pending"] = None
            self.slots.write_state(state)
            self.slots.point_to(pending["slot"])
        log.info("switched to bundle %s; restarting into it", pending["version"])
        self.restart(f"update to {pending['version']}")
        return True

    # --- health check -------------------------------------------------------------------

    def healthy(self, condition: str) -> None:
        """The application saw `condition` (one of HEALTH_CONDITIONS) hold; once all have,
        a version on trial is confirmed."""
        if condition not in HEALTH_CONDITIONS:
            raise ValueError(f"unknown health condition {condition!r}")
        with self._lock:
            self._held.add(condition)
            if self._held != HEALTH_CONDITIONS:
                return
            state = self.slots.read_state()
            trial = state["trial"]
            if not trial or trial["version"] != self.running_version:
                return
            state["trial"] = None
            self.slots.write_state(state)
            if self._deadline_timer is not None:
                self._deadline_timer.cancel()
        self.confirmed.set()
        log.info("bundle %s confirmed", self.running_version)

    def _deadline_passed(self) -> None:
        with self._lock:
            state = self.slots.read_state()
            if state["trial"]:
                self._roll_back(state, "not confirmed in time")

    def _roll_back(self, state: dict[str, Any], why: str) -> None:
        trial = state["trial"]
        record_rollback(state, f"{why} (within {self.settings.confirm_within_s:g} s of the "
                               "switch)")
        self.slots.write_state(state)
        self.slots.point_to(trial["previous_slot"])
        log.error("update %s rolled back: %s", trial["version"], why)
        if self.running_version != trial["previous_version"]:
            self.restart(f"rollback of {trial['version']}")

    # --- reported state -----------------------------------------------------------------

    def report(self) -> dict[str, Any]:
        """ReportedState.update (wire.v1.UpdateReport)."""
        state = self.slots.read_state()
        pending = (state["pending"] or {}).get("version") or self._downloading
        return {"running": self.running_version, "confirmed": not state["trial"],
                "pending": pending, "last_failure": state["last_failure"],
                # appended with every last_failure
                "failed_version": state["failed"][-1] if state["failed"] else None}


def _log_download(future: Future[None]) -> None:
    if future.cancelled():
        return
    error = future.exception()
    if isinstance(error, BundleRejected):
        log.error("bundle refused: %s", error)
    elif error is not None:  # the connection: the next check goes on where it stopped
        log.warning("bundle download paused: %s", error)
