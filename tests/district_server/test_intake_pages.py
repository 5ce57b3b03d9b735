"""Applications staff take at the window or on the phone, in headless Chromium against
uvicorn on loopback (SQLite and PostgreSQL): the case opens accepted with its promised date,
its page says how it came in, and the district's figures count it under its channel."""
from __future__ import annotations

from district_server.cases.service import local_date
from district_server.figures import FigureFilter, compute
from tests.district_server.conftest import add_staff
from tests.district_server.test_case_pages import _sign_in, _submit
from tests.district_server.test_web import browser  # noqa: F401  (the fixture)

RESIDENCE = "FT-GA-JZZ-001"


def _take_in(browser, wait, url: str, channel: str, id_number: str) -> str:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select
    browser.get(f"{url}/console/cases")
    _submit(browser, wait, browser.find_element(By.ID, "intake"))
    Select(browser.find_element(By.ID, "service_code")).select_by_value(RESIDENCE)
    Select(browser.find_element(By.ID, "channel")).select_by_value(channel)
    browser.find_element(By.ID, "id_number").send_keys(id_number)
    browser.find_element(By.ID, "name").send_keys("张三")
    _submit(browser, wait, browser.find_element(By.ID, "take-in"))
    return browser.current_url.rsplit("/", 1)[1]


def test_a_case_taken_on_the_phone_is_a_phone_case_in_the_figures(ctx, live_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    wait, url = WebDriverWait(browser, 15), live_server.url
    _sign_in(browser, url, add_staff(ctx, "clerk", "FT-CENTRE"), wait)

    phone = _take_in(browser, wait, url, "phone", "11010519491231002X")
    assert phone.startswith("FT-CENTRE-P")
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "渠道 Channel: 电话 Phone" in body and "张三" in body
    assert "已受理" in browser.find_element(By.ID, "case-state").text
    assert browser.find_element(By.ID, "promised").text != "—"
    window = _take_in(browser, wait, url, "window", "11010519491231002X")
    assert window.startswith("FT-CENTRE-W")
    browser.get(f"{url}/console/intake")
    browser.find_element(By.ID, "id_number").send_keys("110105194912310021")    # bad check digit
    browser.find_element(By.ID, "name").send_keys("张三")
    _submit(browser, wait, browser.find_element(By.ID, "take-in"))
    assert "not a valid resident ID number" in browser.page_source

    today = local_date(ctx.now())
    with ctx.db.transaction() as session:
        everything = compute(session, ctx, FigureFilter(today, today), today)
        by_phone = compute(session, ctx, FigureFilter(today, today, channel="phone"), today)
    assert everything.applications_by_channel["phone"] == 1
    assert everything.applications_by_channel["window"] >= 1
    assert by_phone.applications_by_channel == {"kiosk": 0, "window": 0, "phone": 1}
