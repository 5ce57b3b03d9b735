"""The staff card sign-in on the real kiosk core: the simulated identity reader reads a
resident ID card over its SAM reader's pty (its photo decoded by a stub WLT plug-in), the
face check runs against that photo, and the core checks the card's hash against the
district's staff list. A wrong card and a failed face are refused alike and lock alike."""
from __future__ import annotations

import json
import threading

import pytest

from devices.id_reader.sam_simulator import RESIDENT_NUMBER
from kiosk.app import KioskCore
from kiosk.config import load_config
from kiosk.journeys import MaintenanceJourney
from kiosk.journeys.maintenance import MaintenanceState as S
from kiosk.journeys.ports import FaceOutcome, run_inline, run_now
from kiosk.journeys.services import build_services
from kiosk.pickup_secrets import hash_secret
from kiosk.service_state import Mode
from tests.devices.id_reader.test_wlt import STUB, build
from tests.kiosk.journeys.fakes import FakeFace, FakeSink
from wire.v1 import KioskStaff, staff_card_secret

OTHER_NUMBER = "11010519491231002X"


@pytest.fixture
def core(tmp_path, test_clock):
    """The kiosk with a resident ID card on its simulated reader, whose photo can be read."""
    site = tmp_path / "site.toml"
    site.write_text('[devices.id_card_reader]\nkind = "id_reader"\nbackend = "simulated"\n'
                    f'profile = "resident"\nwlt_plugin = "{build(tmp_path, "wlt", STUB)}"\n',
                    "utf-8")
    core = KioskCore.create(load_config(site), tmp_path / "kiosk", clock=test_clock,
                            event_sink=FakeSink(), with_face=False)
    core.devices.start()
    assert core.wait_settled() == []
    yield core
    core.devices.stop()


def with_card(core, number: str) -> None:
    """The hall's staff list: H001 (hall staff) registered the card with this number."""
    core.maintenance.access.update([KioskStaff(
        staff_id="H001", role="hall_staff",
        card_hash=hash_secret(staff_card_secret(number), n=2 ** 10))])


def signing_in(core):
    services = build_services(core, post=run_now, background=run_inline)
    services.face = FakeFace()          # the simulated face: the test says how it went
    assert core.maintenance.ask(session_active=False)
    return MaintenanceJourney(services), services.face


def card_read(journey: MaintenanceJourney) -> None:
    """use_card, then wait for the face check to start (the read runs on the reader's
    worker)."""
    reached = threading.Event()
    journey.subscribe(lambda j: reached.set() if j.state is S.FACE_CHECK else None)
    journey.use_card()
    assert reached.wait(60), (journey.state, journey.problem)


def audits(core) -> list[dict]:
    return [payload for kind, payload, _ in core.event_sink._sink.items if kind == "audit"]


def test_the_card_and_the_face_against_its_photo_enter_with_that_persons_role(core):
    with_card(core, RESIDENT_NUMBER)
    journey, face = signing_in(core)
    card_read(journey)
    assert face.reference.startswith(b"\x89PNG")        # the card's own photo, decoded
    face.last.set_result(FaceOutcome(True, True))
    assert journey.state is S.MENU and journey.pages() == ["consumables", "lockers"]
    assert journey.staff_id == "H001" and journey.card is None
    assert core.maintenance.service.snapshot().person.staff_id == "H001"
    [entered] = audits(core)
    assert (entered["action"], entered["method"], entered["who"], entered["actor"],
            entered["role"]) == ("maintenance.entered", "card+face", "staff:H001", "staff",
                                 "hall_staff")
    assert RESIDENT_NUMBER not in json.dumps(entered)


def test_a_wrong_card_and_a_failed_face_are_refused_alike_and_lock_the_entry(core):
    with_card(core, OTHER_NUMBER)                     # the card on the reader is not H001's
    journey, face = signing_in(core)
    card_read(journey)                                # the face check runs all the same
    face.last.set_result(FaceOutcome(True, True))
    wrong_card = journey.problem
    with_card(core, RESIDENT_NUMBER)
    card_read(journey)
    face.last.set_result(FaceOutcome(False, True, "no_match"))
    assert journey.state is S.SIGN_IN and journey.problem == wrong_card == "card_refused"
    card_read(journey)
    face.last.set_result(FaceOutcome(False, False, "not_live"))
    assert journey.problem == "entry_locked"
    # locked: the right card and face are refused too, until the delay has passed
    card_read(journey)
    face.last.set_result(FaceOutcome(True, True))
    assert journey.problem == "entry_locked"
    assert core.maintenance.service.mode is not Mode.MAINTENANCE
    refused = audits(core)
    assert [a["action"] for a in refused] == ["maintenance.refused"] * 4
    assert {a["method"] for a in refused} == {"card+face"}
    assert not any(RESIDENT_NUMBER in json.dumps(a) or "who" in a for a in refused)


def test_back_during_the_face_check_counts_nothing(core):
    with_card(core, RESIDENT_NUMBER)
    journey, face = signing_in(core)
    card_read(journey)
    journey.back()
    assert journey.state is S.SIGN_IN and journey.problem == "" and face.cancels == 1
    face.last.set_result(FaceOutcome(True, True))     # too late: dropped unseen
    assert journey.state is S.SIGN_IN and audits(core) == []
    assert journey.personal_data_present() == []
    card_read(journey)
    journey.timeout()                                 # ended mid-check: the camera stops too
    assert face.cancels == 2 and core.maintenance.service.mode is Mode.IN_SERVICE
