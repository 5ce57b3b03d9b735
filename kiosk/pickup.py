"""Locker pickup (Qt-free): parcels the district server assigns, opened for their holder.

- The server assigns parcels (case, compartment size, holder HMAC, pickup-code hash,
  expiry); the previous release's assignments name a fixed compartment instead.
- Hall staff fill a parcel: the kiosk opens a free compartment of its size whose door is
  seen closed; the door seen closing again makes the parcel `stored` there, told to the
  district as a `deposit` item. A door that does not open (jammed) or is left open gives
  the compartment up (the parcel stays `assigned`) so that staff can take another.
- Staff recall a parcel, expired ones first (closing makes it `recalled`, told too).
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
from kiosk.audit_chain import audit_event
from kiosk.parcel_store import ParcelStore
from kiosk.pickup_secrets import AttemptLimiter, verify_secret
from wire.v1 import holder_hmac

log = logging.getLogger(__name__)


class ParcelState(StrEnum):
    ASSIGNED = "assigned"    # the district assigned it to this kiosk; not in a compartment yet
    STORED = "stored"
    COLLECTED = "collected"
    RECALLED = "recalled"
    EXPIRED = "expired"      # stored past its pickup period: for staff to recall


#: states written by an older release
_LEGACY_STATES = {"picked": ParcelState.COLLECTED, "overdue": ParcelState.EXPIRED}


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


class DoorLeftOpen(PickupError):
    """Staff gave up a compartment whose door they did not close."""
    code = "doorLeftOpen"


class NoFreeCompartment(PickupError):
    code = "noFreeCompartment"


@dataclass(frozen=True)
class Parcel:
    parcel_id: str
    case_number: str
    #: where it is (or is being put); None while assigned by size and not yet stored
    compartment: int | None
    holder_hmac: str
    code_hash: str
    expires_at: datetime
    items: tuple[str, ...] = ()
    state: ParcelState = ParcelState.ASSIGNED
    #: the compartment size it needs ("" when the district named a fixed compartment)
    size: str = ""
    #: when the door closed on it (stored)
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
        data["state"] = _LEGACY_STATES.get(data["state"]) or ParcelState(data["state"])
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
        here (state, times, an open in progress, the compartment chosen for a parcel assigned
        by size) stays; collected or recalled parcels are final."""
        current = self.store.all()
        for parcel in parcels:
            known = current.get(parcel.parcel_id)
            if known is None:
                current[parcel.parcel_id] = parcel
            elif known.state in (ParcelState.ASSIGNED, ParcelState.STORED):
                local = _LOCAL_FIELDS + (("compartment",) if parcel.size else ())
                current[parcel.parcel_id] = replace(
                    parcel, **{name: getattr(known, name) for name in local})
        self.store.save(current.values())

    # --- staff ---------------------------------------------------------------------------

    def to_fill(self) -> list[Parcel]:
        """Parcels assigned to this kiosk that no compartment holds yet, oldest first."""
        return sorted((p for p in self.store.all().values()
                       if p.state is ParcelState.ASSIGNED and not p.open_purpose),
                      key=lambda p: p.parcel_id)

    def to_recall(self) -> list[Parcel]:
        """Stored parcels whose pickup period has ended."""
        return sorted((p for p in self.store.all().values()
                       if p.state is ParcelState.EXPIRED
                       or (p.state is ParcelState.STORED and self._expired(p))),
                      key=lambda p: p.parcel_id)

    def deposit(self, parcel_id: str, staff_id: str,
                avoid: Iterable[int] = ()) -> OpenResult:
        """Open a free compartment of the parcel's size (not one of `avoid`) for staff to put
        it in; it is stored when the door is seen closing (`when_closed`)."""
        parcel = self._parcel(parcel_id, ParcelState.ASSIGNED)
        if parcel.size:
            parcel = replace(parcel, compartment=self._free_compartment(parcel.size, avoid))
        return self._open(parcel, who=f"staff:{staff_id}", why="deposit")

    def give_up(self, parcel_id: str) -> None:
        """Staff leave a compartment whose door they did not close: the parcel is not stored
        there (its door was not seen closing) and stays to fill in another."""
        parcel = self._parcel(parcel_id, ParcelState.ASSIGNED)
        if parcel.open_purpose != "deposit":
            return
        self._audit("locker.fillAbandoned", parcel, who=parcel.opened_by, why="deposit")
        self.store.put(replace(parcel, compartment=parcel.compartment if not parcel.size
                               else None, open_purpose="", opened_by="", open_verification=""))
        self._settle_waiters(parcel_id, DoorLeftOpen(
            f"compartment {parcel.compartment} was not closed; take another"))

    def recall(self, parcel_id: str, staff_id: str, reason: str) -> OpenResult:
        parcel = self._parcel(parcel_id, ParcelState.STORED, ParcelState.EXPIRED)
        return self._open(parcel, who=f"staff:{staff_id}", why=f"recall: {reason}")

    def empty_compartment(self) -> int:
        """A compartment of any size that holds no parcel and is closed (a test opens it)."""
        return self._free_compartment(None, ())

    def _free_compartment(self, size: str | None, avoid: Iterable[int]) -> int:
        doors, avoided = self.lockers.door_states(), set(avoid)
        taken = {p.compartment for p in self.store.all().values()
                 if p.compartment is not None and (p.open_purpose or p.state in (
                     ParcelState.ASSIGNED, ParcelState.STORED, ParcelState.EXPIRED))}
        for number, compartment in sorted(self.lockers.compartments.items()):
            if size in (None, compartment.size) and number not in taken | avoided \
                    and doors.get(number) is UnitState.CLOSED:
                return number
        raise NoFreeCompartment(f"no free {size or ''} compartment with a closed door")

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
        self.store.put(replace(parcel, state=ParcelState.EXPIRED))
        return True

    def _collectable(self, candidates: Iterable[Parcel]) -> Parcel:
        stored = [p for p in candidates if p.state in (ParcelState.STORED, ParcelState.EXPIRED)]
        if not stored:
            raise NoParcel("no parcel waiting for you in this locker")
        parcel = stored[0]
        if parcel.state is ParcelState.EXPIRED or self._expired(parcel):
            raise ParcelExpired("the pickup period has ended; please ask at the service window")
        return parcel

    def _audit(self, action: str, parcel: Parcel, *, who: str, why: str, **extra: Any) -> None:
        self.events.enqueue("audit", audit_event(
            action, self.clock.now(), parcel_id=parcel.parcel_id,
            case_number=parcel.case_number, compartment=parcel.compartment, who=who, why=why,
            **extra))

    def _open(self, parcel: Parcel, *, who: str, why: str, verification: str = "") -> OpenResult:
        """Open `parcel.compartment`; a failure leaves the parcel as it was stored (a fill
        keeps no compartment) unless the board may have acted."""
        before = self.store.all()[parcel.parcel_id]
        if parcel.compartment not in self.lockers.compartments:
            raise DoorNotOpened(f"compartment {parcel.compartment} is not in this locker bank")
        # recorded before the door moves: an open that cannot be audited does not happen
        self._audit("locker.open", parcel, who=who, why=why)
        self.store.put(replace(parcel, open_purpose=why.split(":")[0], opened_by=who,
                               open_verification=verification))
        result = self.lockers.open(parcel.compartment).result(self.open_timeout_s)
        if not result.ok:
            if result.completion is not Completion.OUTCOME_UNKNOWN:  # surely still shut
                self.store.put(before)
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
                 if p.state in (ParcelState.ASSIGNED, ParcelState.STORED, ParcelState.EXPIRED)}
        free: dict[str, int] = {}
        for number, compartment in self.lockers.compartments.items():
            free.setdefault(compartment.size, 0)
            if number not in taken:
                free[compartment.size] += 1
        return free

    def _tell_district(self, parcel: Parcel, outcome: str, who: str, now: datetime) -> None:
        """A `deposit` item (wire.v1.DepositPayload); only a district that assigns by size
        knows the kind, so parcels it named a fixed compartment for are not reported."""
        if not parcel.size:
            return
        self.events.enqueue("deposit", {"parcel_id": parcel.parcel_id,
                                        "compartment": parcel.compartment, "outcome": outcome,
                                        "at": now.isoformat(),
                                        "staff_id": who.removeprefix("staff:")})

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
            if purpose == "deposit" and parcel.size:
                settled = replace(settled, compartment=None)
            self.store.put(settled)
            self._audit("locker.jammed", parcel, who=who, why=purpose)
            self._settle_waiters(parcel.parcel_id, DoorNotOpened(
                f"compartment {parcel.compartment} is jammed; hall staff are alerted"))
            return
        now = self.clock.now()
        if purpose == "pickup":
            self.store.put(replace(settled, state=ParcelState.COLLECTED, picked_at=now,
                                   verification=verification))
            self.events.enqueue("pickup", {"parcel_id": parcel.parcel_id,
                                           "case_number": parcel.case_number,
                                           "compartment": parcel.compartment,
                                           "verification": verification,
                                           "picked_at": now.isoformat()})
        elif purpose == "deposit":
            self.store.put(replace(settled, state=ParcelState.STORED, deposited_at=now))
            self._audit("locker.deposited", parcel, who=who, why="deposit")
            self._tell_district(parcel, "stored", who, now)
        elif purpose == "recall":
            self.store.put(replace(settled, state=ParcelState.RECALLED))
            self._audit("locker.recalled", parcel, who=who, why="recall")
            self._tell_district(parcel, "recalled", who, now)
        self._settle_waiters(parcel.parcel_id)
