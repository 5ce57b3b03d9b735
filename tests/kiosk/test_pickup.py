"""Pickup over the real locker stack (driver + pty board simulator) with an in-memory sink."""
from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import timedelta

import pytest

from kiosk.config import LockersSection
from foundation.events import Enqueued, StorageUnavailable
from kiosk.pickup import (DoorLeftOpen, DoorNotOpened, NoFreeCompartment, NoParcel, Parcel,
                          ParcelExpired, ParcelLocked, ParcelState, ParcelStore, PickupService,
                          WrongCode, WrongParcelState)
from kiosk.pickup_secrets import AttemptLimiter, hash_secret
from wire.v1 import holder_hmac
from tests.devices.locker.conftest import make_bank

DISTRICT_KEY = b"district-holder-key-0123456789ab"
ID_NUMBER = "11010519491231002X"
CODE = "482913"
FAST = dict(n=2 ** 10)  # a cheaper scrypt cost only to keep the suite quick


class MemorySink:
    """A small in-memory EventSink."""

    def __init__(self) -> None:
        self.items: list[tuple[str, dict]] = []
        self.broken = False
        self._seq = itertools.count(1)

    def enqueue(self, kind, payload, blobs=None) -> Enqueued:
        if self.broken:
            raise StorageUnavailable("disk full")
        self.items.append((kind, dict(payload)))
        seq = next(self._seq)
        return Enqueued(f"item-{seq}", seq, f"kiosk-{seq}")

    def of(self, kind: str) -> list[dict]:
        return [p for k, p in self.items if k == kind]


@pytest.fixture
def lockers():
    # a slow poll: these tests jump the clock by hours and every tick would be a bus poll
    bank = make_bank("kerong_cu16", poll_s=60, left_open_alarm_s=3600)
    assert bank.read_all().result(10).ok
    yield bank
    bank.stop()


@pytest.fixture
def service(lockers, tmp_path):
    sink = MemorySink()
    limits = LockersSection(code_max_tries=3, code_lockout_s=1800.0)
    service = PickupService.create(tmp_path, limits, lockers=lockers, events=sink,
                                   clock=lockers.clock, district_key=DISTRICT_KEY)
    service.sink = sink
    service.assign([parcel("P1", compartment=3), parcel("P2", compartment=12, case="K1-8")])
    yield service
    service.close()


def parcel(parcel_id: str, *, compartment: int | None, case: str = "K1-7",
           state: ParcelState = ParcelState.STORED, hours: int = 7 * 24) -> Parcel:
    from foundation.clock import TestClock
    return Parcel(parcel_id=parcel_id, case_number=case, compartment=compartment,
                  holder_hmac=holder_hmac(DISTRICT_KEY, ID_NUMBER),
                  code_hash=hash_secret(CODE, **FAST),
                  expires_at=TestClock().now() + timedelta(hours=hours), items=("户籍证明",),
                  state=state)


def close_door(service, number: int) -> None:
    service.lockers.simulate("close", compartment=number)
    service.lockers.clock.advance(service.lockers.settings.poll_s)
    assert service.lockers.read_all().result(10).ok
    assert service.lockers.log.wait_for("closed", number)


def test_pickup_with_code_opens_and_the_closed_door_confirms(service):
    result = service.open_with_code("K1-7", CODE)
    assert result.opened and result.number == 3
    audit = service.sink.of("audit")
    assert audit[0]["action"] == "locker.open"
    assert audit[0]["who"] == "citizen:pickup_code" and audit[0]["why"] == "pickup"
    assert service.sink.of("pickup") == []          # not before the door is shut
    closed = service.when_closed("P1")
    assert not closed.done()
    close_door(service, 3)
    assert closed.result(5).state is ParcelState.COLLECTED
    [pickup] = service.sink.of("pickup")
    assert pickup["parcel_id"] == "P1" and pickup["verification"] == "pickup_code"
    assert service.store.all()["P1"].state is ParcelState.COLLECTED


def test_pickup_with_identity_opens_every_parcel_of_the_holder(service):
    results = service.open_for_holder(ID_NUMBER.lower())   # the check letter's case is ignored
    assert sorted(r.number for r in results) == [3, 12]
    close_door(service, 12)
    [pickup] = service.sink.of("pickup")
    assert pickup["compartment"] == 12 and pickup["verification"] == "document+face"
    # nothing personal in what leaves the kiosk
    assert ID_NUMBER not in repr(service.sink.items)


def test_someone_else_has_no_parcel(service):
    with pytest.raises(NoParcel):
        service.open_for_holder("440305199001011234")


