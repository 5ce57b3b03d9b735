"""Decrypted applications and scanned materials are deleted once a case has been finished
for the configured retention; unfinished and recent cases keep theirs."""
from __future__ import annotations

from datetime import timedelta

from district_server.retention import purge
from tests.district_server.conftest import staff_headers
from tests.district_server.kiosk_double import application


def _case_with_scan(kiosk, scan: bytes) -> tuple[str, str]:
    blob = kiosk.upload_blob(kiosk.encrypt_blob(scan))
    number = kiosk.put(kiosk.envelope("submission", application(photo_blob=blob),
                                      blobs=[blob])).json()["receipt"]["case_number"]
    return number, blob


def test_finished_cases_lose_application_and_scans_after_the_retention(ctx, client, kiosk):
    staff = staff_headers(ctx, client, "administrator")
    finished, finished_scan = _case_with_scan(kiosk, b"scan of a finished case")
    open_case, open_scan = _case_with_scan(kiosk, b"scan of an open case")
    assert client.post(f"/v1/staff/cases/{finished}/state", json={"state": "completed"},
                       headers=staff).status_code == 200
    days = ctx.settings.application_retention_days
    start = ctx.now()
    with ctx.db.transaction() as session:           # not yet: finished only just now
        assert purge(session, ctx.blobs, now=start + timedelta(days=days - 1),
                     retention_days=days).cases == 0
    with ctx.db.transaction() as session:
        purged = purge(session, ctx.blobs, now=start + timedelta(days=days + 1),
                       retention_days=days)
    assert (purged.cases, purged.blobs) == (1, 1)
    detail = client.get(f"/v1/staff/cases/{finished}", headers=staff).json()
    assert detail["application"] == {"purged": True}
    assert detail["case"]["state"] == "completed"               # the history stays
    assert not ctx.blobs.path(finished_scan).exists()
    assert kiosk.request("HEAD", f"/v1/blobs/{finished_scan}").status_code == 404
    kept = client.get(f"/v1/staff/cases/{open_case}", headers=staff).json()
    assert kept["application"]["applicant"]["name"] == "张三"
    assert ctx.blobs.path(open_scan).exists()
    with ctx.db.transaction() as session:                        # idempotent
        assert purge(session, ctx.blobs, now=start + timedelta(days=days + 2),
                     retention_days=days).cases == 0


def test_materials_uploaded_on_the_follow_up_page_go_too(ctx, client, kiosk):
    from tests.district_server.test_followup import case_owing, sideways_photo, upload
    staff = staff_headers(ctx, client, "administrator")
    number = case_owing(kiosk)
    assert upload(client, number, sideways_photo()).status_code == 204
    [supplied] = client.get(f"/v1/staff/cases/{number}", headers=staff).json()["history"]
    assert client.post(f"/v1/staff/cases/{number}/state", json={"state": "completed"},
                       headers=staff).status_code == 200
    days = ctx.settings.application_retention_days
    with ctx.db.transaction() as session:
        purge(session, ctx.blobs, now=ctx.now() + timedelta(days=days + 1), retention_days=days)
    assert not ctx.blobs.path(supplied["blob"]).exists()
