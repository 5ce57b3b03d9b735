"""kiosk.session: idle warning, extension and wipe, driven by the TestClock (no Qt)."""
from __future__ import annotations

import pytest

from kiosk.session import Session, SessionState, WipeReason


class Holder:
    def __init__(self):
        self.data = {"name": "王小明"}

    def wipe(self):
        self.data.clear()


class Broken:
    def wipe(self):
        raise RuntimeError("boom")


def make(clock, **callbacks):
    events = []
    session = Session(clock, idle_timeout_s=90, warning_s=30,
                      on_warning=lambda s: events.append(("warning", s)),
                      on_tick=lambda s: events.append(("tick", s)),
                      on_extended=lambda: events.append(("extended",)),
                      on_wipe=lambda r: events.append(("wipe", r)), **callbacks)
    return session, events


def test_idle_session_never_warns(test_clock):
    session, events = make(test_clock)
    test_clock.advance(1000)
    assert events == [] and session.state is SessionState.IDLE


def test_warning_after_idle_timeout_then_wipe_clears_holders(test_clock):
    session, events = make(test_clock)
    holder = Holder()
    session.register(holder)
    session.register(Broken())  # one failing holder must not save the others' data
    session.begin()
    test_clock.advance(89.9)
    assert events == []
    test_clock.advance(0.2)
    assert events == [("warning", 30)] and session.state is SessionState.WARNING
    test_clock.advance(10)
    assert events[-1] == ("tick", 20) and session.seconds_left() == 20
    assert holder.data  # nothing wiped during the warning
    test_clock.advance(20)
    assert events[-1] == ("wipe", WipeReason.TIMEOUT)
    assert holder.data == {} and session.state is SessionState.IDLE


def test_touch_postpones_and_answers_the_warning(test_clock):
    session, events = make(test_clock)
    session.begin()
    test_clock.advance(60)
    session.touch()
    test_clock.advance(60)
    assert events == []  # 120 s since begin, but only 60 s since the touch
    test_clock.advance(30)
    assert events == [("warning", 30)]
    test_clock.advance(5)
    session.touch()
    assert events[-1] == ("extended",) and session.state is SessionState.ACTIVE
    test_clock.advance(89)
    assert events[-1] == ("extended",)
    test_clock.advance(1)
    assert events[-1] == ("warning", 30)


def test_end_wipes_at_once_and_unregistered_holders_are_left_alone(test_clock):
    session, events = make(test_clock)
    kept, dropped = Holder(), Holder()
    session.register(kept)
    unregister = session.register(dropped)
    unregister()
    session.begin()
    session.end()
    assert events == [("wipe", WipeReason.FINISHED)]
    assert kept.data == {} and dropped.data
    assert test_clock.pending() == 0


def test_warning_shorter_than_20_s_is_refused(test_clock):
    with pytest.raises(ValueError, match="20 s"):
        Session(test_clock, idle_timeout_s=60, warning_s=19)


def test_seconds_until_wipe_count_down_through_the_warning_and_restart_on_a_touch(test_clock):
    session, _events = make(test_clock)
    assert session.seconds_until_wipe() == 0           # nobody here
    session.begin()
    assert session.seconds_until_wipe() == 120
    test_clock.advance(100)                            # into the warning
    assert session.state is SessionState.WARNING and session.seconds_until_wipe() == 20
    session.touch()
    assert session.seconds_until_wipe() == 120
    test_clock.advance(121)
    assert session.state is SessionState.IDLE and session.seconds_until_wipe() == 0
