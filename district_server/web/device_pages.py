"""The devices part of a kiosk's console page: each device's health as last reported, with its
current error, the action that fixes it and its counters, and its status changes over time."""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from district_server.kiosks.models import DeviceStatusChange
from district_server.web.html import table, text
from district_server.web.routes import _when


def _since(value: Any) -> str:
    try:
        return _when(datetime.fromisoformat(value)) if value else "—"
    except (TypeError, ValueError):
        return "—"


def _counters(counters: dict[str, Any] | None) -> str:
    if not counters:
        return ""
    counts = ", ".join(f"{name} {value}" for name, value in sorted(
        (counters.get("counts") or {}).items()) if value)
    by_code = [f"{title} " + ", ".join(f"{code} ×{n}" for code, n in sorted(found.items()))
               for title, found in (("errors", counters.get("errors") or {}),
                                    ("fixes", counters.get("fixes") or {})) if found]
    return "; ".join(part for part in [counts, *by_code] if part)


def device_table(devices: dict[str, dict[str, Any]]) -> str:
    rows = [([text(name), text(d.get("kind")), text(d.get("availability")),
              text(d.get("severity")), text(d.get("detail")),
              f"<span id='error-{text(name)}'>{text(d.get('error_code'))}</span>",
              f"<span id='action-{text(name)}'>{text(d.get('action'))}</span>",
              text(_since(d.get("since"))),
              text(", ".join(f"{u} {v}" for u, v in sorted((d.get("units") or {}).items()))),
              f"<span id='counters-{text(name)}'>{text(_counters(d.get('counters')))}</span>"],
             "overdue" if d.get("severity") == "error" else "")
            for name, d in sorted(devices.items())]
    return "<h2>设备 Devices</h2>" + table(
        ["设备 Device", "类型 Kind", "状态 Availability", "级别 Severity", "详情 Detail",
         "故障码 Error code", "处理 Action", "变化于 Since", "耗材与门 Consumables, doors",
         "计数 Counters"], rows)


def history_table(changes: list[DeviceStatusChange]) -> str:
    """The kiosk's device status changes, newest first."""
    rows = [([text(_when(c.at)), text(c.device), text(c.availability), text(c.severity),
              text(c.error_code), text(c.action), text(c.detail),
              text(", ".join(f"{u} {v}" for u, v in sorted(json.loads(c.units_json).items()))),
              text(_when(c.received_at))],
             "overdue" if c.severity == "error" else "")
            for c in changes]
    return "<h2 id='device-history'>设备记录 Device history</h2>" + table(
        ["时间 When", "设备 Device", "状态 Availability", "级别 Severity", "故障码 Error code",
         "处理 Action", "详情 Detail", "耗材与门 Consumables, doors", "收到 Received"], rows)
