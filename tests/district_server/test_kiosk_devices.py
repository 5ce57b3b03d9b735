"""A kiosk's console page shows each device as last reported (its current error, the action
that fixes it, its counters, the configuration the kiosk runs) and each device's status changes
over time, to staff who may see the kiosk's hall."""
from __future__ import annotations

import re

from sqlalchemy import select

from tests.district_server.test_access import _console_session
from tests.district_server.test_alerts import report


def printer(paper: str, error_code: str = "", action: str = "", prints: int = 0,
            since: str = "2026-12-05T21:00:00Z") -> dict:
    return {"receipt_printer": {
        "availability": "userError" if error_code else "online",
        "severity": "warning" if error_code else "ok", "kind": "printer",
        "units": {"paper": paper}, "error_code": error_code, "action": action, "since": since,
        "counters": {"counts": {"prints": prints, "cuts": prints, "door_opens": 0},
                     "errors": {"paperOut": 1} if error_code else {}, "fixes": {}}}}


def test_the_kiosk_page_shows_errors_actions_counters_and_configuration(kiosk, client, ctx):
    report(kiosk, {"config_version": "a1b2c3d4e5f6",
                   "devices": printer("out", "paperOut", "replenish", prints=41)})
    _console_session(ctx, client, "technician")
    page = client.get(f"/console/kiosks/{kiosk.kiosk_id}")
    assert page.status_code == 200, page.text
    assert "<span id='error-receipt_printer'>paperOut</span>" in page.text
    assert "<span id='action-receipt_printer'>replenish</span>" in page.text
    assert "<span id='counters-receipt_printer'>cuts 41, prints 41; errors paperOut ×1</span>" \
        in page.text
    assert "<span id='config-version'>a1b2c3d4e5f6</span>" in page.text
    assert "12-05 21:00:00" in page.text             # since when the printer is out of paper


def test_the_server_refuses_a_malformed_configuration_version(kiosk):
    answer = kiosk.request("PATCH", f"/v1/kiosks/{kiosk.kiosk_id}/state",
                           {"config_version": "not a version"})
    assert answer.status_code == 422


def history_rows(page: str) -> list[str]:
    """The device history table's rows, as text, newest first."""
    table = page.split("id='device-history'")[1].split("</table>")[0]
    return ["|".join(re.findall(r"<td>(.*?)</td>", row))
            for row in table.split("<tbody>")[1].split("</tr>") if "<td>" in row]


def test_the_kiosk_page_shows_each_status_change_with_its_time(kiosk, client, ctx):
    report(kiosk, {"devices": printer("full", prints=3, since="2026-12-05T20:00:00Z")})
    report(kiosk, {"devices": printer("out", "paperOut", "replenish", prints=4,
                                      since="2026-12-05T21:00:00Z")})
    report(kiosk, {"queue_depth": 2})                        # no device in this delta
    report(kiosk, {"devices": printer("out", "paperOut", "replenish", prints=4,
                                      since="2026-12-05T21:00:00Z")})   # the same again
    report(kiosk, {"devices": printer("full", prints=5, since="2026-12-05T21:30:00Z")})
    _console_session(ctx, client, "technician")
    rows = history_rows(client.get(f"/console/kiosks/{kiosk.kiosk_id}").text)
    assert [row.split("|")[0] for row in rows] == ["12-05 21:30:00", "12-05 21:00:00",
                                                   "12-05 20:00:00"]
    assert "paperOut|replenish" in rows[1] and "paper out" in rows[1]
    assert "paper full" in rows[0] and "paperOut" not in rows[0]


def test_the_history_keeps_only_the_latest_changes_of_a_device(kiosk, ctx, monkeypatch):
    from district_server.kiosks import device_history
    from district_server.kiosks.models import DeviceStatusChange
    monkeypatch.setattr(device_history, "KEPT_PER_DEVICE", 3)
    for n in range(5):
        report(kiosk, {"devices": printer("low" if n % 2 else "full", prints=n,
                                          since=f"2026-12-05T20:0{n}:00Z")})
    with ctx.db.transaction() as session:
        kept = session.scalars(select(DeviceStatusChange.at)
                               .order_by(DeviceStatusChange.change_id))
        assert [at.minute for at in kept] == [2, 3, 4]


def test_staff_of_another_hall_do_not_see_the_kiosks_history(client, ctx):
    from tests.district_server.conftest import enrolled_kiosk
    north = enrolled_kiosk(ctx, client, "test-kiosk-002", hall_code="FT-NORTH")
    report(north, {"devices": printer("out", "paperOut", "replenish")})
    _console_session(ctx, client, "technician")                       # of FT-CENTRE
    page = client.get(f"/console/kiosks/{north.kiosk_id}")
    assert page.status_code == 404 and "paperOut" not in page.text
