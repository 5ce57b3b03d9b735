"""Server-rendered pages: the 掌上办 follow-up page behind the receipt's QR secret, and the
hall console driven in headless Chromium against uvicorn on loopback."""
from __future__ import annotations

import shutil

import httpx
import pytest

from tests.conftest import require_service
from tests.district_server.conftest import STAFF_PASSWORD, add_staff, enrolled_kiosk
from tests.district_server.kiosk_double import application
from wire import v1

SECRET = "Qm9va2luZ1NlY3JldDEyMzQ"


def test_followup_page_needs_the_qr_secret(kiosk, client):
    photo = kiosk.upload_blob(kiosk.encrypt_blob(b"photo"))
    payload = {**application(photo_blob=photo), "followup_secret": SECRET}
    number = kiosk.put(kiosk.envelope("submission", payload, blobs=[photo])) \
        .json()["receipt"]["case_number"]
    page = client.get(v1.followup_path(number, SECRET))
    assert page.status_code == 200
    assert "居住证申领" in page.text and "已受理" in page.text and "Accepted" in page.text
    assert "张三" not in page.text                       # no personal data on the page
    assert client.get(f"/case/{number}?t=wrong-secret-000000").status_code == 404
    assert client.get(f"/case/{number}").status_code == 404


@pytest.fixture
def browser():
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    require_service("chromium", bool(chromium and driver), "chromium and chromedriver needed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    session = webdriver.Chrome(service=Service(driver), options=options)
    yield session
    session.quit()


def test_hall_console_in_chromium(ctx, live_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as shows
    from selenium.webdriver.support.ui import WebDriverWait
    wait = WebDriverWait(browser, 15)
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        kiosk = enrolled_kiosk(ctx, http)
        kiosk.request("PATCH", f"/v1/kiosks/{kiosk.kiosk_id}/state", {"queue_depth": 1})
        ticket = kiosk.request("POST", "/v1/citizen/tickets", {
            "assertion": kiosk.assertion(), "category": "civil"}).json()["ticket_no"]
    staff_id = add_staff(ctx, "administrator")
    browser.get(f"{live_server.url}/console")
    assert browser.current_url.endswith("/console/login")
    browser.find_element(By.ID, "staff_id").send_keys(staff_id)
    browser.find_element(By.ID, "password").send_keys("wrong password")
    browser.find_element(By.ID, "login").click()
    wait.until(shows.text_to_be_present_in_element((By.ID, "error"), "工号或密码错误"))
    browser.find_element(By.ID, "staff_id").send_keys(staff_id)
    browser.find_element(By.ID, "password").send_keys(STAFF_PASSWORD)
    browser.find_element(By.ID, "login").click()
    assert wait.until(shows.presence_of_element_located((By.ID, "waiting-civil"))).text == "1"
    browser.find_element(By.ID, "call-civil").click()
    assert ticket in wait.until(shows.presence_of_element_located((By.ID, "called"))).text
    assert browser.find_element(By.ID, "waiting-civil").text == "0"
    browser.get(f"{live_server.url}/console/fleet")
    assert browser.find_element(By.ID, f"kiosk-{kiosk.kiosk_id}").text == kiosk.kiosk_id
