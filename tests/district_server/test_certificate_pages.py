"""零材料 in the console, in headless Chromium against uvicorn on loopback (SQLite and
PostgreSQL): a clerk accepts a scan the citizen agreed to keep and it goes on file with its
issuer and validity (a copy of the scan of its own); the kiosk is offered it; at the
citizen's request the clerk withdraws it: deleted with its scan, never kept again from the
case, both steps in the case's history."""
from __future__ import annotations

import json

import httpx

from district_server.citizens.models import KeptCertificate
from tests.district_server.conftest import add_staff, enrolled_kiosk
from tests.district_server.kiosk_double import application
from tests.district_server.test_case_pages import _sign_in, _submit
from tests.district_server.test_web import browser  # noqa: F401  (the fixture)
from wire import v1


def _kept_offered(kiosk) -> list[v1.CertificateOnFile]:
    response = kiosk.request("POST", v1.PATH_CITIZEN_CERTIFICATES,
                             {"assertion": kiosk.assertion(), "elicence_types": ["lease_record"]})
    assert response.status_code == 200, response.text
    return [c for c in v1.CertificatesResponse.model_validate_json(response.content).certificates
            if c.withdrawable]


def test_a_clerk_keeps_a_consented_scan_on_file_and_withdraws_it_on_request(
        ctx, live_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    wait, url = WebDriverWait(browser, 15), live_server.url
    with httpx.Client(base_url=url, timeout=30) as http:
        kiosk = enrolled_kiosk(ctx, http)
        photo = kiosk.upload_blob(kiosk.encrypt_blob(b"photo receipt"))
        lease = kiosk.upload_blob(kiosk.encrypt_blob(b"tenancy record scan"))
        materials = [
            {"code": "id_card", "status": "reused", "certificate_id": "resident_id-x"},
            {"code": "residence_proof", "status": "provided", "blobs": [lease],
             "keep_on_file": True},
            {"code": "photo_receipt", "status": "provided", "blobs": [photo]}]
        response = kiosk.put(kiosk.envelope("submission", application(materials=materials),
                                            blobs=[photo, lease]))
        assert response.status_code == 201, response.text
        number = response.json()["receipt"]["case_number"]
        assert _kept_offered(kiosk) == []

        _sign_in(browser, url, add_staff(ctx, "clerk", "FT-CENTRE"), wait)
        browser.get(f"{url}/console/cases/{number}")
        assert not browser.find_elements(By.ID, "keep-photo_receipt")   # no consent asked
        browser.find_element(By.ID, "issuer-residence_proof").send_keys("福田区住房和建设局")
        browser.execute_script(
            "document.getElementById('issued-residence_proof').value = '2025-03-01';"
            "document.getElementById('valid-residence_proof').value = '2030-02-28'")
        _submit(browser, wait, browser.find_element(By.ID, "keep-residence_proof"))
        on_file = browser.find_element(By.ID, "kept-residence_proof").text
        assert "已存档" in on_file and "2030-02-28" in on_file
        assert "材料存档 Kept on file" in browser.find_element(By.TAG_NAME, "body").text

        offered = _kept_offered(kiosk)
        assert [(c.issuer, str(c.issued_on), str(c.valid_until)) for c in offered] == [
            ("福田区住房和建设局", "2025-03-01", "2030-02-28")]
        with ctx.db.transaction() as session:
            copy = json.loads(session.query(KeptCertificate).one().blobs_json)[0]
        assert copy != lease      # its own copy: the case keeps its scan under its retention
        assert ctx.keys.decrypt_blob(ctx.blobs.read(copy)) == b"tenancy record scan"

        _submit(browser, wait, browser.find_element(By.ID, "withdraw-residence_proof"))
        assert "撤回" in browser.find_element(By.ID, "kept-residence_proof").text
        assert not browser.find_elements(By.ID, "keep-residence_proof")   # never again
        assert "撤回存档 Consent withdrawn" in browser.find_element(By.TAG_NAME, "body").text
        assert _kept_offered(kiosk) == []
        assert not ctx.blobs.path(copy).exists() and ctx.blobs.path(lease).exists()
        with ctx.db.transaction() as session:
            assert session.query(KeptCertificate).count() == 0
