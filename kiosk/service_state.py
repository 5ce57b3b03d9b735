"""The kiosk's one service state: in service, entering maintenance, maintenance, leaving it,
or out of service with a reason (XFS4IoT VendorMode: inService, enterPending, maintenance,
exitPending).

Everything that stops or restricts the kiosk goes through here, never through a flag of
its own: a *stop* names its source and reason. A stop of a known partial kind withdraws only
the journeys it concerns (`STORAGE`: the offline queue cannot store, so journeys that keep
what a citizen hands over are withdrawn); any other stop (the district's "out of service",
an update) takes the whole kiosk out of service. Maintenance is entered by a person of
the district's staff list and never cuts a citizen off: asked for during a session it
waits ("entering") until the session ends, and only then is the person's credential asked
for.

The attract screen's availability, the reported state (`service_state`) and `kiosk doctor`
read `snapshot()`. Listeners run on the thread that changed the state.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Callable


class Mode(StrEnum):
    IN_SERVICE = "in_service"
    ENTERING = "entering_maintenance"
    MAINTENANCE = "maintenance"
    LEAVING = "leaving_maintenance"
    OUT_OF_SERVICE = "out_of_service"


#: the stop of the offline queue that cannot store (disk guard, unusable database)
STORAGE = "storage"
#: the district's stop (a remote command: kiosk.remote_commands)
DISTRICT = "district"
#: stops that withdraw some journeys only; the value names the need they withdraw
#: (`kiosk.availability.Requirements`)
PARTIAL_STOPS = {STORAGE: "needs_storage"}


@dataclass(frozen=True)
class StaffPerson:
    """Who is in maintenance: a staff id of the district and its role."""
    staff_id: str
    role: str   # kiosk.staff_access.ROLES


@dataclass(frozen=True)
class ServiceSnapshot:
    mode: Mode
    #: source -> reason, every stop in force (partial ones included)
    stops: dict[str, str] = field(default_factory=dict)
    #: who is in (or waiting to enter) maintenance
    person: StaffPerson | None = None

    @property
    def offers_journeys(self) -> bool:
        return self.mode in (Mode.IN_SERVICE, Mode.ENTERING)

    def withdrawn(self, need: str) -> str | None:
        """Why journeys with this need (e.g. "needs_storage") are withdrawn; None: they
        are not (by a partial stop)."""
        for source, reason in self.stops.items():
            if PARTIAL_STOPS.get(source) == need:
                return reason
        return None

    def reason(self) -> str:
        """Why the kiosk offers no journey ("" while it does)."""
        if self.mode is Mode.OUT_OF_SERVICE:
            return "; ".join(f"{source}: {reason}" for source, reason in self.stops.items()
                             if source not in PARTIAL_STOPS)
        if self.mode in (Mode.MAINTENANCE, Mode.LEAVING):
            return "in maintenance"
        return ""

    def as_dict(self, limit: int | None = None) -> dict[str, object]:
        """For the reported state (wire.v1.ServiceStateReport, reasons cut to `limit`) and
        `kiosk doctor`."""
        return {"mode": self.mode.value,
                "stops": {source: reason[:limit] for source, reason in self.stops.items()},
                "role": self.person.role if self.person else None}


Listener = Callable[[ServiceSnapshot], None]


class ServiceState:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stops: dict[str, str] = {}
        self._phase: Mode | None = None   # a maintenance phase, or None
        self._person: StaffPerson | None = None
        self._awaiting_session = False   # entering waits for a citizen's session to end
        self._listeners: list[Listener] = []

    # --- reading ---------------------------------------------------------------------

    def snapshot(self) -> ServiceSnapshot:
        with self._lock:
            return self._snapshot()

    def _snapshot(self) -> ServiceSnapshot:
        if self._phase is not None:
            mode = self._phase
        elif any(source not in PARTIAL_STOPS for source in self._stops):
            mode = Mode.OUT_OF_SERVICE
        else:
            mode = Mode.IN_SERVICE
        return ServiceSnapshot(mode, dict(self._stops), self._person)

    @property
    def mode(self) -> Mode:
        return self.snapshot().mode

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    # --- stops -----------------------------------------------------------------------

    def stop(self, source: str, reason: str) -> None:
        """`source` stops the kiosk (or, for a partial kind, some journeys) for `reason`."""
        self._change(lambda: self._stops.__setitem__(source, reason))

    def resume(self, source: str) -> None:
        self._change(lambda: self._stops.pop(source, None))

    # --- maintenance -----------------------------------------------------------------

    def ask_entry(self, *, session_active: bool) -> bool:
        """The hidden entry was used: "entering" until a person's credential is checked,
        which waits for the citizen's session to end (`session_ended`) when there is one.
        True when the credential can be asked for now."""
        def ask() -> None:
            if self._phase is None:
                self._phase, self._awaiting_session = Mode.ENTERING, session_active
        self._change(ask)
        with self._lock:
            return self._phase is Mode.ENTERING and not self._awaiting_session

    def session_ended(self) -> bool:
        """The citizen's session ended (finished or timed out). True when an entry was
        waiting for it: the credential can be asked for now."""
        with self._lock:
            waiting = self._phase is Mode.ENTERING and self._awaiting_session
            self._awaiting_session = False
        return waiting

    def enter(self, person: StaffPerson) -> bool:
        """A checked person enters (only from "entering", once no citizen is waited for)."""
        def go_in() -> None:
            if self._phase is Mode.ENTERING and not self._awaiting_session:
                self._phase, self._person = Mode.MAINTENANCE, person
        self._change(go_in)
        return self.mode is Mode.MAINTENANCE

    def leave(self) -> None:
        """Leave (or give up entering). The listeners see "leaving" while the exit is
        recorded, then the state the stops leave (in service or out of service)."""
        if self._phase is None:
            return
        self._change(lambda: setattr(self, "_phase", Mode.LEAVING))

        def done() -> None:
            self._phase, self._person, self._awaiting_session = None, None, False
        self._change(done)

    # --- internals -------------------------------------------------------------------

    def _change(self, mutate: Callable[[], None]) -> None:
        with self._lock:
            before = self._snapshot()
            mutate()
            after = self._snapshot()
        if after != before:
            for listener in list(self._listeners):
                listener(after)
