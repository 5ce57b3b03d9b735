"""The console's figures page in headless Chromium against uvicorn on loopback, over the
fixture month of test_figures: a supervisor sees their hall's figures (and only theirs), the
administrator the district's and any hall's; the charts are the page's own SVG (nothing
fetched from elsewhere, no script) and the CSV export holds the same numbers."""
from __future__ import annotations

from datetime import datetime, timezone

import httpx

from tests.district_server.conftest import add_staff
from tests.district_server.test_case_pages import _shot, _sign_in, _submit
from tests.district_server.test_figures import CST, LICENCE, TODAY, fixture_month
from tests.district_server.test_web import browser  # noqa: F401  (the fixture)

SEPTEMBER = "from=2026-09-01&to=2026-09-30"


def _fetch(browser, path: str) -> list:
    """Status and text of a GET made by the signed-in page itself."""
    return browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        fetch(arguments[0]).then(r => r.text().then(t => done([r.status, t])));""", path)


def test_figures_page_by_role_with_charts_and_csv(ctx, live_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait
    wait, url = WebDriverWait(browser, 15), live_server.url
    ctx.now = lambda: datetime(TODAY.year, TODAY.month, TODAY.day, 9,
                               tzinfo=CST).astimezone(timezone.utc)
    with httpx.Client(base_url=url, timeout=30) as http:
        fixture_month(ctx, http)
    supervisor = add_staff(ctx, "supervisor", "FT-CENTRE")
    clerk = add_staff(ctx, "clerk", "FT-CENTRE")
    administrator = add_staff(ctx, "administrator")

    _sign_in(browser, url, supervisor, wait)
    # another hall asked for in the address: still the supervisor's own
    browser.get(f"{url}/console/figures?{SEPTEMBER}&hall=FT-NORTH")
    assert browser.find_element(By.ID, "hall").text == "FT-CENTRE"
    assert browser.find_element(By.ID, "on-time").text == "66.67%"
    assert browser.find_element(By.ID, "on-time-count").text == "4 / 6"
    assert browser.find_element(By.ID, "early-count").text == "3 / 5"
    assert browser.find_element(By.ID, "satisfaction").text == "80%"
    assert browser.find_element(By.ID, "level-5").text == "2"
    assert browser.find_element(By.ID, "commitments-overdue").text == "2"
    assert browser.find_element(By.ID, "busiest-hour").text == "10:00"
    hours = browser.find_elements(By.CSS_SELECTOR, "#hours-chart rect.bar")
    assert len(hours) == 24 and hours[10].get_attribute("data-value") == "3"
    rates = browser.find_elements(By.CSS_SELECTOR, "#rates-chart rect.bar")
    assert [r.get_attribute("data-value") for r in rates] == ["66.67", "60", "80"]
    # everything the page loaded came from this server, and it runs no script
    loaded = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)")
    assert all(name.startswith(url) for name in loaded)
    assert not browser.find_elements(By.TAG_NAME, "script")
    _shot(browser, "figures")
    status, exported = _fetch(browser, browser.find_element(By.ID, "csv")
                              .get_attribute("href"))
    rows = dict(line.split(",", 1) for line in exported.splitlines()[1:])
    assert status == 200 and rows["hall"] == "FT-CENTRE"
    assert (rows["on_time_counted"], rows["on_time_of"]) == ("4", "6")

    _sign_in(browser, url, clerk, wait)     # clerks do case work, not figures
    assert _fetch(browser, f"/console/figures?{SEPTEMBER}")[0] == 403
    assert _fetch(browser, f"/console/figures.csv?{SEPTEMBER}")[0] == 403

    _sign_in(browser, url, administrator, wait)
    browser.get(f"{url}/console/figures?{SEPTEMBER}")
    assert browser.find_element(By.ID, "on-time-count").text == "4 / 7"    # the district
    assert browser.find_element(By.ID, "open-overdue").text == "1"
    assert browser.find_element(By.ID, "channel-window").text == "1"
    Select(browser.find_element(By.ID, "hall")).select_by_value("FT-NORTH")
    _submit(browser, wait, browser.find_element(By.ID, "show"))
    assert browser.find_element(By.ID, "on-time-count").text == "0 / 1"
    assert browser.find_element(By.ID, "level-1").text == "1"
    Select(browser.find_element(By.ID, "service")).select_by_value(LICENCE)
    _submit(browser, wait, browser.find_element(By.ID, "show"))
    assert browser.find_element(By.ID, "early-count").text == "0 / 1"
    assert browser.find_element(By.ID, "satisfaction-count").text == "0 / 0"  # rates no item
    browser.get(f"{url}/console/figures?from=2026-09-30&to=2026-09-01")
    assert browser.find_element(By.ID, "problem").text.startswith("时段无效")
