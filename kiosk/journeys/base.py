"""What every citizen journey shares: states with named groups, async steps, the end and the wipe.

A journey is a plain object (no Qt). The UI calls its methods for citizen actions and renders
`state`; listeners hear every change. Device and server work returns futures; their results
come back through `services.post` (the UI marshals them onto its thread) and are dropped when
the journey has moved on or ended in the meantime, so a late card read can never bring
personal data back after a wipe.

Every journey:
- declares `steps` (the named state groups in the order the step indicator shows them);
  which devices it needs is `kiosk.availability.JOURNEY_REQUIREMENTS`, the one source;
- can be cancelled in any state and times out in any state (the session's idle timer);
- wipes everything personal when it ends, whichever way, and can prove it with
  `personal_data_present()` (the names of attributes still holding personal data).
"""
from __future__ import annotations

import logging
import threading
from concurrent.futures import Future
from enum import Enum, StrEnum
from typing import Any, Callable, ClassVar, Generic, TypeVar

from kiosk.journeys.ports import JourneyServices

log = logging.getLogger(__name__)


class JourneyState(Enum):
    """A state whose value is its screen name and which belongs to a named group (a step)."""

    def __new__(cls, value: str, group: str) -> "JourneyState":
        member = object.__new__(cls)
        member._value_ = value
        member.group = group
        return member

    group: str

    @classmethod
    def in_group(cls, group: str) -> list["JourneyState"]:
        return [state for state in cls if state.group == group]


class EndReason(StrEnum):
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    TIMEOUT = "timeout"


S = TypeVar("S", bound=JourneyState)


class Journey(Generic[S]):
    name: ClassVar[str]
    State: ClassVar[type[JourneyState]]
    steps: ClassVar[tuple[str, ...]] = ()
    #: attributes holding personal data; each must be falsy after the wipe
    personal: ClassVar[tuple[str, ...]] = ()
    #: state names in which what the citizen gave is being handed over (submitted, sent, a
    #: door opening): leaving then would leave them not knowing whether it happened, so the
    #: screens offer no Back or Home until it has
    committing: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, services: JourneyServices) -> None:
        self.services = services
        self._lock = threading.RLock()
        self._listeners: list[Callable[["Journey"], None]] = []
        self._epoch = 0
        self._cancel_hooks: list[Callable[[], None]] = []
        self.end_reason: EndReason | None = None
        #: a short machine key for what went wrong on this screen ("" when nothing did);
        #: the UI turns it into words in both languages
        self.problem = ""
        self._reset_personal()
        self.state: S = self.initial_state()

    # --- to implement -------------------------------------------------------------------

    def initial_state(self) -> S:
        raise NotImplementedError

    def _reset_personal(self) -> None:
        """Set every attribute named in `personal` to its empty value."""
        raise NotImplementedError

    def children(self) -> list["Journey"]:
        """Embedded journeys (identification) that end and wipe with this one."""
        return []

    # --- observation ----------------------------------------------------------------------

    def subscribe(self, listener: Callable[["Journey"], None]) -> None:
        self._listeners.append(listener)

    def _notify(self) -> None:
        for listener in list(self._listeners):
            listener(self)

    @property
    def ended(self) -> bool:
        return self.state.group == "end"

    def step(self) -> tuple[int, int]:
        """(1-based step, number of steps) for the step indicator; (0, n) outside them."""
        try:
            return self.steps.index(self.state.group) + 1, len(self.steps)
        except ValueError:
            return 0, len(self.steps)

    @property
    def is_committing(self) -> bool:
        return not self.ended and self.state.value in self.committing

    def personal_data_present(self) -> list[str]:
        """Names of attributes still holding personal data (empty after the wipe)."""
        found = [f"{self.name}.{attr}" for attr in self.personal if getattr(self, attr)]
        for child in self.children():
            found += child.personal_data_present()
        return found

    # --- moving -------------------------------------------------------------------------------

    def _go(self, state: S, problem: str = "") -> None:
        with self._lock:
            if self.ended:
                return
            self.state = state
            self.problem = problem
        log.debug("journey %s -> %s %s", self.name, state.value, problem)
        self._notify()

    def _require(self, *states: S) -> None:
        if self.state not in states:
            raise JourneyActionRefused(
                f"{self.name}: not possible in state {self.state.value} "
                f"(expected {', '.join(s.value for s in states)})")

    def _after(self, future: Future, on_value: Callable[[Any], None],
               on_error: Callable[[BaseException], None]) -> None:
        """Run `on_value(result)` or `on_error(exception)` on the owner's thread, unless the
        journey has moved to another epoch (ended, or the step was abandoned) by then."""
        with self._lock:
            epoch = self._epoch

        def deliver() -> None:
            with self._lock:
                if epoch != self._epoch or self.ended:
                    return   # stale: whatever it carries is dropped unseen
                error = future.exception()
                if error is not None:
                    on_error(error)
                else:
                    on_value(future.result())

        future.add_done_callback(lambda _f: self.services.post(deliver))

    def _abandon_in_flight(self) -> None:
        """Forget the results of everything started so far (a step was left). The futures
        belong to their devices, which complete them; only the delivery is dropped."""
        with self._lock:
            self._epoch += 1

    @staticmethod
    def _stop_devices(*devices: Any) -> None:
        """Stop what the devices are doing for this journey (a face check or scan: `stop`;
        a card or code read: `cancel`); a device the kiosk lacks (None) is skipped."""
        for device in devices:
            stop = getattr(device, "stop", None) or getattr(device, "cancel", None)
            if stop is not None:
                stop()

    def on_cancel(self, hook: Callable[[], None]) -> None:
        """Stop something running (a camera stream, a card read) when the journey ends."""
        self._cancel_hooks.append(hook)

    def _guidance_while(self, state: S) -> Callable[[Any], None]:
        """For the face pipeline's thread: each instruction (a FaceGuidance) becomes
        `self.guidance`, on the owner's thread, one at a time, while the journey is still
        in `state`."""
        def guided(guidance: Any) -> None:
            def show() -> None:
                if self.state is state:
                    self.guidance = guidance
                    self._notify()
            self.services.post(show)
        return guided

    # --- ending ---------------------------------------------------------------------------------

    def cancel(self) -> None:
        self._end(EndReason.CANCELLED)

    def timeout(self) -> None:
        self._end(EndReason.TIMEOUT)

    def finish(self) -> None:
        self._end(EndReason.COMPLETED)

    def _end(self, reason: EndReason) -> None:
        with self._lock:
            if self.ended:
                return
            self._abandon_in_flight()
            hooks, self._cancel_hooks = self._cancel_hooks, []
            for hook in hooks:
                try:
                    hook()
                except Exception:  # a device that fails to stop must not keep data alive
                    log.exception("journey %s: stopping a device on end failed", self.name)
            for child in self.children():
                child._end(reason)
            self._reset_personal()
            self.problem = ""
            self.end_reason = reason
            self.state = self.State("ended")
        log.info("journey %s ended: %s", self.name, reason)
        self._notify()


class JourneyActionRefused(RuntimeError):
    """The UI asked for an action the current state does not offer (a programming error)."""
