"""Entering and leaving maintenance: the hidden entry, the person's credential checked by
`StaffAccess`, the phases kept by the one `ServiceState`, every entry, exit and refusal an
audit event, and inactivity that returns the kiosk to service.

Asked for during a citizen session, the entry waits ("entering") until the session ends
(`session_ended`, called by the UI when it finishes or times out) and only then asks for
the credential: a citizen is never cut off. Runs on the caller's thread; the inactivity
timer on the clock's.
"""
from __future__ import annotations

import logging
import threading

from foundation.clock import Clock, TimerHandle
from foundation.events import EventSink
from kiosk.service_state import Mode, ServiceState, StaffPerson
from kiosk.audit_chain import audit_event
from kiosk.staff_access import Refused, StaffAccess, may

log = logging.getLogger(__name__)


class Maintenance:
    def __init__(self, service: ServiceState, access: StaffAccess, *, clock: Clock,
                 inactivity_s: float, events: EventSink | None) -> None:
        self.service, self.access, self._clock = service, access, clock
        self._inactivity_s = inactivity_s
        self._events = events
        self._timer: TimerHandle | None = None
        self._lock = threading.Lock()

    def ask(self, *, session_active: bool) -> bool:
        """The hidden entry (corner long press, service key). True: ask for the credential
        now; False: a citizen's session goes on first (or the kiosk is already in it)."""
        now = self.service.ask_entry(session_active=session_active)
        if now:
            self.touched()   # an entry left at the credential screen gives up too
        return now

    def session_ended(self) -> bool:
        """The citizen's session ended. True: an entry was waiting, ask for the credential."""
        if self.service.session_ended():
            self.touched()
            return True
        return False

    def sign_in(self, staff_id: str, secret: str) -> StaffPerson | Refused:
        """Check a person's staff id and kiosk PIN; in maintenance, or refused (never saying
        why)."""
        return self._enter(self.access.check(staff_id, secret), method="pin")

    def sign_in_card(self, id_number: str, face_passed: bool) -> StaffPerson | Refused:
        """Check a staff card the identity reader read, with the face check against its
        photo (`face_passed`); in maintenance, or refused without saying which part failed
        (the refusal's audit names the method only, never the card)."""
        return self._enter(self.access.check_card(id_number, face_passed), method="card+face")

    def _enter(self, result: StaffPerson | Refused, *, method: str) -> StaffPerson | Refused:
        if isinstance(result, Refused):
            self._audit("maintenance.refused", None, method=method,
                        locked=result.locked_until is not None)
            self.touched()
            return result
        if not self.service.enter(result):
            return Refused(None)   # no entry asked for (left meanwhile)
        self._audit("maintenance.entered", result, method=method)
        self.touched()
        return result

    def may(self, page: str) -> bool:
        """Whether the person in maintenance may use this page (kiosk.staff_access.PAGES)."""
        snapshot = self.service.snapshot()
        return (snapshot.mode is Mode.MAINTENANCE and snapshot.person is not None
                and may(snapshot.person.role, page))

    def touched(self) -> None:
        """The person did something: the inactivity timeout starts again."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = self._clock.call_later(self._inactivity_s, self._inactive)

    def leave(self, why: str = "left") -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
        person = self.service.snapshot().person
        self.service.leave()
        if person is not None:
            self._audit("maintenance.left", person, why=why)

    def _inactive(self) -> None:
        with self._lock:
            self._timer = None
        if self.service.mode in (Mode.ENTERING, Mode.MAINTENANCE):
            log.warning("maintenance left untouched: back in service")
            self.leave("inactivity")

    def _audit(self, action: str, person: StaffPerson | None, **extra: object) -> None:
        if self._events is not None:
            self._events.enqueue("audit", audit_event(action, self._clock.now(), by=person,
                                                      **extra))
