"""The devices and consumables pages: each device's status, history and counters, its test
actions with their results, and the guided fix of its current error, step by step, with
the status as it is now."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ui.journeys import present as p
from ui.journeys.texts import say

STATES = {"ok": say("正常", "OK"), "warning": say("提醒", "Warning"), "error": say("故障", "Fault")}
AVAILABILITY = {
    "online": say("在线", "online"), "busy": say("忙", "busy"), "starting": say("启动中", "starting"),
    "offline": say("无响应", "not answering"), "noDevice": say("未连接", "not connected"),
    "hardwareError": say("硬件故障", "hardware fault"),
    "userError": say("等待补充耗材", "waiting for a consumable")}
ACTIONS = {"reset": say("自动重试", "retried automatically"), "clear": say("由工作人员排除", "staff clear it"),
           "maintenance": say("需技术人员维修", "a technician repairs it"),
           "configuration": say("检查配置", "check the configuration"),
           "replenish": say("补充耗材", "replenish it"), "none": say("无需处理", "nothing to do")}
COUNTERS = {"prints": say("打印", "prints"), "cuts": say("切纸", "cuts"),
            "rolls_fitted": say("换纸卷", "rolls fitted"), "card_reads": say("读卡", "card reads"),
            "face_checks": say("人脸核验", "face checks"), "door_opens": say("开门", "door opens")}
TESTS = {"test_page": say("打印测试页", "Print a test page"),
         "camera_preview": say("摄像头预览（人脸框）", "Camera preview (face box)"),
         "scan_code": say("扫码测试（请在 20 秒内扫码）", "Scan test (scan a code within 20 s)"),
         "printer_status": say("读取打印机状态", "Read the printer status"),
         "read_card": say("读卡测试（结果脱敏）", "Test card read (masked)"),
         "open_compartment": say("开门测试（打开一个空格口，测试后请关门）",
                                 "Door test (opens an empty compartment: close it after)")}
#: guide -> its picture (guides/<guide>.svg)
PICTURES = Path(__file__).resolve().parent / "guides"
#: guide -> (title, steps); the status is watched while they are shown
GUIDES = {
    "fit_roll": (say("装入新纸卷", "Fit a new paper roll"), [
        say("打开打印机前盖", "Open the printer's front cover"),
        say("取出空纸芯", "Take out the empty core"),
        say("放入新纸卷，纸头从下方朝外拉出", "Drop in the new roll, paper coming out from below"),
        say("拉出约 5 厘米，合上前盖", "Pull out about 5 cm and close the cover")]),
    "clear_jam": (say("清除卡纸", "Clear a paper jam"), [
        say("打开打印机前盖", "Open the printer's front cover"),
        say("轻轻取出卡住的纸，不要用工具", "Pull out the jammed paper gently, no tools"),
        say("检查切刀处没有碎纸", "Check no scraps are left at the cutter"),
        say("合上前盖", "Close the cover")]),
    "close_cover": (say("合上打印机前盖", "Close the printer cover"), [
        say("把前盖按下直到听到咔哒声", "Press the cover down until it clicks")]),
    "reconnect": (say("重新连接设备", "Reconnect the device"), [
        say("检查设备电源指示灯", "Check the device's power light"),
        say("拔下并重新插好数据线", "Unplug the data cable and plug it back in firmly"),
        say("等待设备重新上线", "Wait for the device to come back online")]),
}


def breakable(name: str) -> str:
    """A technical name (receipt_printer, session.idle_timeout_s) that may wrap at _ and ."""
    return name.replace("_", "_\u200b").replace(".", ".\u200b")


def _lines(*lines: dict[str, str]) -> dict[str, str]:
    return {"zh": "\n".join(line["zh"] for line in lines),
            "en": "\n".join(line["en"] for line in lines)}


def status_line(status) -> dict[str, str]:
    state = AVAILABILITY.get(str(status.availability), say(str(status.availability),
                                                          str(status.availability)))
    words = say(f"{STATES[str(status.severity)]['zh']}（{state['zh']}）",
                f"{STATES[str(status.severity)]['en']} ({state['en']})")
    if status.error_code:
        action = ACTIONS.get(str(status.action), say("", ""))
        words = say(f"{words['zh']}：{status.error_code}，{action['zh']}",
                    f"{words['en']}: {status.error_code}, {action['en']}")
    return words


def _device(page) -> dict[str, Any]:
    report = page.report()
    counts = report.counts
    counted = [say(f"{COUNTERS[k]['zh']} {counts[k]}", f"{COUNTERS[k]['en']} {counts[k]}")
               for k in COUNTERS if counts[k]]
    errors = "，".join(f"{code}×{n}" for code, n in sorted(counts["errors"].items()))
    units = "，".join(f"{unit}={state}" for unit, state in report.status.units.items())
    history = [say(f"{entry.at:%m-%d %H:%M:%S} {', '.join(f'{k}={v}' for k, v in entry.changes.items() if k != 'identity')}",
                   f"{entry.at:%m-%d %H:%M:%S} {', '.join(f'{k}={v}' for k, v in entry.changes.items() if k != 'identity')}")
               for entry in report.history[-5:]]
    body = _lines(status_line(report.status),
                  *([say(f"单元：{units}", f"Units: {units}")] if units else []),
                  *([say("计数：" + "，".join(c["zh"] for c in counted),
                         "Counters: " + ", ".join(c["en"] for c in counted))] if counted else []),
                  *([say(f"故障次数：{errors}", f"Errors: {errors}")] if errors else []),
                  *([say("最近变化：", "Recent changes:")] + history if history else []))
    actions = [{**p.action("page.run_test", TESTS[t]["zh"], TESTS[t]["en"], args=[t]),
                "objectName": f"action_page_run_test_{t}"} for t in page.tests()]
    if page.guide():
        title = GUIDES[page.guide()][0]
        actions.append(p.action("page.start_fix", "指导排除：" + title["zh"],
                                "Guided fix: " + title["en"], primary=True))
    return p.message(say(f"设备 {breakable(report.name)}", f"Device {breakable(report.name)}"),
                     _lines(say(f"类型：{report.kind}", f"Kind: {report.kind}"), body), actions, tone="warning" if report.status.error_code else "info")


def _result(page) -> dict[str, Any]:
    result = dict(page.result)
    ok = result.pop("ok", False)
    image = result.pop("image", "")
    shown = [say(f"{k}: {v}", f"{k}: {v}") for k, v in result.items() if k != "checks"]
    shown += [say(f"{k}: {v}", f"{k}: {v}") for k, v in (result.get("checks") or {}).items()]
    test = TESTS.get(page.test, say(page.test, page.test))
    return p.message(say(f"{test['zh']}：{'成功' if ok else '失败'}", f"{test['en']}: {'passed' if ok else 'failed'}"),
                     _lines(*shown),
                     [p.action("page.run_test", "再试一次", "Run it again", args=[page.test]),
                      p.action("page.back", "返回设备", "Back to the device", primary=True)],
                     tone="info" if ok else "warning") | ({"image": image} if image else {})


def _fix(page) -> dict[str, Any]:
    guide = page.guide(page.live)
    title, steps = GUIDES[guide] if guide else \
        (say("等待设备恢复正常", "Waiting for the device to be OK"), [])
    numbered = [say(f"{n}. {s['zh']}", f"{n}. {s['en']}") for n, s in enumerate(steps, 1)]
    now = status_line(page.live)
    return p.message(title, _lines(*numbered, say(f"当前状态：{now['zh']}", f"Status now: {now['en']}"),
                                   say("状态恢复正常后自动确认。", "Confirmed by itself once the status is OK.")),
                     [p.action("page.back", "停止指导", "Stop the guide", primary=True)],
                     tone="warning") | ({"image": (PICTURES / f"{guide}.svg").as_uri()} if guide else {})


def snapshot(page) -> dict[str, Any]:
    state = page.state.value
    if state == "list":
        reports = page.devices()
        return {"message": p.message(
            say("设备检查" if page.name == "devices" else "纸张与耗材",
                "Device checks" if page.name == "devices" else "Paper and consumables"),
            _lines(*[say(f"{r.name}：{status_line(r.status)['zh']}", f"{r.name}: {status_line(r.status)['en']}")
                     for r in reports]) if reports else say("没有需要处理的设备", "No device to look after"),
            [{**p.action("page.open_device", r.name, r.name, args=[r.name]),
              "objectName": f"action_page_open_device_{r.name}"} for r in reports]
            + [p.action("page.finish", "返回维护菜单", "Back to the menu", primary=True)])}
    if state == "device":
        return {"message": _device(page)}
    if state == "testing":
        test = TESTS.get(page.test, say(page.test, page.test))
        return {"message": p.message(say(f"正在进行：{test['zh']}", f"Running: {test['en']}"),
                                     say("请稍候", "One moment"))}
    if state == "result":
        return {"message": _result(page)}
    if state == "fix":
        return {"message": _fix(page)}
    if state == "fixed":
        return {"message": p.message(say("已排除，设备状态正常", "Fixed: the device status is OK"),
                                     say("已计数并记入审计日志。", "Counted and recorded in the audit log."),
                                     [p.action("page.back", "返回设备", "Back to the device", primary=True)])}
    return {}


SCREENS = {state: "common/Message.qml" for state in
           ("list", "device", "testing", "result", "fix", "fixed")}
#: the consumables page has no test actions, so no testing or result screen
CONSUMABLES_SCREENS = {state: file for state, file in SCREENS.items()
                       if state not in ("testing", "result")}