def test_wrong_codes_lock_that_parcel(service, lockers):
    sent_before = lockers.boards.requests.count
    with pytest.raises(WrongCode) as first:
        service.open_with_code("K1-7", "000000")
    assert first.value.remaining == 2
    with pytest.raises(WrongCode):
        service.open_with_code("K1-7", "111111")
    with pytest.raises(ParcelLocked):
        service.open_with_code("K1-7", "222222")
    with pytest.raises(ParcelLocked):                 # even the right code, while locked
        service.open_with_code("K1-7", CODE)
    assert service.open_with_code("K1-8", CODE).opened  # another parcel is not affected
    lockers.clock.advance(1800)
    assert service.open_with_code("K1-7", CODE).opened
    opens = [f for f in lockers.boards.requests.since(sent_before) if f[2] == 0x31]
    assert len(opens) == 2
    assert [a["action"] for a in service.sink.of("audit")].count("pickup.wrongCode") == 3


def test_lockout_survives_a_restart(service, tmp_path, lockers):
    for wrong in ("000000", "111111"):
        with pytest.raises(WrongCode):
            service.open_with_code("K1-7", wrong)
    restarted = AttemptLimiter(tmp_path / "pickup" / "code-tries.json", max_tries=3,
                               lockout_s=1800, clock=lockers.clock)
    assert restarted.state("P1").failures == 2


def test_expired_parcel_is_refused_without_opening(service, lockers):
    service.assign([parcel("P1", compartment=3, hours=1),
                    parcel("P2", compartment=12, case="K1-8", hours=1)])
    sent_before = lockers.boards.requests.count
    lockers.clock.advance(3600)
    with pytest.raises(ParcelExpired):
        service.open_with_code("K1-7", CODE)
    with pytest.raises(ParcelExpired):
        service.open_for_holder(ID_NUMBER)
    assert service.store.all()["P1"].state is ParcelState.EXPIRED
    assert all(f[2] != 0x31 for f in lockers.boards.requests.since(sent_before))
    assert service.sink.of("audit") == []


def test_staff_deposit_then_recall(service):
    service.assign([parcel("P3", compartment=5, case="K1-9", state=ParcelState.ASSIGNED)])
    service.deposit("P3", "staff-017")
    close_door(service, 5)
    assert service.store.all()["P3"].state is ParcelState.STORED
    service.recall("P3", "staff-017", "citizen asked for delivery")
    close_door(service, 5)
    assert service.store.all()["P3"].state is ParcelState.RECALLED
    actions = [(a["action"], a["who"], a["why"]) for a in service.sink.of("audit")]
    assert ("locker.open", "staff:staff-017", "deposit") in actions
    assert ("locker.open", "staff:staff-017", "recall: citizen asked for delivery") in actions
    assert ("locker.recalled", "staff:staff-017", "recall") in actions


def test_an_open_that_cannot_be_audited_does_not_happen(service, lockers):
    sent_before = lockers.boards.requests.count
    service.sink.broken = True
    with pytest.raises(StorageUnavailable):
        service.open_with_code("K1-7", CODE)
    assert all(f[2] != 0x31 for f in lockers.boards.requests.since(sent_before))


def test_an_unconfirmed_open_is_reported(service, lockers):
    lockers.simulate("fault", name="bad_checksum")
    with pytest.raises(DoorNotOpened):
        service.open_with_code("K1-7", CODE)
    failed = [a for a in service.sink.of("audit") if a["action"] == "locker.openFailed"]
    assert failed and failed[0]["completion"] == "outcomeUnknown"


def test_server_reassignment_keeps_picked_parcels(service):
    service.open_with_code("K1-7", CODE)
    close_door(service, 3)
    service.assign([parcel("P1", compartment=3)])
    assert service.store.all()["P1"].state is ParcelState.COLLECTED


def restarted(service) -> PickupService:
    service.close()
    again = PickupService(store=ParcelStore(service.store.path), lockers=service.lockers,
                          events=service.events, clock=service.clock,
                          district_key=DISTRICT_KEY, code_tries=service.code_tries)
    again.sink = service.sink
    return again


def test_an_open_survives_a_restart_and_the_close_still_confirms(service):
    service.open_with_code("K1-7", CODE)
    again = restarted(service)
    again.assign([parcel("P1", compartment=3)])  # a server refresh keeps the open in progress
    close_door(again, 3)
    assert [p["parcel_id"] for p in again.sink.of("pickup")] == ["P1"]
    again.close()


def test_a_door_shut_during_a_restart_is_flagged_for_staff(service):
    service.open_with_code("K1-7", CODE)
    service.close()
    service.lockers.simulate("close", compartment=3)
    assert service.lockers.read_all().result(10).ok
    again = restarted(service)
    again.reconcile()
    flagged = [a for a in again.sink.of("audit") if a["action"] == "locker.closeUnconfirmed"]
    assert [a["parcel_id"] for a in flagged] == ["P1"]
    assert again.sink.of("pickup") == []
    again.close()


def test_a_jammed_door_fails_the_wait_and_is_audited(service, lockers):
    lockers.simulate("jam", compartment=3)
    result = service.open_with_code("K1-7", CODE)
    assert not result.opened
    closed = service.when_closed("P1")
    lockers.clock.advance(60)                      # the next poll is past the jam timeout
    with pytest.raises(DoorNotOpened):
        closed.result(10)
    assert "locker.jammed" in [a["action"] for a in service.sink.of("audit")]
    assert service.store.all()["P1"].state is ParcelState.STORED   # still there to collect
    assert not service.store.all()["P1"].open_purpose


