"""Locker pickup (Qt-free): parcels the district server assigns, opened for their holder.

- The server assigns parcels (case, compartment, holder HMAC, pickup-code hash, expiry).
- Staff deposit a parcel (the door opens; closing it makes the parcel `stored`) and
  recall it (closing makes it `recalled`).
- A citizen opens theirs after identification (document + face: the ID number's HMAC
  must match) or with the pickup code (limited tries, then that parcel locks).
- The door closing after a citizen's open confirms the pickup: a `pickup` event goes
  through the event sink.
- Every open is first recorded as an `audit` event with who and why; if it cannot be
  recorded, the door stays shut.
"""
from __future__ import annotations

import logging
import threading
from concurrent.futures import Future
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Iterable

from devices.locker.bank import LockerBank, OpenResult
from devices.model import Completion, DeviceEvent, UnitState
from foundation.clock import Clock
from foundation.events import EventSink
from kiosk.parcel_store import ParcelStore
from kiosk.pickup_secrets import AttemptLimiter, verify_secret
from wire.v1 import holder_hmac

log = logging.getLogger(__name__)


class ParcelState(StrEnum):
    ASSIGNED = "assigned"    # the server reserved a compartment; staff have not deposited yet
    STORED = "stored"
    PICKED = "picked"
    RECALLED = "recalled"
    OVERDUE = "overdue"


class PickupError(Exception):
    """A pickup refusal the journey shows to the citizen (no personal data in it)."""
    code = "pickupError"


class NoParcel(PickupError):
    code = "noParcel"


class ParcelExpired(PickupError):
    code = "parcelExpired"


class WrongCode(PickupError):
    code = "wrongCode"

    def __init__(self, remaining: int) -> None:
        super().__init__(f"wrong pickup code; {remaining} tries left")
        self.remaining = remaining


class ParcelLocked(PickupError):
    code = "parcelLocked"

    def __init__(self, until: datetime) -> None:
        super().__init__(f"too many wrong codes; this parcel is locked until {until.isoformat()}")
        self.until = until


class WrongParcelState(PickupError):
    """Staff asked for something the parcel's state does not allow (deposit twice...)."""
    code = "wrongParcelState"


class DoorNotOpened(PickupError):
    """The board was told to open but did not confirm; staff are alerted by the jam event."""
    code = "doorNotOpened"


@dataclass(frozen=True)
class Parcel:
    parcel_id: str
    case_number: str
    compartment: int
    holder_hmac: str
    code_hash: str
    expires_at: datetime
    items: tuple[str, ...] = ()
    state: ParcelState = ParcelState.ASSIGNED
    deposited_at: datetime | None = None
    picked_at: datetime | None = None
    verification: str = ""
    #: an open whose door has not closed yet (kept on disk: a restart must not lose it)
    open_purpose: str = ""       # pickup | deposit | recall
    opened_by: str = ""
    open_verification: str = ""

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("expires_at", "deposited_at", "picked_at"):
            data[key] = data[key].isoformat() if data[key] else None
        data["items"] = list(self.items)
        data["state"] = str(self.state)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Parcel":
        data = dict(data)
        for key in ("expires_at", "deposited_at", "picked_at"):
            data[key] = datetime.fromisoformat(data[key]) if data.get(key) else None
        data["items"] = tuple(data.get("items", ()))
        data["state"] = ParcelState(data["state"])
        return cls(**data)


#: fields the kiosk keeps for itself when the server re-sends an assignment
_LOCAL_FIELDS = ("state", "deposited_at", "picked_at", "verification", "open_purpose",
                 "opened_by", "open_verification")


