"""The devices and consumables pages on the real shell over a real core with its simulated
devices (the real printer driver over TCP to the virtual printer, the real eMRTD code on
the virtual card): each test action, the paper-out fix with the roll fitted mid-guide, a
jam cleared, both counted and audited."""
from __future__ import annotations

from tests.ui.conftest import tap
from tests.ui.test_maintenance_ui import SECRET, audit, staffed  # noqa: F401
from tests.ui.test_shell import texts


def enter(qtbot, shell, staff_id: str, page: str) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    QTest.keyClick(shell.view, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: shell.screen_name == "maintenance.sign_in")
    shell.navigator.viewModel.act("sign_in", [staff_id, SECRET])
    # the secret's check runs on the background worker: a bound for a failure, not a timing
    qtbot.waitUntil(lambda: shell.screen_name == "maintenance.menu", timeout=60000)
    tap(qtbot, shell, f"action_open_page_{page}")
    qtbot.waitUntil(lambda: shell.screen_name == f"maintenance.{page}_list", timeout=60000)


def on_screen(qtbot, shell, screen: str, text: str = "") -> None:
    qtbot.waitUntil(lambda: shell.screen_name == screen and text in texts(shell), timeout=60000)


def test_each_test_action_on_the_simulators(staffed, qtbot):
    shell, core = staffed
    enter(qtbot, shell, "T001", "devices")
    tap(qtbot, shell, "action_page_open_device_receipt_printer")
    on_screen(qtbot, shell, "maintenance.devices_device")
    tap(qtbot, shell, "action_page_run_test_test_page")
    on_screen(qtbot, shell, "maintenance.devices_result", "打印测试页：成功")
    assert "测试页" in core.devices["receipt_printer"].virtual.last_job.text
    tap(qtbot, shell, "action_page_back")
    tap(qtbot, shell, "action_page_run_test_printer_status")
    on_screen(qtbot, shell, "maintenance.devices_result", "paper: ok")
    tap(qtbot, shell, "action_page_back")
    tap(qtbot, shell, "nav_back")
    on_screen(qtbot, shell, "maintenance.devices_list")
    tap(qtbot, shell, "action_page_open_device_id_card_reader")
    tap(qtbot, shell, "action_page_run_test_read_card")
    on_screen(qtbot, shell, "maintenance.devices_result", "sod_signature: passed")
    shown = texts(shell)
    assert "document_number: E*******8" in shown and "E12345678" not in shown
    tap(qtbot, shell, "action_page_back")
    tap(qtbot, shell, "nav_back")
    on_screen(qtbot, shell, "maintenance.devices_list")
    # lower in a list that pages: opened as its button would (reaching it is the geometry
    # test's part)
    shell.navigator.viewModel.act("page.open_device", ["lockers"])
    on_screen(qtbot, shell, "maintenance.devices_device")
    tap(qtbot, shell, "action_page_run_test_open_compartment")
    on_screen(qtbot, shell, "maintenance.devices_result", "测试后请关门）：成功")
    assert "locker.open" in audit(core)
    assert core.counters.counts("receipt_printer")["prints"] == 1
    assert core.counters.counts("id_card_reader")["card_reads"] == 1


def test_paper_out_fixed_mid_guide_then_a_jam_cleared(staffed, qtbot):
    shell, core = staffed
    printer = core.devices["receipt_printer"]
    printer.simulate("paper", level="out")
    enter(qtbot, shell, "H001", "consumables")
    tap(qtbot, shell, "action_page_open_device_receipt_printer")
    on_screen(qtbot, shell, "maintenance.consumables_device", "paperOut")
    tap(qtbot, shell, "action_page_start_fix")
    on_screen(qtbot, shell, "maintenance.consumables_fix", "装入新纸卷")
    picture = shell.find("message_image")               # the steps come with a picture
    assert picture is not None and picture.property("sourceSize").width() > 0
    printer.simulate("paper", level="ok")             # the roll fitted while the steps show
    on_screen(qtbot, shell, "maintenance.consumables_fixed")
    tap(qtbot, shell, "action_page_back")
    printer.simulate("jam")                           # the page shows the new fault live
    on_screen(qtbot, shell, "maintenance.consumables_device", "paperJam")
    tap(qtbot, shell, "action_page_start_fix")
    on_screen(qtbot, shell, "maintenance.consumables_fix", "清除卡纸")
    printer.simulate("jam", jammed=False)
    on_screen(qtbot, shell, "maintenance.consumables_fixed")
    assert core.counters.counts("receipt_printer")["fixes"] == {"paperOut": 1, "paperJam": 1}
    assert audit(core).count("device.fixed") == 2


def test_camera_preview_shows_the_picture_with_its_face_box(staffed, qtbot):
    shell, core = staffed
    core.devices["face_camera"].simulate("person", who="holder")
    enter(qtbot, shell, "T001", "devices")
    tap(qtbot, shell, "action_page_open_device_face_camera")
    tap(qtbot, shell, "action_page_run_test_camera_preview")
    on_screen(qtbot, shell, "maintenance.devices_result", "faces: 1")
    # the picture arrives from the image provider after the text (slower on a busy machine)
    qtbot.waitUntil(lambda: _picture_shown(shell), timeout=30_000)
    tap(qtbot, shell, "action_page_back")        # the picture is not kept
    on_screen(qtbot, shell, "maintenance.devices_device")
    assert shell.navigator.viewModel.journey.page.result == {}


def _picture_shown(shell) -> bool:
    picture = shell.find("message_image")
    return picture is not None and picture.property("sourceSize").width() > 0 \
        and picture.height() > 100
