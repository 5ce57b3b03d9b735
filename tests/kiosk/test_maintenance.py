"""Entering and leaving maintenance in the core: credentials against the district's staff
list, lockout with a growing delay, waiting for a citizen, roles, inactivity, audit."""
from __future__ import annotations

from datetime import timedelta

import pytest

from kiosk.config import load_config
from kiosk.maintenance import Maintenance
from kiosk.service_state import Mode, ServiceState
from kiosk.staff_access import Refused, StaffAccess
from wire.v1 import KioskStaff
from tests.kiosk.test_core import ListSink

#: one hash per secret for the whole module: scrypt is slow on purpose
_HASHES: dict[str, str] = {}


def staff(staff_id: str, role: str, secret: str) -> KioskStaff:
    from kiosk.pickup_secrets import hash_secret
    if secret not in _HASHES:
        _HASHES[secret] = hash_secret(secret, n=2 ** 10)
    return KioskStaff(staff_id=staff_id, role=role, pin_hash=_HASHES[secret])


@pytest.fixture
def maintenance(tmp_path, test_clock):
    settings = load_config(None).config.maintenance
    access = StaffAccess(tmp_path, settings, test_clock)
    access.update([staff("T001", "technician", "tech-secret-1"),
                   staff("H001", "hall_staff", "hall-secret-1")])
    return Maintenance(ServiceState(), access, clock=test_clock,
                       inactivity_s=settings.inactivity_s, events=ListSink())


def actions(maintenance):
    return [p["action"] for kind, p in maintenance._events.items if kind == "audit"]


def test_entry_and_leaving_are_audited_and_restore_service(maintenance):
    assert maintenance.ask(session_active=False)
    person = maintenance.sign_in("T001", "tech-secret-1")
    assert person.role == "technician" and maintenance.service.mode is Mode.MAINTENANCE
    maintenance.leave()
    assert maintenance.service.mode is Mode.IN_SERVICE
    assert actions(maintenance) == ["maintenance.entered", "maintenance.left"]
    entered = maintenance._events.items[0][1]
    assert entered["who"] == "staff:T001" and entered["actor"] == "technician"


def test_wrong_credentials_lock_the_entry_longer_each_time_without_saying_why(
        maintenance, test_clock):
    settings = load_config(None).config.maintenance
    maintenance.ask(session_active=False)
    wrong = [("T001", "nope"), ("nobody", "tech-secret-1"), ("T001", "nope")]
    results = [maintenance.sign_in(*credential) for credential in wrong]
    assert all(isinstance(r, Refused) for r in results)
    assert results[0] == results[1] == Refused(None)   # wrong id and wrong secret alike
    first = results[2].locked_until
    assert first == test_clock.now() + timedelta(seconds=settings.lockout_s)
    # locked: even the right credential is refused until the delay has passed
    assert maintenance.sign_in("T001", "tech-secret-1") == Refused(first)
    test_clock.advance(settings.lockout_s)
    for credential in wrong:
        second = maintenance.sign_in(*credential)
    assert second.locked_until - test_clock.now() == timedelta(seconds=2 * settings.lockout_s)
    assert actions(maintenance).count("maintenance.refused") == 7
    test_clock.advance(2 * settings.lockout_s)
    assert maintenance.sign_in("T001", "tech-secret-1").staff_id == "T001"


def test_entry_asked_during_a_session_waits_for_its_end(maintenance):
    assert not maintenance.ask(session_active=True)
    assert maintenance.service.snapshot().offers_journeys
    assert isinstance(maintenance.sign_in("T001", "tech-secret-1"), Refused)
    assert maintenance.session_ended()
    assert maintenance.sign_in("T001", "tech-secret-1").role == "technician"


def test_hall_staff_may_not_use_the_technician_pages(maintenance):
    maintenance.ask(session_active=False)
    maintenance.sign_in("H001", "hall-secret-1")
    assert maintenance.may("lockers") and maintenance.may("consumables")
    assert not any(maintenance.may(page) for page in ("queue", "configuration", "logs"))


def test_a_revoked_person_is_refused_once_the_list_without_them_arrives(maintenance):
    maintenance.access.update([staff("H001", "hall_staff", "hall-secret-1")])
    maintenance.ask(session_active=False)
    assert isinstance(maintenance.sign_in("T001", "tech-secret-1"), Refused)


def test_a_person_given_no_pin_hash_is_refused(maintenance):
    """Someone who has set no kiosk PIN yet, or a list from an older district (which sends
    the hash as `secret_hash`): the kiosk lets no one in on anything but a PIN hash."""
    known = staff("T001", "technician", "tech-secret-1")
    maintenance.access.update([
        KioskStaff(staff_id="T001", role="technician", secret_hash=known.pin_hash),
        KioskStaff(staff_id="H001", role="hall_staff")])
    maintenance.ask(session_active=False)
    assert isinstance(maintenance.sign_in("T001", "tech-secret-1"), Refused)
    assert isinstance(maintenance.sign_in("H001", ""), Refused)
    assert maintenance.service.mode is not Mode.MAINTENANCE


def test_inactivity_returns_the_kiosk_to_service(maintenance, test_clock):
    maintenance.ask(session_active=False)
    maintenance.sign_in("T001", "tech-secret-1")
    test_clock.advance(maintenance._inactivity_s - 1)
    maintenance.touched()
    test_clock.advance(maintenance._inactivity_s - 1)
    assert maintenance.service.mode is Mode.MAINTENANCE
    test_clock.advance(1)
    assert maintenance.service.mode is Mode.IN_SERVICE
    assert maintenance._events.items[-1][1]["why"] == "inactivity"
