"""The sync worker: delivers the outbox to the district server, exactly once in effect.

One cycle (`sync_once`): health probe (a 204 with the API header, else a captive portal;
the `Date` header gives the clock offset), receipts reconciliation by sequence (lost
responses, a server restored from an older backup), then each pending item in sequence
order: its blobs first (skipped when present; whole in one request up to the size the
health probe offers, otherwise uploaded resumably in checksummed chunks), then an
idempotent PUT; only a receipt whose district signature, digest and ids verify
marks it delivered. Then desired state (ETag, signature, staged and applied between
citizen sessions), reported state (changed fields only; the fields newer than the previous
release only to a server that lists them on its health answer), the district's remote
commands (signed; each handed to the kiosk once, its result sent back), purge and blob
collection.
Each cycle's signed requests are the kiosk's sign of life at the district.

Errors are classified (offline_queue.errors): one item is quarantined with its reason
and the others go on; a global fault pauses the queue and alerts; anything transient is
retried with exponential backoff and full jitter, scheduled on the kiosk clock, forever.
"""
from __future__ import annotations

import json
import logging
import math
import random
import shutil
import threading
from dataclasses import asdict, dataclass
from functools import partial
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any, Callable, Iterator, TypeVar
from urllib.parse import quote

import requests
from pydantic import BaseModel, ValidationError

from foundation.clock import Clock
from offline_queue.crashpoints import crash_point
from offline_queue.desired_state import DesiredStateRejected, DesiredStateStore, \
    DesiredStateUnsigned
from offline_queue.errors import CaptivePortal, ItemFailed, PauseQueue, QuarantineItem, \
    StorageUnavailable, TransientError
from offline_queue.identity import KioskIdentity
from offline_queue.seal import seal_blob, verify_signed
from offline_queue.store import DELIVERED, PENDING, DeliveredReceipt, Item, Outbox, \
    retention_cutoff
from offline_queue.transport import SignedTransport
from wire.v1 import API_VERSION, BUNDLE_UPDATE_FIELDS, CONFIG_NUMBER_FIELDS, \
    DEVICE_DETAIL_DEVICE_FIELDS, DEVICE_DETAIL_FIELDS, FEATURE_ALTERNATIVES, \
    FEATURE_BACKUP_WATERMARK, FEATURE_BUNDLE_UPDATES, FEATURE_CONFIG_NUMBER, \
    FEATURE_DEVICE_DETAIL, FEATURE_FLEET_REPORT, FEATURE_KIOSK_COMMANDS, FEATURE_KIOSK_PIN, \
    FEATURE_KIOSK_STAFF, FEATURE_LOCKER_FILL, FEATURE_RECEIPT_KEY_ROTATION, \
    FEATURE_ROLLOUT_HEALTH, FEATURE_STAFF_CARD, \
    FEATURE_SUBMISSION_BATCH, FLEET_REPORT_DEVICE_FIELDS, FLEET_REPORT_FIELDS, HEADER_API, \
    HEADER_CHUNK_SHA256, HEADER_FEATURES, HEADER_IDEMPOTENCY_KEY, HEADER_SERVER_FEATURES, \
    HEADER_UPLOAD_OFFSET, HEADER_WHOLE_BLOB_MAX, MAX_CHUNK_BYTES, PATH_BLOB, PATH_BLOB_UPLOAD, \
    PATH_BLOB_UPLOADS, PATH_CATALOGUE, PATH_COMMAND_RESULT, PATH_COMMANDS, PATH_DESIRED_STATE, \
    PATH_HEALTH, PATH_RECEIPTS, PATH_REPORTED_STATE, PATH_SUBMISSION, RECEIPT_KEY_FIELDS, \
    ROLLOUT_HEALTH_FIELDS, \
    BlobUploadCreated, BlobUploadProgress, CommandResult, DesiredState, KioskCommand, \
    KioskCommands, Problem, ReceiptsPage, ReportedState, SignedBackupWatermark, \
    SignedDesiredState, SignedReceipt, app_version_key, features, sha256_hex, signed_message

log = logging.getLogger(__name__)
ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass(frozen=True)
class SyncSettings:
    backoff_base_s: float = 30.0
    backoff_cap_s: float = 900.0
    idle_sync_interval_s: float = 30.0
    desired_state_poll_s: float = 300.0
    desired_state_jitter_s: float = 60.0
    delivered_retention_s: float = 7 * 86400.0
    oldest_unsent_alert_s: float = 3600.0
    item_failure_limit: int = 5
    min_free_bytes: int = 0

    @staticmethod
    def from_section(section: Any) -> "SyncSettings":
        return SyncSettings(**{name: getattr(section, name)
                               for name in SyncSettings.__dataclass_fields__})


