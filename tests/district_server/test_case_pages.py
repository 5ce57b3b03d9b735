"""The hall's case work in the console, in headless Chromium against uvicorn on loopback with
real sign-ins: a case from the list to completion with a 补正 round (the applicant supplies on
the follow-up page), its result assigned to a kiosk's lockers, a bad review answered and
closed, bookings imported from CSV (a bad row reported) and one checked in at the kiosk, and
a clerk of another hall who sees none of it."""
from __future__ import annotations

import io
import os
from pathlib import Path

import httpx
from PIL import Image

from district_server.cases.service import local_date
from tests.district_server.conftest import STAFF_PASSWORD, add_staff, enrolled_kiosk
from tests.district_server.kiosk_double import application as residence_application
from tests.district_server.kiosk_double import deferred_application
from tests.district_server.test_web import browser  # noqa: F401  (the fixture)

SECRET = "Q29uc29sZUNhc2VTZWNyZXQxMjM"


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(out, format="JPEG")
    return out.getvalue()


def _sign_in(browser, url: str, staff_id: str, wait) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as shows
    if browser.find_elements(By.ID, "logout"):
        _submit(browser, wait, browser.find_element(By.ID, "logout"))
    browser.get(f"{url}/console/login")
    browser.find_element(By.ID, "staff_id").send_keys(staff_id)
    browser.find_element(By.ID, "password").send_keys(STAFF_PASSWORD)
    _submit(browser, wait, browser.find_element(By.ID, "login"))
    wait.until(shows.presence_of_element_located((By.ID, "logout")))


def _submit(browser, wait, button) -> None:
    """Click a button that loads another page, and wait until the old page is gone."""
    from selenium.webdriver.common.by import By
    old = browser.find_element(By.TAG_NAME, "html")
    button.click()
    wait.until(lambda _browser: _gone(old))


def _gone(element) -> bool:
    """The element left the document. While the next page replaces it, chromedriver may say
    so as an inspector error ("does not belong to the document") rather than as a stale
    reference (seen under load)."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    try:
        element.is_enabled()
    except StaleElementReferenceException:
        return True
    except WebDriverException as error:
        if "does not belong to the document" in (error.msg or ""):
            return True
        raise
    return False


def _shot(browser, name: str) -> None:
    """With CONSOLE_SCREENSHOTS=<folder>, the whole page as <folder>/<name>.png (the pictures
    of docs/console)."""
    folder = os.environ.get("CONSOLE_SCREENSHOTS")
    if folder:
        height = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(1280, max(720, height + 140))
        Path(folder).mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(Path(folder) / f"{name}.png"))


def _post_status(browser, path: str) -> int:
    """The status of a console form posted from the signed-in page (its own CSRF token)."""
    return browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const csrf = document.querySelector('input[name=csrf]').value;
        fetch(arguments[0], {method: 'POST', redirect: 'manual',
                             body: new URLSearchParams({csrf: csrf, state: 'completed'})})
          .then(answer => done(answer.status));""", path)


