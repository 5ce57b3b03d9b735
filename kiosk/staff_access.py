"""Who may enter this kiosk's maintenance mode, and what each role may do there.

The district sends the hashed staff list of the kiosk's hall in its desired state
(wire.v1.KioskStaff); a person revoked there is refused here at the next sync. A credential
is a staff id and the person's kiosk PIN (set on the district, separate from their web
password), checked against its scrypt hash; a person the list gives no PIN hash is refused
(an older district sends none). Or the person's staff card: the resident ID card the
identity reader read, matched against the salted hashes of the people's registered cards,
together with the face check against that card's photo; both must hold, and a refusal is one
refusal whichever failed. Wrong credentials lock the entry with a growing delay (the tries
survive a restart; PIN and card share them), and a refusal never says which part was wrong:
an unknown staff id costs the same scrypt as a wrong secret.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from foundation.clock import Clock
from kiosk.pickup_secrets import AttemptLimiter, hash_secret, verify_secret
from kiosk.service_state import StaffPerson
from wire.v1 import staff_card_secret

if TYPE_CHECKING:
    from kiosk.config import MaintenanceSection
    from wire.v1 import KioskStaff

#: what each role may do in maintenance, in the order the maintenance screen lists it:
#: hall staff look after consumables and lockers (paper, jams, a card left in, filling and
#: recalling compartments), never the queue, configuration or logs
PAGES = ("consumables", "lockers", "devices", "queue", "configuration", "logs")
ROLES: dict[str, frozenset[str]] = {
    "technician": frozenset(PAGES),
    "hall_staff": frozenset({"consumables", "lockers"}),
}

#: the one key of the entry's tries: a lockout holds for every staff id, so guessing ids
#: does not get round it
_ENTRY = "entry"
#: verified when the staff id is unknown, so a guess costs the same either way
_DUMMY_HASH = hash_secret("no such staff member")


def may(role: str, page: str) -> bool:
    return page in ROLES.get(role, frozenset())


def audit_names(person: StaffPerson) -> dict[str, str]:
    """How the kiosk's audit chain names a person of the staff list: their real role, so
    hall staff are never recorded as a technician."""
    return {"actor": "technician" if person.role == "technician" else "staff",
            "who": f"staff:{person.staff_id}", "role": person.role}


@dataclass(frozen=True)
class Refused:
    """Wrong credentials or a locked entry; which part was wrong is never said."""
    locked_until: datetime | None


class StaffAccess:
    def __init__(self, data_dir: Path, settings: "MaintenanceSection", clock: Clock) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._staff: dict[str, "KioskStaff"] = {}
        self._tries = AttemptLimiter(data_dir / "maintenance" / "entry-tries.json",
                                     max_tries=settings.max_tries, lockout_s=settings.lockout_s,
                                     max_lockout_s=settings.max_lockout_s, clock=clock)

    def update(self, staff: Iterable["KioskStaff"] | None) -> None:
        """The staff list of the desired state just applied (None: the district did not
        send one, so no one may enter)."""
        with self._lock:
            self._staff = {person.staff_id: person for person in staff or ()}

    def locked_until(self) -> datetime | None:
        state = self._tries.state(_ENTRY)
        return state.locked_until if state.locked(self._clock.now()) else None

    def check(self, staff_id: str, pin: str) -> StaffPerson | Refused:
        locked = self.locked_until()
        if locked is not None:
            return Refused(locked)
        with self._lock:
            person = self._staff.get(staff_id)
        pin_hash = person.pin_hash if person is not None else None
        matches = verify_secret(pin, pin_hash or _DUMMY_HASH)
        if pin_hash is not None and matches:
            return self._admitted(person)
        return self._refused()

    def check_card(self, id_number: str, face_passed: bool) -> StaffPerson | Refused:
        """A staff card read by the identity reader and the face check against its photo
        (`face_passed`: matched and live). Every registered card is compared whatever the
        face check said, so the time taken tells nothing either."""
        locked = self.locked_until()
        if locked is not None:
            return Refused(locked)
        try:
            secret = staff_card_secret(id_number)
        except ValueError:
            secret = ""     # no resident ID number: matches no card, costs the same
        with self._lock:
            carded = [p for p in self._staff.values() if p.card_hash is not None]
        holders = [p for p in carded if verify_secret(secret, p.card_hash)]
        if not carded:
            verify_secret(secret, _DUMMY_HASH)
        if face_passed and len(holders) == 1:
            return self._admitted(holders[0])
        return self._refused()

    def _admitted(self, person: "KioskStaff") -> StaffPerson:
        self._tries.succeeded(_ENTRY)
        return StaffPerson(person.staff_id, person.role)

    def _refused(self) -> Refused:
        state = self._tries.failed(_ENTRY)
        return Refused(state.locked_until if state.locked(self._clock.now()) else None)