@dataclass(frozen=True)
class QueueStatus:
    """What the UI and `kiosk doctor` show about the queue."""
    depth: int
    quarantined: int
    delivered_kept: int
    oldest_unsent_age_s: float | None
    last_success_at: str | None
    last_error: str | None
    paused: str | None
    alert: str | None
    clock_offset_s: float | None
    #: pending items numbered under a former kiosk id, held (exported, or delivered after
    #: enrolling under that id again), never re-sent under the current one
    held_other_ids: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def queue_status(outbox: Outbox, now: datetime, oldest_unsent_alert_s: float,
                 kiosk_id: str | None = None) -> QueueStatus:
    counts = outbox.counts()
    held = outbox.pending_of_other_ids(kiosk_id) if kiosk_id is not None else {}
    age = None
    if counts.oldest_pending_created_at:
        age = max(0.0, (now - datetime.fromisoformat(counts.oldest_pending_created_at))
                  .total_seconds())
    paused = outbox.get_state("paused")
    salvage = outbox.get_state("salvage")
    alerts = [  # the most urgent first; status shows one
        paused,
        salvage and salvage["rows_unreadable"] and (
            f"the queue database was damaged: {salvage['items_recovered']} item(s) "
            f"salvaged, {salvage['rows_unreadable']} row(s) unreadable; the damaged file is "
            f"kept at {salvage['damaged_file']}"),
        age is not None and age > oldest_unsent_alert_s and (
            f"the oldest unsent item has waited {int(age)} s"),
        held and (f"{sum(held.values())} unsent item(s) numbered under former kiosk id(s) "
                  f"{', '.join(held)} are held: `kiosk queue export` them, or enrol as that "
                  "id again to deliver them"),
        counts.quarantined and (
            f"{counts.quarantined} item(s) set aside (quarantined): see `kiosk queue "
            "status`, then `kiosk queue retry` or `kiosk queue export`"),
    ]
    alert = next((text for text in alerts if text), None)
    return QueueStatus(counts.pending, counts.quarantined, counts.delivered, age,
                       outbox.get_state("last_success_at"), outbox.get_state("last_error"),
                       paused, alert, outbox.get_state("clock_offset_s"), sum(held.values()))


@dataclass(frozen=True)
class CycleResult:
    ok: bool
    delivered: int
    quarantined: int
    error: str | None
    next_delay_s: float


def _problem(response: requests.Response) -> str:
    try:
        problem = Problem.model_validate_json(response.content)
        return f"{response.status_code} {problem.error}: {problem.detail}".strip(": ")
    except ValidationError:
        return f"{response.status_code} {response.reason}"


def _http_date(value: str) -> datetime | None:
    """An HTTP Date header as an aware datetime. A server stack that adds its own Date
    beside the application's yields both, comma-joined: the first one counts."""
    for candidate in (value, value[:29]):  # IMF-fixdate is 29 characters long
        try:
            parsed = parsedate_to_datetime(candidate)
        except (TypeError, ValueError, IndexError, OverflowError):
            continue
        if parsed.tzinfo is not None:
            return parsed
    return None


def _retry_after(response: requests.Response) -> float | None:
    """Retry-After in seconds (delta or HTTP date); None when absent or unusable."""
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        when, now = _http_date(value), _http_date(response.headers.get("Date", ""))
        if when is None or now is None:
            return None
        seconds = (when - now).total_seconds()
    return max(0.0, seconds) if math.isfinite(seconds) else None


#: How far a measured value must move from the one last reported before it is reported again:
#: the HTTP Date behind the clock offset has a resolution of one second, and free disk space
#: moves with every log line; neither is news to the district below these.
REPORT_TOLERANCES = {"clock_offset_ms": 2000, "disk_free_bytes": 100_000_000}


def _report_changed(key: str, value: Any, reported: Any) -> bool:
    tolerance = REPORT_TOLERANCES.get(key)
    if tolerance is None or not isinstance(value, int) or not isinstance(reported, int):
        return value != reported
    return abs(value - reported) >= tolerance


#: server feature -> the ReportedState fields (top level, inside each device) it takes
REPORT_FIELDS_BY_FEATURE = {
    FEATURE_FLEET_REPORT: (FLEET_REPORT_FIELDS, FLEET_REPORT_DEVICE_FIELDS),
    FEATURE_ROLLOUT_HEALTH: (ROLLOUT_HEALTH_FIELDS, frozenset()),
    FEATURE_DEVICE_DETAIL: (DEVICE_DETAIL_FIELDS, DEVICE_DETAIL_DEVICE_FIELDS),
    FEATURE_CONFIG_NUMBER: (CONFIG_NUMBER_FIELDS, frozenset()),
    FEATURE_BUNDLE_UPDATES: (BUNDLE_UPDATE_FIELDS, frozenset()),
    FEATURE_RECEIPT_KEY_ROTATION: (RECEIPT_KEY_FIELDS, frozenset()),
}


def _report_for(report: dict[str, Any], server_features: set[str]) -> dict[str, Any]:
    """The report as a server listing `server_features` accepts it: its requests are strict,
    so the fields of a feature it does not list are left out."""
    top: set[str] = set()
    per_device: set[str] = set()
    for feature, (fields, device_fields) in REPORT_FIELDS_BY_FEATURE.items():
        if feature not in server_features:
            top |= fields
            per_device |= device_fields
    kept = {key: value for key, value in report.items() if key not in top}
    if kept.get("devices") and per_device:
        kept["devices"] = {name: {key: value for key, value in device.items()
                                  if key not in per_device}
                           for name, device in kept["devices"].items()}
    return kept


def _parse(model: type[ModelT], response: requests.Response, what: str) -> ModelT:
    """The body as `model`; anything else is a transient fault (a proxy, a cut response)."""
    return _validate(model, _json(response, what), response, what)


def _json(response: requests.Response, what: str) -> Any:
    """The body as decoded JSON, kept for verifying what was signed."""
    try:
        return json.loads(response.content)
    except ValueError as error:
        raise TransientError(f"{what}: {response.status_code} with a body that is not JSON "
                             "(captive portal or proxy?)") from error


