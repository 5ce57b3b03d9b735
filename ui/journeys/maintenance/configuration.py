"""The configuration page: effective values with their file; a site file applied or refused."""
from __future__ import annotations

from typing import Any

from ui.journeys import present as p
from ui.journeys.maintenance.devices import breakable
from ui.journeys.texts import say


def snapshot(page) -> dict[str, Any]:
    state = page.state.value
    back = [p.action("page.back", "返回配置", "Back to the configuration", primary=True)]
    if state == "values":
        shown = "\n".join(f"{breakable(v.key)} = {breakable(repr(v.value))}  ← "
                           f"{v.source.rsplit('/', 1)[-1]}"
                          for v in page.diagnostics.configuration() if not v.key.startswith("devices."))
        site = page.site_file()
        actions = [p.action("page.apply_site_file", "检查并应用站点配置文件",
                            "Check and apply the site file")] if site is not None else []
        return {"message": p.message(say("当前配置（值 ← 来源文件）", "Configuration in force (value ← file)"),
                                     say(shown, shown), actions + [
                                         p.action("page.finish", "返回维护菜单", "Back to the menu", primary=True)])}
    if state == "applied":
        live = "\n".join(f"{breakable(k)} = {v!r}" for k, v in page.change.live.items()) or "-"
        later = "\n".join(f"{breakable(k)} = {v!r}" for k, v in page.change.restart.items())
        return {"message": p.message(
            say("已应用", "Applied"),
            say(f"立即生效：\n{live}" + (f"\n需重启后生效：\n{later}" if later else ""),
                f"In force now:\n{live}" + (f"\nNeeds a restart:\n{later}" if later else "")),
            back)}
    if state == "refused":
        error = page.refusal
        return {"message": p.message(
            say("未应用：配置有误", "Not applied: the configuration has a problem"),
            say(f"文件：{breakable(error.file)}\n项：{breakable(error.key)}\n"
                f"问题：{error.problem}\n处理：{error.fix}",
                f"File: {breakable(error.file)}\nKey: {breakable(error.key)}\n"
                f"Problem: {error.problem}\nFix: {error.fix}"),
            back, tone="warning")}
    return {}


SCREENS = {state: "common/Message.qml" for state in ("values", "applied", "refused")}