def test_staff_actions_check_the_parcel_state(service):
    with pytest.raises(WrongParcelState):
        service.deposit("P1", "staff-017")          # already stored
    with pytest.raises(NoParcel):
        service.recall("P9", "staff-017", "x")


def test_a_bank_that_is_not_ready_leaves_no_open_pending(service, lockers):
    lockers.simulate("remove")
    lockers.read(1).result(10)                       # the bank notices: noDevice
    with pytest.raises(DoorNotOpened):
        service.open_with_code("K1-7", CODE)
    assert not service.store.all()["P1"].open_purpose
    lockers.simulate("replug")


def to_fill(parcel_id: str, size: str = "M", hours: int = 7 * 24) -> Parcel:
    return replace(parcel(parcel_id, compartment=None, case=f"K2-{parcel_id}", hours=hours,
                          state=ParcelState.ASSIGNED), size=size)


def test_staff_fill_a_free_compartment_of_the_size_and_the_closing_door_stores_it(service):
    service.assign([to_fill("P4")])
    assert [p.parcel_id for p in service.to_fill()] == ["P4"]
    result = service.deposit("P4", "staff-017")
    assert result.opened and result.number == 1          # 3 and 12 hold parcels
    closed = service.when_closed("P4")
    assert service.sink.of("deposit") == []             # not before the door is seen closing
    close_door(service, 1)
    stored = closed.result(5)
    assert (stored.state, stored.compartment) == (ParcelState.STORED, 1)
    assert stored.deposited_at == service.clock.now()
    [told] = service.sink.of("deposit")
    assert (told["parcel_id"], told["compartment"], told["outcome"], told["staff_id"]) == \
        ("P4", 1, "stored", "staff-017")
    assert service.to_fill() == []
    # the citizen collects it with the code
    assert service.open_with_code("K2-P4", CODE).number == 1


def test_a_jammed_door_at_filling_gives_the_compartment_up_for_another(service, lockers):
    service.assign([to_fill("P4")])
    lockers.simulate("jam", compartment=1)
    assert not service.deposit("P4", "staff-017").opened
    closed = service.when_closed("P4")
    lockers.clock.advance(60)                      # the next poll is past the jam timeout
    with pytest.raises(DoorNotOpened):
        closed.result(10)
    waiting = service.store.all()["P4"]
    assert (waiting.state, waiting.compartment) == (ParcelState.ASSIGNED, None)
    assert service.deposit("P4", "staff-017").number == 2   # the jammed one is not offered
    close_door(service, 2)
    assert service.store.all()["P4"].compartment == 2
    assert [d["compartment"] for d in service.sink.of("deposit")] == [2]


def test_a_door_left_open_is_never_recorded_stored(service, lockers):
    service.assign([to_fill("P4")])
    assert service.deposit("P4", "staff-017").number == 1
    closed = service.when_closed("P4")
    service.give_up("P4")
    with pytest.raises(DoorLeftOpen):
        closed.result(5)
    assert service.store.all()["P4"].state is ParcelState.ASSIGNED
    assert service.deposit("P4", "staff-017").number == 2   # 1 is still open
    close_door(service, 1)                                 # closed late: nothing recorded
    assert service.store.all()["P4"].state is ParcelState.ASSIGNED
    close_door(service, 2)
    assert service.store.all()["P4"].compartment == 2
    assert [d["compartment"] for d in service.sink.of("deposit")] == [2]
    assert "locker.fillAbandoned" in [a["action"] for a in service.sink.of("audit")]


def test_no_free_compartment_of_the_size_is_said(service):
    service.assign([to_fill("P4", size="XL")])
    with pytest.raises(NoFreeCompartment):
        service.deposit("P4", "staff-017")
    assert service.store.all()["P4"].compartment is None


def test_expired_parcels_are_listed_and_recalled_and_the_district_told(service, lockers):
    service.assign([to_fill("P4", hours=1)])
    service.deposit("P4", "staff-017")
    close_door(service, 1)
    assert service.to_recall() == []
    lockers.clock.advance(3600)
    assert [p.parcel_id for p in service.to_recall()] == ["P4"]
    with pytest.raises(ParcelExpired):
        service.open_with_code("K2-P4", CODE)
    service.recall("P4", "staff-017", "expired")
    close_door(service, 1)
    assert service.store.all()["P4"].state is ParcelState.RECALLED
    assert [d["outcome"] for d in service.sink.of("deposit")] == ["stored", "recalled"]
    assert service.to_recall() == []


def test_a_server_refresh_keeps_the_compartment_the_kiosk_chose(service):
    service.assign([to_fill("P4")])
    service.deposit("P4", "staff-017")
    close_door(service, 1)
    service.assign([to_fill("P4")])            # the district has not heard of it yet
    assert service.store.all()["P4"].compartment == 1
