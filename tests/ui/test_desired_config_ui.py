"""The district's desired-state configuration reaches the screen without a restart: the
attract tiles, the hall's phone, the elder-mode default and the idle timer follow it."""
from __future__ import annotations

import threading

PUSHED = {"kiosk.journeys": ["ticket", "guide"], "kiosk.hall_phone": "0755-8888 0000",
          "kiosk.elder_mode": True, "session.idle_timeout_s": 30}


class ListSink:
    def enqueue(self, kind, payload, blobs=None):
        return None


def test_pushed_configuration_is_shown_between_sessions(make_shell, qtbot, tmp_path,
                                                        test_clock):
    from kiosk.app import KioskCore
    from kiosk.config import load_config
    core = KioskCore.create(load_config(None), tmp_path, clock=test_clock,
                            event_sink=ListSink(), with_face=False)
    shell = make_shell(core=core)
    assert not shell.shell.elderMode
    assert shell.shell.hallPhone != PUSHED["kiosk.hall_phone"]
    # applied on the sync worker's thread, as the desired state is
    with qtbot.waitSignal(shell.shell.hallChanged, timeout=10_000):
        threading.Thread(target=core.apply_config, args=(PUSHED,)).start()
    assert shell.shell.hallPhone == "0755-8888 0000"
    assert [tile["key"] for tile in shell.shell.tiles] == ["ticket", "guide"]
    assert shell.shell.elderMode and shell.shell.voiceOn
    assert shell.session.idle_timeout_s == 30


def test_the_sync_worker_sees_the_citizens_session_and_hears_when_the_visit_ends(
        make_shell, tmp_path, test_clock, monkeypatch):
    """Desired state waits for the end of a visit: the core learns from the screen whether a
    citizen is in a journey, and is told when the visit ends (its sync runs then)."""
    from kiosk.app import KioskCore
    from kiosk.config import load_config
    core = KioskCore.create(load_config(None), tmp_path, clock=test_clock,
                            event_sink=ListSink(), with_face=False)
    ended = []
    monkeypatch.setattr(core, "session_ended", lambda: ended.append(core.session_active()))
    shell = make_shell(core=core)
    assert not core.session_active()
    shell.navigator.startJourney("guide")
    assert core.session_active() and ended == []
    shell.navigator.home()                       # Home: the citizen may still be here
    test_clock.advance(shell.session.idle_timeout_s)
    assert ended == [False]                      # the visit is over, and told so once
