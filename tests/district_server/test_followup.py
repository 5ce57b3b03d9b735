"""The 掌上办 follow-up page behind the receipt's QR secret: what is owed and by when, the
upload of an owed material (type, size and pages checked, a photo turned upright) that
fulfils the commitment and shows in the case's history, a wrong or re-issued secret, the
rate limit."""
from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta, timezone

import pytest
from PIL import Image
from sqlalchemy import select

from district_server.cases.models import Case, Commitment
from tests.district_server.conftest import make_settings, staff_headers
from tests.district_server.kiosk_double import deferred_application
from wire import v1

SECRET = "Rm9sbG93VXBTZWNyZXQxMjM0NTY"


def case_owing(kiosk, secret: str = SECRET, mobile: str | None = None) -> str:
    """A 低保 application owing its income proof (容缺) by 2026-12-01, with the receipt QR's
    secret (and the applicant's mobile number, when given)."""
    application, signature = deferred_application(kiosk)
    payload = {**application, "followup_secret": secret}
    payload["applicant"]["mobile"] = mobile
    response = kiosk.put(kiosk.envelope("submission", payload, blobs=[signature]))
    assert response.status_code == 201, response.text
    return response.json()["receipt"]["case_number"]


def sideways_photo() -> bytes:
    """A landscape JPEG whose EXIF says 'rotate 90° to view' (a phone held upright)."""
    image = Image.new("RGB", (400, 200), "white")
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def pdf(pages: int) -> bytes:
    from pypdf import PdfWriter
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload(client, number: str, content: bytes, *, secret: str = SECRET,
           code: str = "income_proof", media_type: str = "image/jpeg"):
    return client.post(f"/case/{number}/materials/{code}?t={secret}", content=content,
                       headers={"Content-Type": media_type})


def test_the_page_shows_what_is_owed_and_an_upload_fulfils_it(kiosk, client, ctx):
    number = case_owing(kiosk)
    page = client.get(v1.followup_path(number, SECRET))
    assert page.status_code == 200
    assert "待补交材料" in page.text and "2026-12-01" in page.text
    assert "id='file-income_proof'" in page.text and "李四" not in page.text

    assert upload(client, number, sideways_photo()).status_code == 204
    with ctx.db.transaction() as session:
        case = session.get(Case, number)
        assert json.loads(case.outstanding_json) == [] and case.material_due_date is None
        assert session.scalars(select(Commitment)).one().fill_state == "supplied"
    after = client.get(v1.followup_path(number, SECRET))
    assert "id='fulfilled'" in after.text and "id='file-income_proof'" not in after.text

    clerk = staff_headers(ctx, client)
    detail = client.get(f"/v1/staff/cases/{number}", headers=clerk).json()
    [supplied] = [e for e in detail["history"] if e["action"] == "case.material_supplied"]
    assert (supplied["material"], supplied["channel"], supplied["pages"]) == \
        ("income_proof", "upload", 1)
    stored = Image.open(io.BytesIO(ctx.keys.decrypt_blob(ctx.blobs.read(supplied["blob"]))))
    assert stored.size == (200, 400)                    # turned upright, stored encrypted
    # owed no longer: a second upload is refused
    assert upload(client, number, sideways_photo()).status_code == 409


def test_a_pdf_upload_is_counted_in_pages(kiosk, client, ctx):
    number = case_owing(kiosk)
    assert upload(client, number, pdf(21), media_type="application/pdf").status_code == 422
    assert upload(client, number, pdf(2), media_type="application/pdf").status_code == 204
    clerk = staff_headers(ctx, client)
    history = client.get(f"/v1/staff/cases/{number}", headers=clerk).json()["history"]
    assert [(e["media_type"], e["pages"]) for e in history] == [("application/pdf", 2)]


def test_wrong_type_oversized_and_broken_uploads_are_refused_and_nothing_is_lost(
        kiosk, client, ctx):
    number = case_owing(kiosk)
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, format="GIF")
    assert upload(client, number, gif.getvalue(), media_type="image/gif").status_code == 415
    assert upload(client, number, b"MZ\x90\x00 not a photo").status_code == 415
    assert upload(client, number, b"%PDF-1.7 truncated", media_type="application/pdf") \
        .status_code == 415
    assert upload(client, number, b"").status_code == 400
    big = b"\xff\xd8" + b"0" * ctx.settings.followup_upload_max_bytes
    assert upload(client, number, big).status_code == 413
    chunked = client.post(f"/case/{number}/materials/income_proof?t={SECRET}",
                          content=iter([big[:1 << 20]] * 12))      # no length declared
    assert chunked.status_code == 413
    with ctx.db.transaction() as session:
        assert json.loads(session.get(Case, number).outstanding_json) == ["income_proof"]
    assert "id='file-income_proof'" in client.get(v1.followup_path(number, SECRET)).text


