"""The staff entry on the real shell with a real core: the hidden entry, the lockout, an
entry asked during a citizen session, the role's menu, and leaving back to service."""
from __future__ import annotations

import pytest

from kiosk.service_state import Mode
from tests.ui.test_shell import texts
from tests.kiosk.test_core import ListSink

SECRET = "s3cret-pass-1"


@pytest.fixture
def staffed(make_shell, test_clock, tmp_path):
    """A shown shell over a started core whose district sent T001 (technician) and H001
    (hall staff)."""
    from kiosk.app import KioskCore
    from kiosk.config import load_config
    from kiosk.pickup_secrets import hash_secret
    from wire.v1 import KioskStaff
    core = KioskCore.create(load_config(None), tmp_path / "data", clock=test_clock,
                            event_sink=ListSink(), with_face=False)
    pin_hash = hash_secret(SECRET, n=2 ** 10)
    core.maintenance.access.update([
        KioskStaff(staff_id="T001", role="technician", pin_hash=pin_hash),
        KioskStaff(staff_id="H001", role="hall_staff", pin_hash=pin_hash)])
    core.start()
    assert core.wait_settled() == []
    shell = make_shell(core=core)
    yield shell, core
    core.stop()


def sign_in(qtbot, shell, staff_id, secret):
    shell.navigator.viewModel.act("sign_in", [staff_id, secret])
    # the PIN's scrypt runs on a worker thread: on a loaded machine that can take seconds
    qtbot.waitUntil(lambda: shell.screen_name != "maintenance.checking", timeout=60_000)
    shell.settle()


def audit(core):
    return [p["action"] for kind, p in core.event_sink.items if kind == "audit"]


def test_the_service_key_opens_the_entry_wrong_tries_lock_it_and_leaving_restores_service(
        staffed, qtbot, test_clock):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    shell, core = staffed
    QTest.keyClick(shell.view, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: shell.screen_name == "maintenance.sign_in")
    assert core.service.mode is Mode.ENTERING
    sign_in(qtbot, shell, "T001", "wrong")
    assert "工号或密码不正确。" in texts(shell)      # never which of the two
    sign_in(qtbot, shell, "T999", SECRET)
    assert "工号或密码不正确。" in texts(shell)
    sign_in(qtbot, shell, "T001", "wrong")
    assert "尝试次数过多，请稍后再试。" in texts(shell)
    sign_in(qtbot, shell, "T001", SECRET)            # the right one waits out the lockout
    assert shell.screen_name == "maintenance.sign_in"
    test_clock.advance(core.config.maintenance.lockout_s)
    sign_in(qtbot, shell, "T001", SECRET)
    assert shell.screen_name == "maintenance.menu" and core.service.mode is Mode.MAINTENANCE
    assert not any(a.available for a in core.availability().values())
    assert "配置" in texts(shell) and "日志" in texts(shell)
    qtbot.waitUntil(lambda: "维护中" in shell.find("status_line").property("text"))
    from tests.ui.conftest import tap
    tap(qtbot, shell, "action_leave")
    qtbot.waitUntil(lambda: shell.screen_name == "attract")
    assert "维护中" not in shell.find("status_line").property("text")
    assert core.service.mode is Mode.IN_SERVICE and core.availability()["guide"].available
    assert audit(core) == ["maintenance.refused"] * 4 + ["maintenance.entered",
                                                         "maintenance.left"]
    # each one a link of this kiosk's audit chain (kiosk/audit_chain.py)
    assert [p["chain_seq"] for k, p in core.event_sink.items if k == "audit"] == [1, 2, 3, 4, 5, 6]


def test_an_entry_asked_during_a_citizen_session_waits_then_hall_staff_get_their_menu(
        staffed, qtbot):
    shell, core = staffed
    assert shell.navigator.startJourney("guide")
    screen = shell.screen_name
    shell.shell.serviceEntry()
    shell.settle()
    assert shell.screen_name == screen and core.service.mode is Mode.ENTERING   # not cut off
    shell.navigator.home()                       # the citizen is done
    qtbot.waitUntil(lambda: shell.screen_name == "maintenance.sign_in")
    sign_in(qtbot, shell, "H001", SECRET)
    assert shell.screen_name == "maintenance.menu"
    shown = texts(shell)
    assert "智能柜" in shown and "配置" not in shown and "日志" not in shown
    assert core.service.snapshot().person.role == "hall_staff"
    assert not core.maintenance.may("configuration") and core.maintenance.may("lockers")


def test_a_long_press_on_the_corner_opens_the_entry_and_the_idle_timeout_leaves(
        staffed, qtbot, test_clock):
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest
    shell, core = staffed
    corner = QPoint(10, 10)
    QTest.mousePress(shell.view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     corner)
    # the long press is Qt's own real-time timer
    qtbot.waitUntil(lambda: shell.screen_name == "maintenance.sign_in",
                    timeout=int(core.config.maintenance.long_press_s * 1000) + 5000)
    QTest.mouseRelease(shell.view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                       corner)
    sign_in(qtbot, shell, "T001", SECRET)
    assert core.service.mode is Mode.MAINTENANCE
    config = core.config.session
    test_clock.advance(config.idle_timeout_s + config.idle_warning_s + 1)
    qtbot.waitUntil(lambda: shell.screen_name == "attract")
    assert core.service.mode is Mode.IN_SERVICE


def test_the_screen_follows_when_the_core_leaves_maintenance(staffed, qtbot, test_clock):
    """The core's own inactivity timeout (kiosk.maintenance) takes the menu away too."""
    shell, core = staffed
    shell.shell.serviceEntry()
    qtbot.waitUntil(lambda: shell.screen_name == "maintenance.sign_in")
    sign_in(qtbot, shell, "T001", SECRET)
    assert shell.screen_name == "maintenance.menu"
    core.maintenance._inactivity_s = 30.0   # shorter than the session's idle timeout
    core.maintenance.touched()
    test_clock.advance(30.0)
    qtbot.waitUntil(lambda: shell.screen_name == "attract")
    assert core.service.mode is Mode.IN_SERVICE
    assert audit(core)[-1] == "maintenance.left"