def _validate(model: type[ModelT], raw: Any, response: requests.Response, what: str) -> ModelT:
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        raise TransientError(f"{what}: {response.status_code} with an unexpected body "
                             f"({error.error_count()} problems; captive portal or proxy?)"
                             ) from error


def raise_for_global_status(response: requests.Response, what: str) -> None:
    """The statuses that mean the same for every request: pause, or retry later."""
    status = response.status_code
    if status in (401, 403):
        raise PauseQueue(f"{what}: the server refuses this kiosk ({_problem(response)})")
    if status == 429 or status >= 500:
        raise TransientError(f"{what}: {_problem(response)}", _retry_after(response))
    if 300 <= status < 400:
        raise CaptivePortal(f"{what}: redirected to {response.headers.get('Location', '?')}")


def raise_for_item_status(response: requests.Response, what: str) -> None:
    """As `raise_for_global_status`, but an internal error (500, not a gateway's 502-504 or
    an overload's 503) answered to one item's request counts against that item."""
    if response.status_code == 500:
        raise ItemFailed(f"{what}: {_problem(response)}")
    raise_for_global_status(response, what)


def _corrupt_blob(sha: str) -> QuarantineItem:
    return QuarantineItem(f"attachment {sha[:12]}... is corrupted on the kiosk disk (its bytes "
                          "no longer hash to its name)")


#: items failing one after the other (500s) with none delivered between: the server itself
#: is failing, not the items
ITEM_FAILURES_MEANING_SERVER_FAULT = 3