def test_a_wrong_secret_finds_nothing_and_a_reissued_one_replaces_the_old(kiosk, client, ctx):
    number = case_owing(kiosk)
    assert client.get(v1.followup_path(number, "WrongSecretWrongSecret")).status_code == 404
    assert upload(client, number, sideways_photo(), secret="WrongSecretWrongSecret") \
        .status_code == 404
    clerk = staff_headers(ctx, client)
    issued = client.post(f"/v1/staff/cases/{number}/followup-secret", headers=clerk)
    assert issued.status_code == 200
    new = issued.json()
    assert new["followup_path"] == v1.followup_path(number, new["followup_secret"])
    assert client.get(v1.followup_path(number, SECRET)).status_code == 404   # the old QR
    assert client.get(new["followup_path"]).status_code == 200
    assert upload(client, number, sideways_photo(), secret=new["followup_secret"]) \
        .status_code == 204
    history = client.get(f"/v1/staff/cases/{number}", headers=clerk).json()["history"]
    assert [e["action"] for e in history] == ["case.followup_secret_reissued",
                                              "case.material_supplied"]
    # another hall's clerk cannot re-issue it
    other = staff_headers(ctx, client, hall_code="OTHER-HALL")
    assert client.post(f"/v1/staff/cases/{number}/followup-secret",
                       headers=other).status_code == 404


#: requests one client may make in the window here (each test above stays under it)
LIMIT = 12


@pytest.fixture
def settings(tmp_path, db_url, template):
    return make_settings(tmp_path, db_url, template, followup_requests_per_client=(LIMIT, 600))


def test_guessing_secrets_is_rate_limited(kiosk, client):
    number = case_owing(kiosk)
    answers = [client.get(f"/case/{number}?t=guess{n:016d}").status_code
               for n in range(LIMIT)]
    assert answers == [404] * LIMIT
    assert client.get(v1.followup_path(number, SECRET)).status_code == 429  # even the right one
    assert upload(client, number, sideways_photo()).status_code == 429


def test_a_kiosk_finds_a_case_by_its_receipt_qr_and_supplies_it_with_the_secret(
        ctx, client, kiosk):
    """The supply journey at another kiosk: the receipt QR read there finds what the case
    owes (404 alike for a wrong secret and no such case), and the secret in the 'supplied'
    event is the proof the district takes for a case that kiosk did not open."""
    from tests.district_server.conftest import enrolled_kiosk
    number = case_owing(kiosk)
    other = enrolled_kiosk(ctx, client, "test-kiosk-002")
    assert v1.FEATURE_SUPPLY_BY_SECRET in v1.features(
        client.get(v1.PATH_HEALTH).headers[v1.HEADER_SERVER_FEATURES])

    def lookup(case_number: str, secret: str):
        return other.request("POST", v1.PATH_CITIZEN_FOLLOWUP_CASE,
                             {"case_number": case_number, "followup_secret": secret})

    found = lookup(number, SECRET)
    assert found.status_code == 200, found.text
    case = v1.CaseSummary.model_validate_json(found.content)
    assert (case.outstanding_materials, case.material_due_date.isoformat()) == \
        (["income_proof"], "2026-12-01")
    assert lookup(number, "W" * 27).status_code == 404
    assert lookup("nope-1", SECRET).status_code == 404

    def supplied(**proof):
        page = other.upload_blob(other.encrypt_blob(b"\xff\xd8income"))
        return other.put(other.envelope("commitment", {
            "case_number": number, "action": "supplied", **proof,
            "supplied": [{"code": "income_proof", "status": "provided", "blobs": [page]}]},
            blobs=[page]))
    assert supplied(followup_secret="W" * 27).json()["error"] == "not_the_receipt"
    assert supplied().json()["error"] == "other_kiosk_case"
    assert supplied(followup_secret=SECRET).status_code == 201
    with ctx.db.transaction() as session:
        assert json.loads(session.get(Case, number).outstanding_json) == []
        assert session.scalars(select(Commitment)).one().fill_state == "supplied"


def test_a_supplement_round_stops_the_time_limit_until_the_material_is_supplied(
        kiosk, client, ctx):
    """补正 stops the clock: asked on Monday 7 December, supplied on Thursday the 10th, the
    promised date moves on by the three working days waited."""
    number = case_owing(kiosk)
    assert upload(client, number, sideways_photo()).status_code == 204   # the 容缺 one
    cst = timezone(timedelta(hours=8))
    ctx.now = lambda: datetime(2026, 12, 7, 9, tzinfo=cst).astimezone(timezone.utc)
    clerk = staff_headers(ctx, client, staff_id="clerk-monday")
    asked = client.post(f"/v1/staff/cases/{number}/supplement-request", headers=clerk,
                        json={"materials": ["asset_declaration"], "due_date": "2026-12-18"})
    assert asked.status_code == 200, asked.text
    promised = date.fromisoformat(asked.json()["promised_date"])
    ctx.now = lambda: datetime(2026, 12, 10, 10, tzinfo=cst).astimezone(timezone.utc)
    assert upload(client, number, sideways_photo(), code="asset_declaration").status_code == 204
    clerk = staff_headers(ctx, client, staff_id="clerk-thursday")
    case = client.get(f"/v1/staff/cases/{number}", headers=clerk).json()["case"]
    assert case["state"] == "in_review"
    assert date.fromisoformat(case["promised_date"]) == _working_days_after(promised, 3)


def _working_days_after(day: date, count: int) -> date:
    while count:
        day += timedelta(days=1)
        count -= day.weekday() < 5
    return day
