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
