"""The logs page: the recent lines (already free of personal data) and an export."""
from __future__ import annotations

from typing import Any

from ui.journeys import present as p
from ui.journeys.maintenance.devices import breakable
from ui.journeys.texts import say

#: characters of a log line shown on screen (the export has them whole)
SHOWN_CHARS = 120


def snapshot(page) -> dict[str, Any]:
    state = page.state.value
    if state == "recent":
        lines = "\n".join(breakable(line[:SHOWN_CHARS]).replace("/", "/\u200b")
                          for line in page.lines()) or "-"
        actions = [{**p.action("page.export", f"导出到 {m.name}", f"Export to {m.name}",
                               args=[str(m / "kiosk-logs")]),
                    "objectName": f"action_page_export_{m.name}"} for m in page.media()]
        return {"message": p.message(say("最近日志", "Recent log lines"), say(lines, lines), actions + [
            p.action("page.finish", "返回维护菜单", "Back to the menu", primary=True)])}
    if state == "exported":
        files, where = page.outcome["files"], page.outcome["directory"]
        return {"message": p.message(say(f"已导出 {files} 个日志文件", f"Exported {files} log file(s)"),
                                     say(where, where),
                                     [p.action("page.back", "返回日志", "Back to the logs", primary=True)])}
    return {}


SCREENS = {state: "common/Message.qml" for state in ("recent", "exported")}