def test_a_case_to_completion_with_a_supplement_round_a_parcel_and_a_bad_review(
        ctx, live_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait
    wait, url = WebDriverWait(browser, 15), live_server.url
    with httpx.Client(base_url=url, timeout=30) as http:
        kiosk = enrolled_kiosk(ctx, http)
        application, signature = deferred_application(kiosk)
        response = kiosk.put(kiosk.envelope("submission", {**application,
                                                           "followup_secret": SECRET},
                                            blobs=[signature]))
        number = response.json()["receipt"]["case_number"]
        photo = kiosk.upload_blob(kiosk.encrypt_blob(b"photo"))
        refused = kiosk.put(kiosk.envelope("submission", residence_application(
            photo_blob=photo), blobs=[photo])).json()["receipt"]["case_number"]
        assert kiosk.put(kiosk.envelope("rating", {
            "level": 1, "indicator_set_version": "gd-2020", "comment": "等了很久",
            "case_number": number, "rated_at": "2026-11-26T10:00:00Z"})).status_code == 201
    clerk = add_staff(ctx, "clerk", "FT-CENTRE")

    _sign_in(browser, url, clerk, wait)
    browser.get(f"{url}/console/cases")
    Select(browser.find_element(By.ID, "service")).select_by_value("FT-MZ-DB-010")
    Select(browser.find_element(By.ID, "channel")).select_by_value("window")
    _submit(browser, wait, browser.find_element(By.ID, "filter"))
    assert browser.find_element(By.ID, "case-count").text == "0"      # it came from a kiosk
    Select(browser.find_element(By.ID, "channel")).select_by_value("kiosk")
    _submit(browser, wait, browser.find_element(By.ID, "filter"))
    _shot(browser, "cases")
    _submit(browser, wait, browser.find_element(By.ID, f"case-{number}"))

    # the application decrypted on the server, the commitment, a scan to open
    assert "李四" in browser.page_source and "2026-12-01" in browser.page_source
    scan = browser.find_element(By.CLASS_NAME, "scan").get_attribute("href")
    assert browser.execute_async_script(
        "fetch(arguments[0]).then(r => r.text()).then(arguments[arguments.length - 1])",
        scan) == "finger signature png"

    _submit(browser, wait, browser.find_element(By.ID, "review"))
    assert "审核中" in browser.find_element(By.ID, "case-state").text
    browser.find_element(By.ID, "material-asset_declaration").click()
    browser.execute_script("document.getElementById('supplement-due').value = '2026-12-10'")
    browser.find_element(By.ID, "supplement-note").send_keys("签名不清 signature unreadable")
    _submit(browser, wait, browser.find_element(By.ID, "request-supplement"))
    assert "待补材料" in browser.find_element(By.ID, "case-state").text
    assert "2026-12-01" in browser.find_element(By.ID, "material-due").text
    _shot(browser, "case-awaiting-material")

    with httpx.Client(base_url=url, timeout=30) as citizen:      # the 掌上办 page's upload
        for code in ("asset_declaration", "income_proof"):
            assert citizen.post(f"/case/{number}/materials/{code}?t={SECRET}", content=_photo(),
                                headers={"Content-Type": "image/jpeg"}).status_code == 204
    browser.get(browser.current_url)
    assert "审核中" in browser.find_element(By.ID, "case-state").text
    _submit(browser, wait, browser.find_element(By.ID, "complete"))
    assert "已办结" in browser.find_element(By.ID, "case-state").text
    history = browser.find_element(By.TAG_NAME, "body").text
    assert "要求补正 Supplement requested" in history and "补交材料 Material supplied" in history
    actors = {a.text for a in browser.find_elements(By.CLASS_NAME, "actor")}
    assert actors == {f"staff:{clerk}", "citizen:followup"}
    _shot(browser, "case-completed")

    Select(browser.find_element(By.ID, "size")).select_by_value("S")
    _submit(browser, wait, browser.find_element(By.ID, "assign-parcel"))
    assigned = browser.find_element(By.ID, "assigned")
    assert len(assigned.find_element(By.CLASS_NAME, "big").text) == 6      # the pickup code
    parcel = browser.find_element(By.CSS_SELECTOR, "[id^=parcel-state-]")
    assert parcel.text == "待放入 Assigned"
    parcel_id = parcel.get_attribute("id").removeprefix("parcel-state-")
    _shot(browser, "lockers")

    browser.get(f"{url}/console/cases/{refused}")                 # 不予受理, with the reason
    browser.find_element(By.ID, "reject-note").send_keys("不符合居住年限 residence too short")
    _submit(browser, wait, browser.find_element(By.ID, "reject"))
    assert "不予受理" in browser.find_element(By.ID, "case-state").text
    assert "residence too short" in browser.find_element(By.TAG_NAME, "body").text

    supervisor = add_staff(ctx, "supervisor", "FT-CENTRE")
    _sign_in(browser, url, supervisor, wait)
    browser.get(f"{url}/console/reviews")
    assert browser.find_element(By.ID, "review-count").text == "1"
    assert "等了很久" in browser.page_source and number in browser.page_source
    _shot(browser, "reviews")
    browser.find_element(By.CSS_SELECTOR, "[id^=note-]").send_keys("已致电道歉并改进排班")
    _submit(browser, wait, browser.find_element(By.CSS_SELECTOR, "[id^=close-]"))
    assert browser.find_element(By.ID, "review-count").text == "0"

    # a clerk of another hall sees none of it
    _sign_in(browser, url, add_staff(ctx, "clerk", "FT-NORTH"), wait)
    browser.get(f"{url}/console/cases")
    assert browser.find_element(By.ID, "case-count").text == "0"
    browser.get(f"{url}/console/lockers")
    assert parcel_id not in browser.page_source
    browser.get(f"{url}/console/cases/{number}")
    assert "Not found" in browser.page_source and "李四" not in browser.page_source
    browser.get(f"{url}/console/cases/{number}/scans/{signature}")
    assert "Not found" in browser.page_source
    browser.get(f"{url}/console/lockers")
    assert _post_status(browser, f"/console/cases/{number}/state") == 404
    assert _post_status(browser, f"/console/parcels/{parcel_id}/recall") == 404


def test_bookings_imported_with_a_bad_row_reported_and_one_checked_in_at_the_kiosk(
        ctx, live_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    wait, url = WebDriverWait(browser, 15), live_server.url
    today = local_date(ctx.now()).isoformat()
    _sign_in(browser, url, add_staff(ctx, "clerk", "FT-CENTRE"), wait)
    browser.get(f"{url}/console/bookings")
    before = len(browser.find_elements(By.CSS_SELECTOR, "[id^=booking-]"))   # the demo's
    browser.find_element(By.ID, "csv").send_keys(
        "id_number,service_code,date,time\n"
        f"11010519491231002X,FT-GA-JZZ-001,{today},09:00\n"
        f"110105194912310021,FT-GA-JZZ-001,{today},09:30\n"        # a wrong check digit
        f"11010519491231002X,FT-MZ-DB-010,{today},10:00\n")
    _submit(browser, wait, browser.find_element(By.ID, "import"))
    assert browser.find_element(By.ID, "booked-count").text == "2"
    assert browser.find_element(By.ID, "rejected-count").text == "1"
    assert "3" in browser.find_element(By.CSS_SELECTOR, ".overdue td").text   # line 3
    assert "not a valid ID number" in browser.find_element(By.CLASS_NAME, "reason").text
    code = browser.find_element(By.CLASS_NAME, "code").text
    _shot(browser, "bookings-import")
    states = browser.find_elements(By.CSS_SELECTOR, "[id^=booking-]")
    assert [s.text for s in states] == ["已预约 Booked"] * (before + 2)

    with httpx.Client(base_url=url, timeout=30) as http:
        kiosk = enrolled_kiosk(ctx, http)
        assert kiosk.request("POST", "/v1/citizen/check-in",
                             {"booking_code": code}).status_code == 200
    browser.get(f"{url}/console/bookings")
    states = browser.find_elements(By.CSS_SELECTOR, "[id^=booking-]")
    assert sorted(s.text.split(" ")[0] for s in states) == ["已签到"] + ["已预约"] * (before + 1)

    _sign_in(browser, url, add_staff(ctx, "clerk", "FT-NORTH"), wait)   # another hall's
    browser.get(f"{url}/console/bookings")
    assert browser.find_elements(By.CSS_SELECTOR, "[id^=booking-]") == []
