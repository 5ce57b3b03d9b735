"""The queue page: depth, oldest unsent, last error; sync now, retry, export with progress."""
from __future__ import annotations

from typing import Any

from ui.journeys import present as p
from ui.journeys.texts import say

WHAT = {"sync": say("立即同步", "Sync now"), "retry": say("重试搁置项", "Retry set-aside items"),
        "export": say("导出到移动存储", "Export to removable media")}


def _overview(page) -> dict[str, Any]:
    status = page.status()
    if status is None:
        body = say("本机没有离线队列", "This kiosk runs without an offline queue")
    else:
        age = status["oldest_unsent_age_s"]
        oldest = "-" if age is None else f"{age / 60:.0f}"
        body = say(f"待发送：{status['depth']}　搁置：{status['quarantined']}\n"
                   f"最早未发送：{oldest} 分钟前\n最近错误：{status['last_error'] or '无'}",
                   f"Waiting: {status['depth']}  set aside: {status['quarantined']}\n"
                   f"Oldest unsent: {oldest} min ago\nLast error: {status['last_error'] or 'none'}")
    actions = [p.action("page.sync_now", *WHAT["sync"].values()),
               p.action("page.retry_set_aside", *WHAT["retry"].values())]
    actions += [{**p.action("page.export", f"导出到 {m.name}", f"Export to {m.name}",
                            args=[str(m / "kiosk-queue-export")]),
                 "objectName": f"action_page_export_{m.name}"} for m in page.media()]
    actions.append(p.action("page.finish", "返回维护菜单", "Back to the menu", primary=True))
    return p.message(say("离线队列", "Offline queue"), body, actions)


def snapshot(page) -> dict[str, Any]:
    state = page.state.value
    what = WHAT.get(page.outcome.get("what", ""), say("", ""))
    if state == "overview":
        return {"message": _overview(page)}
    if state in ("working", "exporting"):
        done, total = page.progress
        shown = say(f"已导出 {done} / {total}", f"Exported {done} of {total}") \
            if state == "exporting" else say("请稍候", "One moment")
        return {"message": p.message(say(f"正在进行：{what['zh']}", f"Running: {what['en']}"), shown)}
    if state == "done":
        outcome = page.outcome
        ok = outcome.get("ok", False)
        shown = "\n".join(f"{k}: {v}" for k, v in outcome.items() if k not in ("what", "ok"))
        return {"message": p.message(
            say(f"{what['zh']}：{'完成' if ok else '失败'}", f"{what['en']}: {'done' if ok else 'failed'}"),
            say(shown, shown), [p.action("page.back", "返回队列", "Back to the queue", primary=True)],
            tone="info" if ok else "warning")}
    return {}


SCREENS = {state: "common/Message.qml" for state in ("overview", "working", "exporting", "done")}
