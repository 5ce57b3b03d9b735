"""`kiosk demo`: the headless smoke walk, and the simulator control panel."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_headless_smoke_scenario_exits_0_with_screenshots(tmp_path):
    shots = tmp_path / "shots"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "launcher", "--data-dir", str(tmp_path / "data"), "demo",
         "--headless", "--scenario", str(ROOT / "config/scenarios/smoke.yaml"),
         "--screenshots", str(shots)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    pngs = sorted(shots.glob("*.png"))
    assert len(pngs) >= 3
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)
    names = " ".join(p.name for p in pngs)
    assert "idle_warning" in names and "en_US" in names and "elder" in names


def test_failing_step_is_named_and_exits_1(tmp_path):
    scenario = tmp_path / "bad.yaml"
    scenario.write_text("name: bad\nsteps:\n  - expect_screen: attract\n"
                        "  - tap: no_such_button\n", encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "launcher", "--data-dir", str(tmp_path / "data"), "demo",
         "--headless", "--no-server", "--scenario", str(scenario)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert "step 2 (tap target='no_such_button')" in result.stderr
    assert "no visible item named 'no_such_button'" in result.stderr


@pytest.fixture
def demo(request, tmp_path, test_clock):
    from kiosk.config import load_config
    from launcher.demo import Demo
    with_server = getattr(request, "param", False)
    demo = Demo.create(load_config(), tmp_path, clock=test_clock, with_server=with_server)
    if with_server:
        assert demo.server is not None, "the embedded district server did not start"
    demo.start()
    demo.core.wait_settled()
    yield demo
    demo.stop()


def test_control_panel_sets_printer_paper_out_and_reports_unknown_actions(
        demo, make_shell, qtbot):
    from ui.control_panel import ControlPanel
    shell = make_shell(core=demo.core)
    panel = ControlPanel(demo, shell)
    try:
        model = panel.model
        rows = {row["name"]: row for row in model.property("devices")}
        printer = rows["receipt_printer"]
        labels = {p["action"] for p in printer["presets"]}
        assert {"paper", "offline", "remove", "replug"} <= labels
        paper_out = next(p for p in printer["presets"] if p["args"] == '{"level": "out"}')
        with qtbot.waitSignal(model.messageChanged, timeout=10_000):
            model.simulate("receipt_printer", "paper", paper_out["args"], "")
        qtbot.waitUntil(lambda: "paper=out" in {r["name"]: r for r in
                                                model.property("devices")}["receipt_printer"]
                        ["units"], timeout=10_000)
        with qtbot.waitSignal(model.messageChanged, timeout=10_000):
            model.simulate("receipt_printer", "explode", "{}", "")
        assert "known actions" in model.property("message")
        with qtbot.waitSignal(model.messageChanged):
            model.simulate("lockers", "jam", '{"compartment": "{value}"}', "")
        assert "type a value" in model.property("message")
    finally:
        panel.close()


@pytest.mark.parametrize("demo", [True], indirect=True)
def test_cutting_the_network_shows_the_offline_status_line(demo, make_shell, qtbot):
    from launcher.demo import probe_health
    from ui.control_panel import ControlPanelModel
    shell = make_shell(core=demo.core)
    model = ControlPanelModel(demo, shell.bridge)
    try:
        assert probe_health(demo.server.url)[0]
        assert "网络暂时中断" not in shell.find("status_line").property("text")
        with qtbot.waitSignal(shell.shell.tilesChanged):
            model.setNetworkCut(True)
        shell.settle()
        assert "网络暂时中断" in shell.find("status_line").property("text")
        assert not probe_health(demo.server.url)[0]  # the server really is cut off
    finally:
        model.close()


#: device unplugged -> what the status line must say (the services it changes, and how)
UNPLUGGED = {
    "id_card_reader": ["办事暂停：证件阅读器故障", "查询暂停：证件阅读器故障",
                       "取件：证件阅读器暂停，请使用取件码"],
    "face_camera": ["办事、查询、补交材料：摄像头暂停，身份核验由工作人员协助"],
    "document_camera": ["办事：高拍仪暂停，纸质材料暂不能扫描", "补交材料暂停：高拍仪故障"],
    "code_scanner": ["取号：扫码器暂停，预约码请手动输入"],
    "receipt_printer": ["办事、取号：打印机暂停，凭条改为扫码获取"],
    "lockers": ["取件暂停：智能柜故障"],
}


@pytest.mark.parametrize("demo", [True], indirect=True)
@pytest.mark.parametrize("device", sorted(UNPLUGGED))
def test_status_line_names_the_services_an_unplugged_device_changes(
        demo, make_shell, qtbot, device):
    shell = make_shell(core=demo.core)
    status = shell.find("status_line")
    assert status.property("text") == "所有服务正常"
    demo.core.devices[device].simulate("remove")
    qtbot.waitUntil(lambda: UNPLUGGED[device][0] in status.property("text"), timeout=10_000)
    for expected in UNPLUGGED[device]:
        assert expected in status.property("text")
    shell.shell.setLanguage("en_US")
    shell.settle()
    assert "All services available" not in status.property("text")
    shell.shell.setLanguage("zh_CN")
    demo.core.devices[device].simulate("replug")
    qtbot.waitUntil(lambda: status.property("text") == "所有服务正常", timeout=10_000)


@pytest.mark.parametrize("demo", [True], indirect=True)
def test_demo_kiosk_is_enrolled_and_its_queue_delivers(demo):
    """The demo's offline queue is enrolled with the embedded server and delivers."""
    assert demo.core.queue is not None and demo.core.queue.worker is not None, "not enrolled"
    enqueued = demo.core.event_sink.enqueue(
        "staff_call", {"reason": "help", "journey": None, "at": demo.core.clock.now().isoformat()})
    assert enqueued.case_number.startswith(demo.core.config.kiosk.id)
    result = demo.core.queue.worker.sync_once()  # the worker may already have delivered it
    assert result.ok, result
    status = demo.core.queue.status()
    assert status.depth == 0 and status.delivered_kept == 1 and status.quarantined == 0


@pytest.mark.parametrize("demo", [True], indirect=True)
def test_a_scenario_starts_from_a_kiosk_that_has_met_its_district(demo):
    # CI once walked an English scenario that turned Chinese: the district's configuration
    # came after the first screen. The demo waits for the first sync that reached the district
    assert demo.wait_synced(timeout_s=60)
    assert demo.core.queue.worker.last_result.ok
    person = demo.core.maintenance.access.check("demo-clerk", "864200")
    assert person.role == "hall_staff"      # the hall's staff list has arrived


@pytest.mark.parametrize("demo", [True], indirect=True)
def test_help_button_queues_a_staff_call(demo, make_shell, qtbot):
    from tests.ui.conftest import tap
    shell = make_shell(core=demo.core)
    with qtbot.waitSignal(shell.shell.helpChanged):
        tap(qtbot, shell, "nav_help")
    qtbot.waitUntil(lambda: shell.shell.helpQueued, timeout=10_000)
    status = demo.core.queue.status()
    assert status.depth + status.delivered_kept == 1 and status.quarantined == 0