class SyncWorker:
    def __init__(self, outbox: Outbox, transport: SignedTransport, identity: KioskIdentity, *,
                 clock: Clock, settings: SyncSettings = SyncSettings(),
                 desired: DesiredStateStore | None = None,
                 session_active: Callable[[], bool] = lambda: False,
                 report_extra: Callable[[], dict[str, Any]] = dict,
                 app_version: str = "", rng: random.Random | None = None) -> None:
        self.outbox = outbox
        self.transport = transport
        self.identity = identity
        self._clock = clock
        self.settings = settings
        self.desired = desired
        #: whether a citizen is mid-journey (desired state then waits); the kiosk core sets it
        self.session_active = session_active
        #: what the kiosk core adds to the reported state (it may override fields)
        self.report_extra = report_extra
        self._app_version = app_version
        #: runs a remote command of the district (the kiosk core sets it; None: commands are
        #: not taken). Called on this worker's thread, once per command until it records a
        #: result (`record_command_result`); one it leaves unrecorded (waiting for a citizen
        #: to finish) is handed over again on the next cycle.
        self.command_handler: Callable[[KioskCommand], None] | None = None
        #: why the district's newest desired state is not applied ("" when it is): it needs
        #: a newer app (DesiredState.min_app_version)
        self.desired_refused = ""
        #: the kiosk updates itself (kiosk/updates.py): it asks for DesiredState.bundle_version
        self.bundle_updates = False
        self._commands_lock = threading.Lock()
        self._rng = rng or random.SystemRandom()
        self._failures = 0
        self._next_desired_poll = 0.0
        #: the optional request fields the server accepts (from its health answer)
        self._server_features: set[str] = set()
        #: the largest blob the server takes in one request (its health probe says; 0: none)
        self._whole_blob_max = 0
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._cycle_lock = threading.Lock()
        #: set after every cycle, with its outcome in `last_result`
        self.cycle_done = threading.Event()
        self.last_result: CycleResult | None = None
        #: while a cycle runs: when it last moved on (started, or finished an item)
        self._progress_at: float | None = None

    # --- the loop ------------------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="queue-sync", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    @property
    def running(self) -> bool:
        """Whether the worker's thread is alive (False before `start`)."""
        return self._thread is not None and self._thread.is_alive()

    def stalled_s(self) -> float:
        """How long the cycle in progress has gone without finishing an item (0 between
        cycles): the watchdog's sign of a hung sync (kiosk/watchdog.py)."""
        progress_at = self._progress_at
        return 0.0 if progress_at is None else self._clock.monotonic() - progress_at

    def wake(self) -> None:
        """Run a cycle now (new item enqueued, network back, operator asked)."""
        self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            result = self._locked_cycle()
            # the next cycle is scheduled on the kiosk clock before anyone hears of this one
            timer = self._clock.call_later(result.next_delay_s, self._wake.set)
            self._finish(result)
            self._wake.wait()
            timer.cancel()

    def backoff_delay(self, retry_after_s: float | None = None) -> float:
        """Full jitter: uniform in [0, min(cap, base * 2^(failures-1))], at least the
        server's Retry-After, never more than the cap."""
        cap = self.settings.backoff_cap_s
        ceiling = min(cap, self.settings.backoff_base_s * 2 ** min(64, max(0, self._failures - 1)))
        return max(self._rng.uniform(0, ceiling), min(cap, retry_after_s or 0.0))

    def sync_once(self) -> CycleResult:
        """Run one cycle now, on the caller's thread."""
        result = self._locked_cycle()
        self._finish(result)
        return result

    def _locked_cycle(self) -> CycleResult:
        with self._cycle_lock:
            self._progress_at = self._clock.monotonic()
            try:
                return self._cycle()
            except Exception as error:  # a bug must not end syncing: log it, retry later
                log.exception("queue sync cycle failed unexpectedly")
                self._failures += 1
                self._record_failure(f"internal error: {type(error).__name__}: {error}",
                                     paused=False)
                return CycleResult(False, 0, 0, f"internal error: {error}",
                                   self.backoff_delay())
            finally:
                self._progress_at = None

    def _finish(self, result: CycleResult) -> None:
        self.last_result = result
        self.cycle_done.set()

    def _cycle(self) -> CycleResult:
        delivered = quarantined = 0
        failed: list[tuple[Item, ItemFailed]] = []
        try:
            self.housekeeping()  # first: a full disk is cleared even while sending fails
            self.probe()
            self.reconcile_receipts()
            in_a_row = 0
            for item, deliver in self._deliveries(
                    list(self.outbox.iter_items(PENDING, self.identity.kiosk_id))):
                self._progress_at = self._clock.monotonic()
                try:
                    if deliver():
                        delivered += 1
                        in_a_row = 0
                except QuarantineItem as error:
                    self._set_aside(item, str(error), recorded=error.recorded)
                    quarantined += 1
                except ItemFailed as error:
                    in_a_row += 1
                    if in_a_row >= ITEM_FAILURES_MEANING_SERVER_FAULT:
                        raise  # the server fails everything: back off, count nothing
                    failed.append((item, error))
            if failed and not delivered:
                raise failed[0][1]
            quarantined += self._count_item_failures(failed)
            self.pull_desired_state()
            self.apply_desired_state()
            self.report_state()
            self.exchange_commands()
            if not failed:  # recorded inside the try: a store that fails here is classified
                self.outbox.set_state(last_success_at=self._clock.now().isoformat(),
                                      last_error=None, paused=None)
        except PauseQueue as error:
            self._failures += 1
            self._record_failure(str(error), paused=True)
            return CycleResult(False, delivered, quarantined, str(error),
                               self.settings.backoff_cap_s)
        except (TransientError, StorageUnavailable) as error:
            self._failures += 1
            self._record_failure(str(error), paused=False)
            retry_after = error.retry_after_s if isinstance(error, TransientError) else None
            return CycleResult(False, delivered, quarantined, str(error),
                               self.backoff_delay(retry_after))
        if failed:  # the others went through; the failed ones are retried with backoff
            self._failures += 1
            error_text = str(failed[0][1])
            self._record_failure(error_text, paused=False)
            return CycleResult(False, delivered, quarantined, error_text, self.backoff_delay())
        self._failures = 0
        return CycleResult(True, delivered, quarantined, None,
                           self.settings.idle_sync_interval_s)

    def _set_aside(self, item: Item, reason: str, recorded: bool = False) -> None:
        """Quarantine `item` (unless its batch's transaction already `recorded` that)."""
        log.warning("queue item quarantined", extra={"item_id": item.item_id, "reason": reason})
        if not recorded:
            self.outbox.quarantine(item.item_id, reason)

    def _count_item_failures(self, failed: list[tuple[Item, ItemFailed]]) -> int:
        """Count server failures of items while others got through (so the server works);
        an item that reaches the limit is set aside. Returns how many were."""
        set_aside = 0
        for item, error in failed:
            self.outbox.record_attempt(item.item_id, str(error))
            if item.attempts + 1 >= self.settings.item_failure_limit:
                self._set_aside(item, f"the server failed this item {item.attempts + 1} times "
                                      f"while accepting others; last: {error}")
                set_aside += 1
        return set_aside

    def _record_failure(self, message: str, paused: bool) -> None:
        log.warning("queue sync failed", extra={"error": message, "paused": paused})
        try:
            self.outbox.set_state(last_error=message, paused=message if paused else None)
        except StorageUnavailable:
            log.error("queue state could not be recorded", extra={"error": message})

    @property
    def server_features(self) -> frozenset[str]:
        """What the server's last health answer offers (empty before the first): optional
        request fields (a journey puts a newer field into an event only then), v1.1 batches."""
        return frozenset(self._server_features)

    def status(self) -> QueueStatus:
        return queue_status(self.outbox, self._clock.now(), self.settings.oldest_unsent_alert_s,
                            self.identity.kiosk_id)

    # --- 1. health -----------------------------------------------------------------------

    def probe(self) -> None:
        """Raise unless the district server itself answers; record the clock offset."""
        response = self.transport.request("GET", PATH_HEALTH, signed=False)
        if response.status_code != 204 or response.headers.get(HEADER_API) != API_VERSION:
            raise CaptivePortal(f"GET {PATH_HEALTH} answered {response.status_code} without "
                                f"{HEADER_API}: {API_VERSION} (captive portal or proxy)")
        self._server_features = features(response.headers.get(HEADER_SERVER_FEATURES))
        try:
            self._whole_blob_max = min(MAX_CHUNK_BYTES, max(0, int(
                response.headers.get(HEADER_WHOLE_BLOB_MAX, "0"))))
        except ValueError:
            self._whole_blob_max = 0
        server_time = _http_date(response.headers.get("Date", ""))
        if server_time is not None:
            offset = (server_time - self._clock.now()).total_seconds()
            self.transport.clock_offset_s = offset
            self.outbox.set_state(clock_offset_s=round(offset, 1))

    # --- 2. receipts reconciliation ------------------------------------------------------

    def _receipts_after(self, after_seq: int) -> tuple[list[tuple[SignedReceipt, Any]], int]:
        """(receipt, its JSON as received) for each verified receipt after `after_seq`."""
        receipts: list[tuple[SignedReceipt, Any]] = []
        contiguous = 0
        while True:
            path = PATH_RECEIPTS.format(kiosk_id=self.identity.kiosk_id) + \
                f"?after_seq={after_seq}"
            response = self.transport.request(
                "GET", path, headers={HEADER_FEATURES: FEATURE_BACKUP_WATERMARK})
            raise_for_global_status(response, "receipts")
            if response.status_code != 200:
                raise TransientError(f"receipts: {_problem(response)}")
            raw = _json(response, "receipts")
            page = _validate(ReceiptsPage, raw, response, "receipts")
            for signed, raw_signed in zip(page.receipts, raw["receipts"]):
                self._verify_receipt(signed, raw_signed)
                receipts.append((signed, raw_signed))
            if page.backup is not None:
                self._record_backup_watermark(page.backup, raw["backup"])
            contiguous = page.contiguous_through
            if not page.has_more or not page.receipts:
                return receipts, contiguous
            after_seq = page.receipts[-1].receipt.kiosk_seq

    def reconcile_receipts(self) -> None:
        """Mark items the server has (response lost) delivered; resend what it lost."""
        cursor_key = f"receipts_through:{self.identity.kiosk_id}"
        cursor = self.outbox.get_state(cursor_key, 0)
        receipts, contiguous = self._receipts_after(cursor)
        if contiguous < cursor:
            log.error("district server forgot confirmed submissions (restored from backup?)",
                      extra={"was": cursor, "now": contiguous})
            cursor = contiguous
            receipts, contiguous = self._receipts_after(cursor)
        if receipts:  # never number below what the district holds (a salvage lost rows)
            self.outbox.continue_sequence_after(
                self.identity.kiosk_id, max(signed.receipt.kiosk_seq for signed, _ in receipts))
        by_id = {signed.receipt.submission_id: (signed, raw) for signed, raw in receipts}
        found: list[DeliveredReceipt] = []
        different: dict[str, str] = {}
        # the receipts cover every sequence above `cursor`
        for item in self.outbox.items(after_seq=cursor, limit=1_000_000,
                                      kiosk_id=self.identity.kiosk_id):
            signed, raw_signed = by_id.get(item.item_id, (None, None))
            if signed is not None and item.state == PENDING:
                if signed.receipt.digest == item.digest:
                    found.append(self.delivered_receipt(item, signed, raw_signed))
                else:
                    different[item.item_id] = ("the server holds a different submission "
                                               "under this id")
            elif signed is None and item.state == DELIVERED:
                self.outbox.mark_undelivered(item.item_id, "the server no longer has it "
                                                           "(restored from a backup); resending")
        if found or different:
            self.outbox.record_outcomes(found, different)
        self.outbox.set_state(**{cursor_key: contiguous})

    def _record_backup_watermark(self, signed: SignedBackupWatermark, raw_signed: Any) -> None:
        """What the district's latest backup holds; it can go down (a restored district)."""
        if not verify_signed(signed_message(raw_signed, "watermark"), signed.signature_b64,
                             self.identity.receipt_keys):
            raise PauseQueue("the backup watermark does not verify: "
                             + self.identity.receipt_keys.untrusted())
        self.outbox.set_state(backup_watermark=signed.watermark.backed_up_through)

    # --- 3. delivery ---------------------------------------------------------------------

    def _deliveries(self, items: list[Item]) -> Iterator[tuple[Item, Callable[[], bool]]]:
        """Each pending item with what delivers it: in protocol v1.1's batches when the
        server offers them, else one by one (`deliver`)."""
        if FEATURE_SUBMISSION_BATCH in self._server_features:
            from offline_queue.batch import batched_deliveries  # it builds on this module
            return batched_deliveries(self, items)
        return ((item, partial(self.deliver, item)) for item in items)

    def forget_feature(self, feature: str) -> None:
        """The server no longer offers `feature` (it answered as a server without it), until
        its next health answer says otherwise."""
        self._server_features.discard(feature)

    @property
    def whole_blob_max(self) -> int:
        """The largest blob the server takes in one request (0: none)."""
        return self._whole_blob_max

    def _verify_receipt(self, signed: SignedReceipt, raw_signed: Any) -> None:
        """`signed` as parsed from `raw_signed`, the receipt's JSON as received."""
        receipt = signed.receipt
        if receipt.kiosk_id != self.identity.kiosk_id or not verify_signed(
                signed_message(raw_signed, "receipt"), signed.signature_b64,
                self.identity.receipt_keys):
            raise PauseQueue(f"a receipt for {receipt.submission_id} does not verify: "
                             + self.identity.receipt_keys.untrusted())

    def delivered_receipt(self, item: Item, signed: SignedReceipt,
                          raw_signed: Any) -> DeliveredReceipt:
        """The receipt to keep, as the district signed it (fields this release ignores
        included)."""
        return DeliveredReceipt(item.item_id, json.dumps(raw_signed, ensure_ascii=False),
                                signed.receipt.server_seq, self._clock.now().isoformat())

    def deliver(self, item: Item) -> bool:
        """Blobs, then the PUT; True once a verified receipt is recorded."""
        for sha in item.blobs:
            self.upload_blob(sha)
        response = self._put(item)
        if response.status_code == 424:
            for sha in self._missing_blobs(response):
                self.upload_blob(sha)
            response = self._put(item)
        return self.accept_put_response(item, response)

    def _put(self, item: Item) -> requests.Response:
        path = PATH_SUBMISSION.format(submission_id=item.item_id)
        response = self.transport.request(
            "PUT", path, body=item.envelope.encode(), stream=True,
            headers={"Content-Type": "application/json", HEADER_IDEMPOTENCY_KEY: item.item_id})
        crash_point("server_committed")  # the status line is here, the receipt not yet read
        try:
            response.content  # noqa: B018 - read the body now, inside the error handling
        except requests.RequestException as error:
            raise TransientError(f"PUT {path}: response cut off: {error}") from error
        return response

    def _missing_blobs(self, response: requests.Response) -> list[str]:
        try:
            missing = Problem.model_validate_json(response.content).missing or []
        except ValidationError:
            missing = []
        return missing

    def accept_put_response(self, item: Item, response: requests.Response) -> bool:
        """Record the verified receipt the PUT's answer carries (else raise as v1's rules
        classify the answer); True once recorded."""
        self.outbox.record_outcomes([self.checked_receipt(item, response)], {})
        return True

    def checked_receipt(self, item: Item, response: requests.Response) -> DeliveredReceipt:
        """The verified receipt a PUT's answer carries, not yet recorded; anything else
        raises as v1's rules classify the answer."""
        status = response.status_code
        what = f"submission {item.case_number}"
        if status in (200, 201):
            raw_signed = _json(response, what)
            signed = _validate(SignedReceipt, raw_signed, response, what)
            self._verify_receipt(signed, raw_signed)
            receipt = signed.receipt
            if (receipt.submission_id, receipt.kiosk_seq, receipt.digest) != \
                    (item.item_id, item.kiosk_seq, item.digest):
                raise PauseQueue(f"{what}: the receipt names another submission or digest")
            crash_point("response_arrived")
            return self.delivered_receipt(item, signed, raw_signed)
        if status == 409:
            raise QuarantineItem(f"{what}: the server holds a different submission under the "
                                 f"same id ({_problem(response)}); never overwritten")
        if status in (400, 413, 422):
            raise QuarantineItem(f"{what}: rejected as invalid ({_problem(response)})")
        if status == 424:
            raise TransientError(f"{what}: the server still misses attachments")
        raise_for_item_status(response, what)
        raise PauseQueue(f"{what}: unexpected answer {_problem(response)}")

    # --- blobs ---------------------------------------------------------------------------

    def upload_blob(self, sha: str) -> None:
        """Resumable upload: continue a known upload at the server's offset, chunk by chunk.
        No HEAD probe first: creating the upload answers `complete` for a blob the server
        already holds from this kiosk (v1), one request either way and one fewer otherwise."""
        if not self.outbox.blobs.exists(sha):
            raise QuarantineItem(f"attachment {sha[:12]}... is missing from the kiosk disk")
        length = self.outbox.blobs.size(sha)
        upload_key = f"upload:{sha}"
        known = self.outbox.get_state(upload_key)
        if length <= self._whole_blob_max and self._post_whole_blob(sha):
            if known:  # a resumable upload begun before the server took blobs whole
                self.outbox.set_state(**{upload_key: None})
            return
        offset = self._upload_offset(known["upload_id"]) if known else None
        if offset is None:
            response = self.transport.request("POST", PATH_BLOB_UPLOADS.format(sha256=sha),
                                              json_body={"length": length})
            if response.status_code not in (200, 201):
                self._raise_for_blob(response, sha)
            created = _parse(BlobUploadCreated, response, "blob upload")
            known = {"upload_id": created.upload_id,
                     "chunk": min(max(created.chunk_size, 4096), MAX_CHUNK_BYTES)}
            offset = created.offset
            self.outbox.set_state(**{upload_key: known})
        complete = offset >= length
        while not complete:
            data = self.outbox.blobs.read(sha, offset, known["chunk"])
            response = self.transport.request(
                "PATCH", PATH_BLOB_UPLOAD.format(upload_id=known["upload_id"]), body=data,
                headers={HEADER_UPLOAD_OFFSET: str(offset), HEADER_CHUNK_SHA256: sha256_hex(data),
                         "Content-Type": "application/offset+octet-stream"})
            if response.status_code in (400, 409) and self._local_blob_corrupt(sha):
                self.outbox.set_state(**{upload_key: None})
                raise _corrupt_blob(sha)
            if response.status_code == 409:  # our offset is stale: ask the server
                offset = self._upload_offset(known["upload_id"])
                if offset is None:
                    self.outbox.set_state(**{upload_key: None})
                    raise TransientError(f"blob {sha[:12]}...: upload abandoned by the server "
                                         f"({_problem(response)}); starting over")
                continue
            if response.status_code not in (200, 201, 204):
                self._raise_for_blob(response, sha)
            progress = _parse(BlobUploadProgress, response, "blob chunk")
            if progress.offset <= offset and not progress.complete:
                raise TransientError(f"blob {sha[:12]}...: the upload made no progress")
            offset, complete = progress.offset, progress.complete
        self.outbox.set_state(**{upload_key: None})

    def _post_whole_blob(self, sha: str) -> bool:
        """The blob in one request; False when the server does not take it whole after all
        (a server of an older release now behind the address, a lower limit): the caller
        uploads it resumably."""
        data = self.outbox.blobs.read(sha)
        if sha256_hex(data) != sha:
            raise _corrupt_blob(sha)
        response = self.transport.request("POST", PATH_BLOB.format(sha256=sha), body=data,
                                          headers={"Content-Type": "application/octet-stream"})
        if response.status_code in (404, 405, 413):
            return False
        if response.status_code not in (200, 201):
            self._raise_for_blob(response, sha)
        if not _parse(BlobUploadProgress, response, "blob").complete:
            raise TransientError(f"blob {sha[:12]}...: the server did not complete it")
        return True

    def _local_blob_corrupt(self, sha: str) -> bool:
        return sha256_hex(self.outbox.blobs.read(sha)) != sha

    def _upload_offset(self, upload_id: str) -> int | None:
        response = self.transport.request("HEAD", PATH_BLOB_UPLOAD.format(upload_id=upload_id))
        if response.status_code == 404:
            return None
        if response.status_code not in (200, 204):
            raise_for_global_status(response, "upload offset")
            raise TransientError(f"upload offset: {_problem(response)}")
        try:
            return int(response.headers[HEADER_UPLOAD_OFFSET])
        except (KeyError, ValueError):
            raise TransientError("upload offset: no usable Upload-Offset header") from None

    def _raise_for_blob(self, response: requests.Response, sha: str) -> None:
        raise_for_item_status(response, f"blob {sha[:12]}...")
        if response.status_code in (413, 422):
            raise QuarantineItem(f"blob {sha[:12]}... refused: {_problem(response)}")
        raise TransientError(f"blob {sha[:12]}...: {_problem(response)}")

    # --- 4./5. desired and reported state ------------------------------------------------

    def pull_desired_state(self) -> None:
        if self.desired is None or self._clock.monotonic() < self._next_desired_poll:
            return
        path = PATH_DESIRED_STATE.format(kiosk_id=self.identity.kiosk_id)
        etag = self.outbox.get_state("desired_etag")
        understood = (FEATURE_KIOSK_STAFF, FEATURE_KIOSK_PIN, FEATURE_STAFF_CARD,
                      FEATURE_ALTERNATIVES, FEATURE_LOCKER_FILL, FEATURE_CONFIG_NUMBER,
                      FEATURE_RECEIPT_KEY_ROTATION) \
            + ((FEATURE_BUNDLE_UPDATES,) if self.bundle_updates else ())
        headers = {HEADER_FEATURES: ",".join(understood),
                   **({"If-None-Match": etag} if etag else {})}
        response = self.transport.request("GET", path, headers=headers)
        if response.status_code == 200:
            state = _validate(SignedDesiredState, _json(response, "desired state"), response,
                              "desired state").state
            if self._app_version and app_version_key(self._app_version) < \
                    app_version_key(state.min_app_version):
                # kept out and its ETag not kept: fetched again until this app is new enough
                self.desired_refused = (f"desired state version {state.version} needs app "
                                        f"{state.min_app_version}; this kiosk runs "
                                        f"{self._app_version} and keeps what it has")
                log.error("desired state refused: app too old",
                          extra={"refused": self.desired_refused})
                self._schedule_desired_poll()
                return
            self.desired_refused = ""
            try:
                if not self.desired.catalogue_path(state).exists():
                    self.desired.store_catalogue(state, self._fetch_catalogue(state))
                self.desired.stage(response.content, self.identity.receipt_keys)
            except DesiredStateUnsigned as error:
                raise PauseQueue(f"desired state refused: {error}: "
                                 + self.identity.receipt_keys.untrusted()) from error
            except DesiredStateRejected as error:
                raise PauseQueue(f"desired state refused: {error}") from error
            # verified: its signer vouches for the next key (or that no rotation is under way)
            self.identity.receipt_keys.announce(state.next_receipt_public_key)
            self.outbox.set_state(desired_etag=response.headers.get("ETag"))
        elif response.status_code not in (304, 404):
            raise_for_global_status(response, "desired state")
            raise TransientError(f"desired state: {_problem(response)}")
        self._schedule_desired_poll()

    def _schedule_desired_poll(self) -> None:
        self._next_desired_poll = self._clock.monotonic() + self.settings.desired_state_poll_s \
            + self._rng.uniform(0, self.settings.desired_state_jitter_s)

    def _fetch_catalogue(self, state: DesiredState) -> bytes:
        path = PATH_CATALOGUE.format(version=quote(state.catalogue_version, safe=""))
        response = self.transport.request("GET", path)
        if response.status_code != 200:
            raise_for_global_status(response, "catalogue")
            raise TransientError(f"catalogue {state.catalogue_version}: {_problem(response)}")
        return response.content

    def apply_desired_state(self) -> None:
        if self.desired is not None:
            self.desired.apply_staged(self.session_active)

    def refresh_desired_state(self) -> DesiredState | None:
        """Fetch the desired state now (not at the next poll) and apply what is new;
        returns the one in use."""
        if self.desired is None:
            return None
        self._next_desired_poll = 0.0
        self.pull_desired_state()
        self.apply_desired_state()
        return self.desired.current()

    def current_report(self) -> dict[str, Any]:
        """The reported state, coarsened so that only real changes make a delta."""
        status = self.status()
        current = self.desired.current() if self.desired else None
        disk_free = shutil.disk_usage(self.outbox.directory).free
        report: dict[str, Any] = {
            "app_version": self._app_version or None,
            "applied_desired_version": current.version if current else None,
            "catalogue_version": current.catalogue_version if current else None,
            "queue_depth": status.depth,
            "oldest_unsent_age_s": (float(int(status.oldest_unsent_age_s // 60) * 60)
                                    if status.oldest_unsent_age_s is not None else None),
            "clock_offset_ms": int(round(self.transport.clock_offset_s * 1000)),
            "disk_free_bytes": disk_free,
            "last_errors": [status.last_error] if status.last_error else [],
            "set_aside": status.quarantined,
            "receipt_keys": self.identity.receipt_keys.fingerprints(),
        }
        report.update(self.report_extra())
        report = ReportedState.model_validate(report).model_dump(mode="json")
        return _report_for(report, self._server_features)

    def report_state(self) -> None:
        current = self.current_report()
        last = self.outbox.get_state("reported", {})
        delta = {key: value for key, value in current.items()
                 if _report_changed(key, value, last.get(key))}
        if not delta:
            return
        path = PATH_REPORTED_STATE.format(kiosk_id=self.identity.kiosk_id)
        response = self.transport.request("PATCH", path, json_body=delta)
        if response.status_code not in (200, 204):
            raise_for_global_status(response, "reported state")
            raise TransientError(f"reported state: {_problem(response)}")
        # what the server now holds: values that moved less than their tolerance stay as sent
        self.outbox.set_state(reported={**last, **delta})

    # --- 6. remote commands ---------------------------------------------------------------

    def exchange_commands(self) -> None:
        """Send what became of earlier commands, take the new ones (each checked: the
        district's signature, this kiosk, not expired by the server's clock), hand each not
        yet recorded to `command_handler`, and send what it did."""
        if self.command_handler is None or FEATURE_KIOSK_COMMANDS not in self._server_features:
            return
        self.push_command_results()
        path = PATH_COMMANDS.format(kiosk_id=self.identity.kiosk_id)
        response = self.transport.request("GET", path)
        if response.status_code != 200:
            raise_for_global_status(response, "commands")
            raise TransientError(f"commands: {_problem(response)}")
        raw = _json(response, "commands")
        listed = _validate(KioskCommands, raw, response, "commands")
        server_now = self._clock.now().timestamp() + self.transport.clock_offset_s
        recorded = self.outbox.get_state("commands", {})
        for raw_signed, signed in zip(raw["commands"], listed.commands):
            command = signed.command
            if not verify_signed(signed_message(raw_signed, "command"), signed.signature_b64,
                                 self.identity.receipt_keys) \
                    or command.kiosk_id != self.identity.kiosk_id:
                log.error("remote command refused: not signed by the district for this kiosk",
                          extra={"command_id": command.command_id})
                continue
            if command.command_id in recorded or command.expires_at.timestamp() <= server_now:
                continue
            self.command_handler(command)
        self.push_command_results()

    def record_command_result(self, command_id: str, state: str, detail: str = "",
                              blob_sha256: str | None = None) -> None:
        """Keep what became of a command (durably, before and after it acts: a command
        recorded "running" is never run again) until the district has it."""
        with self._commands_lock:
            recorded = self.outbox.get_state("commands", {})
            recorded[command_id] = {"state": state, "detail": detail[:500],
                                    "blob_sha256": blob_sha256, "sent": False}
            self.outbox.set_state(commands=recorded)

    def push_command_results(self) -> None:
        with self._commands_lock:
            recorded = self.outbox.get_state("commands", {})
        for command_id, entry in recorded.items():
            if entry["sent"]:
                continue
            result = CommandResult(state=entry["state"], detail=entry["detail"],
                                   blob_sha256=entry["blob_sha256"])
            response = self.transport.request(
                "POST", PATH_COMMAND_RESULT.format(kiosk_id=self.identity.kiosk_id,
                                                   command_id=command_id),
                json_body=result.model_dump(mode="json", exclude_none=True))
            if response.status_code not in (204, 404, 409):   # 404, 409: nothing to tell
                raise_for_global_status(response, "command result")
                raise TransientError(f"command result: {_problem(response)}")
            with self._commands_lock:
                current = self.outbox.get_state("commands", {})
                if current.get(command_id) == entry:
                    if entry["state"] == "running":
                        current[command_id] = {**entry, "sent": True}
                    else:   # finished and told: the district hands it over no more
                        current.pop(command_id)
                    self.outbox.set_state(commands=current)

    def upload_sealed(self, plaintext: bytes) -> str:
        """Seal `plaintext` to the district (HPKE, the blob key), keep it and upload it now;
        returns its address. Not referenced by an item, it is collected once uploaded."""
        sha = self.outbox.blobs.put(seal_blob(plaintext, self.identity.payload_public_key))
        self.upload_blob(sha)
        return sha

    # --- housekeeping --------------------------------------------------------------------

    def housekeeping(self) -> None:
        """Purge delivered items past their retention, or all of them when the disk is
        below the guard, but only those the district's latest backup holds (when it
        reports a backup watermark): the kiosk's copy is what re-fills a restored district.
        A pending or quarantined item is never purged."""
        before = None if self._disk_low() else \
            retention_cutoff(self._clock.now(), self.settings.delivered_retention_s)
        self.outbox.purge_delivered(before, self.outbox.get_state("backup_watermark"))
        self.outbox.collect_orphan_blobs()

    def _disk_low(self) -> bool:
        try:
            return shutil.disk_usage(self.outbox.directory).free < self.settings.min_free_bytes
        except OSError:
            return True

