"""The hall's live alerts view in headless Chromium: a kiosk (the real core, its simulated
printer, its real queue) runs out of paper, the open page shows the alert without a reload;
the paper is refilled, the alert clears."""
from __future__ import annotations

from tests.district_server.conftest import STAFF_PASSWORD, add_staff
from tests.district_server.test_web import browser  # noqa: F401 - the Chromium fixture
from tests.kiosk.test_fleet_report import wait_for_unit


def test_paper_out_shows_and_clears_on_the_live_view(district, make_core, browser):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as shows
    from selenium.webdriver.support.ui import WebDriverWait
    core = make_core()
    assert core.queue.worker.sync_once().ok
    staff_id = add_staff(district.app.state.ctx, "clerk")
    browser.get(f"{district.url}/console/login")
    browser.find_element(By.ID, "staff_id").send_keys(staff_id)
    browser.find_element(By.ID, "password").send_keys(STAFF_PASSWORD)
    browser.find_element(By.ID, "login").click()
    wait = WebDriverWait(browser, 20)
    wait.until(shows.presence_of_element_located((By.ID, "logout")))
    browser.get(f"{district.url}/console/alerts")
    # the kiosk runs on a test clock far from the server's: that alert is there already
    skew = wait.until(shows.presence_of_element_located(
        (By.ID, f"ack-{core.config.kiosk.id}-clock_skew")))
    assert not browser.find_elements(By.ID, f"alert-{core.config.kiosk.id}-paper_out")
    page = browser.find_element(By.ID, "alerts")       # the same page throughout: no reload
    skew.click()                                        # acknowledged: someone is on it
    wait.until(shows.text_to_be_present_in_element(
        (By.ID, f"alert-{core.config.kiosk.id}-clock_skew"), staff_id))

    printer = core.devices.for_role("receipt_printer")[0]
    printer.simulate("paper", level="out")
    wait_for_unit(printer, "paper", "out")
    assert core.queue.worker.sync_once().ok
    row_id = f"alert-{core.config.kiosk.id}-paper_out"
    row = wait.until(shows.presence_of_element_located((By.ID, row_id)))
    assert "paper out" in row.text

    printer.simulate("paper", level="ok")
    wait_for_unit(printer, "paper", "full")
    assert core.queue.worker.sync_once().ok
    wait.until(shows.invisibility_of_element_located((By.ID, row_id)))
    assert page.is_displayed()                          # not stale: the page was not reloaded