@dataclass
class PickupService:
    store: ParcelStore
    lockers: LockerBank
    events: EventSink
    clock: Clock
    district_key: bytes
    code_tries: AttemptLimiter
    open_timeout_s: float = 10.0
    _unsubscribe: Any = None
    _closing: dict[str, list[Future[Parcel]]] = field(default_factory=dict)
    _closing_lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._unsubscribe = self.lockers.subscribe(self._on_locker_event)

    @classmethod
    def create(cls, data_dir: Path, section: Any, *, lockers: LockerBank, events: EventSink,
               clock: Clock, district_key: bytes) -> "PickupService":
        """The service as the kiosk runs it: parcels and code tries under `<data dir>/pickup`,
        limits from the `[lockers]` configuration section."""
        folder = data_dir / "pickup"
        return cls(store=ParcelStore(folder / "parcels.sqlite3"), lockers=lockers, events=events,
                   clock=clock, district_key=district_key,
                   code_tries=AttemptLimiter(folder / "code-tries.json",
                                             max_tries=section.code_max_tries,
                                             lockout_s=section.code_lockout_s, clock=clock))

    def when_closed(self, parcel_id: str) -> Future[Parcel]:
        """Resolves with the settled parcel once the door opened for it is shut again."""
        future: Future[Parcel] = Future()
        with self._closing_lock:
            parcel = self.store.all().get(parcel_id)
            if parcel is not None and not parcel.open_purpose:
                future.set_result(parcel)
            else:
                self._closing.setdefault(parcel_id, []).append(future)
        return future

    def _settle_waiters(self, parcel_id: str, error: PickupError | None = None) -> None:
        with self._closing_lock:
            waiters = self._closing.pop(parcel_id, [])
            final = self.store.all().get(parcel_id)
        for future in waiters:
            if error is not None:
                future.set_exception(error)
            else:
                future.set_result(final)

    def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
        self.store.close()

    # --- from the district server ----------------------------------------------------

    def assign(self, parcels: Iterable[Parcel]) -> None:
        """Take the server's assignments. The server owns the assignment fields; what happened
        here (state, times, an open in progress) stays; picked or recalled parcels are final."""
        current = self.store.all()
        for parcel in parcels:
            known = current.get(parcel.parcel_id)
            if known is None:
                current[parcel.parcel_id] = parcel
            elif known.state in (ParcelState.ASSIGNED, ParcelState.STORED):
                current[parcel.parcel_id] = replace(
                    parcel, **{name: getattr(known, name) for name in _LOCAL_FIELDS})
        self.store.save(current.values())

    # --- staff ---------------------------------------------------------------------------

    def deposit(self, parcel_id: str, staff_id: str) -> OpenResult:
        parcel = self._parcel(parcel_id, ParcelState.ASSIGNED)
        return self._open(parcel, who=f"staff:{staff_id}", why="deposit")

    def recall(self, parcel_id: str, staff_id: str, reason: str) -> OpenResult:
        parcel = self._parcel(parcel_id, ParcelState.STORED, ParcelState.OVERDUE)
        return self._open(parcel, who=f"staff:{staff_id}", why=f"recall: {reason}")

    # --- citizens --------------------------------------------------------------------------

    def open_with_code(self, case_number: str, code: str) -> OpenResult:
        parcel = self._collectable(p for p in self.store.all().values()
                                   if p.case_number == case_number)
        tries = self.code_tries.state(parcel.parcel_id)
        if tries.locked(self.clock.now()):
            assert tries.locked_until is not None
            raise ParcelLocked(tries.locked_until)
        if not verify_secret(code, parcel.code_hash):
            after = self.code_tries.failed(parcel.parcel_id)
            self._audit("pickup.wrongCode", parcel, who="citizen:pickup_code", why="pickup")
            if after.locked(self.clock.now()):
                assert after.locked_until is not None
                raise ParcelLocked(after.locked_until)
            raise WrongCode(self.code_tries.max_tries - after.failures)
        self.code_tries.succeeded(parcel.parcel_id)
        return self._open(parcel, who="citizen:pickup_code", why="pickup",
                          verification="pickup_code")

    def open_for_holder(self, id_number: str) -> list[OpenResult]:
        """After document + face identification: open every stored parcel of this holder."""
        holder = holder_hmac(self.district_key, id_number)
        mine = [p for p in self.store.all().values() if p.holder_hmac == holder]
        results = []
        for parcel in mine:
            if parcel.state is ParcelState.STORED and self._expired(parcel):
                continue
            if parcel.state is ParcelState.STORED:
                results.append(self._open(parcel, who="citizen:document+face", why="pickup",
                                          verification="document+face"))
        if not results:
            self._collectable(mine)  # raises the precise reason
        return results

    # --- internals ---------------------------------------------------------------------------

    def _parcel(self, parcel_id: str, *states: ParcelState) -> Parcel:
        parcel = self.store.all().get(parcel_id)
        if parcel is None:
            raise NoParcel("no such parcel on this kiosk")
        if parcel.state not in states:
            raise WrongParcelState(f"parcel is {parcel.state}; this needs "
                                   f"{' or '.join(str(s) for s in states)}")
        return parcel

    def _expired(self, parcel: Parcel) -> bool:
        if self.clock.now() < parcel.expires_at:
            return False
        self.store.put(replace(parcel, state=ParcelState.OVERDUE))
        return True

    def _collectable(self, candidates: Iterable[Parcel]) -> Parcel:
        stored = [p for p in candidates if p.state in (ParcelState.STORED, ParcelState.OVERDUE)]
        if not stored:
            raise NoParcel("no parcel waiting for you in this locker")
        parcel = stored[0]
        if parcel.state is ParcelState.OVERDUE or self._expired(parcel):
            raise ParcelExpired("the pickup period has ended; please ask at the service window")
        return parcel

    def _audit(self, action: str, parcel: Parcel, *, who: str, why: str, **extra: Any) -> None:
        self.events.enqueue("audit", {"action": action, "parcel_id": parcel.parcel_id,
                                      "case_number": parcel.case_number,
                                      "compartment": parcel.compartment, "who": who, "why": why,
                                      "at": self.clock.now().isoformat(), **extra})

    def _open(self, parcel: Parcel, *, who: str, why: str, verification: str = "") -> OpenResult:
        if parcel.compartment not in self.lockers.compartments:
            raise DoorNotOpened(f"compartment {parcel.compartment} is not in this locker bank")
        # recorded before the door moves: an open that cannot be audited does not happen
        self._audit("locker.open", parcel, who=who, why=why)
        self.store.put(replace(parcel, open_purpose=why.split(":")[0], opened_by=who,
                               open_verification=verification))
        result = self.lockers.open(parcel.compartment).result(self.open_timeout_s)
        if not result.ok:
            if result.completion is not Completion.OUTCOME_UNKNOWN:  # surely still shut
                self.store.put(parcel)
            self._audit("locker.openFailed", parcel, who=who, why=why,
                        completion=str(result.completion))
            log.warning("compartment open failed", extra={"compartment": parcel.compartment,
                                                          "completion": str(result.completion)})
            raise DoorNotOpened(f"compartment {parcel.compartment} did not confirm opening "
                                f"({result.completion})")
        return result.value

    def free_compartments(self) -> dict[str, int]:
        """How many compartments of each size hold no parcel and none is reserved for."""
        taken = {p.compartment for p in self.store.all().values()
                 if p.state in (ParcelState.ASSIGNED, ParcelState.STORED, ParcelState.OVERDUE)}
        free: dict[str, int] = {}
        for number, compartment in self.lockers.compartments.items():
            free.setdefault(compartment.size, 0)
            if number not in taken:
                free[compartment.size] += 1
        return free

    def _awaiting_close(self, compartment: int) -> Parcel | None:
        return next((p for p in self.store.all().values()
                     if p.compartment == compartment and p.open_purpose), None)

    def reconcile(self) -> None:
        """After a restart: an open whose door is already shut again cannot be confirmed
        (the parcel may or may not have been taken), so hall staff are asked to check."""
        doors = self.lockers.door_states()
        for parcel in self.store.all().values():
            if parcel.open_purpose and doors.get(parcel.compartment) is UnitState.CLOSED:
                self._audit("locker.closeUnconfirmed", parcel, who=parcel.opened_by,
                            why=parcel.open_purpose)
                self.store.put(replace(parcel, open_purpose="", opened_by="",
                                       open_verification=""))

    def _on_locker_event(self, event: DeviceEvent) -> None:
        if event.name not in ("closed", "jammed"):
            return
        parcel = self._awaiting_close(int(event.data.get("compartment", 0)))
        if parcel is None:
            return
        who, purpose, verification = parcel.opened_by, parcel.open_purpose, \
            parcel.open_verification
        settled = replace(parcel, open_purpose="", opened_by="", open_verification="")
        if event.name == "jammed":  # the door never opened: nothing was taken or put in
            self.store.put(settled)
            self._audit("locker.jammed", parcel, who=who, why=purpose)
            self._settle_waiters(parcel.parcel_id, DoorNotOpened(
                f"compartment {parcel.compartment} is jammed; hall staff are alerted"))
            return
        now = self.clock.now()
        if purpose == "pickup":
            self.store.put(replace(settled, state=ParcelState.PICKED, picked_at=now,
                                   verification=verification))
            self.events.enqueue("pickup", {"parcel_id": parcel.parcel_id,
                                           "case_number": parcel.case_number,
                                           "compartment": parcel.compartment,
                                           "verification": verification,
                                           "picked_at": now.isoformat()})
        elif purpose == "deposit":
            self.store.put(replace(settled, state=ParcelState.STORED, deposited_at=now))
            self._audit("locker.deposited", parcel, who=who, why="deposit")
        elif purpose == "recall":
            self.store.put(replace(settled, state=ParcelState.RECALLED))
            self._audit("locker.recalled", parcel, who=who, why="recall")
        self._settle_waiters(parcel.parcel_id)
