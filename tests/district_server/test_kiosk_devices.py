"""A kiosk's console page shows each device as last reported: its current error, the action
that fixes it, its counters, and the configuration the kiosk runs."""
from __future__ import annotations

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
