"""Console pages of fleet control in headless Chromium against uvicorn on loopback: the
administrator sends a command from the kiosk's page and sees it finish; the rollouts page
shows a canary's progress and a rollback's verdict; the administrator publishes a
configuration version there and sees its rollout beside the catalogue's."""
from __future__ import annotations

import httpx

from district_server.catalogue import rollout
from tests.district_server.conftest import STAFF_PASSWORD, add_staff, enrolled_kiosk
from tests.district_server.test_rollout import COHORT, NEW, enrol, in_use  # noqa: F401
from tests.district_server.test_web import browser  # noqa: F401  (the fixture)
from wire import v1


def sign_in(browser, url: str, staff_id: str, wait) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as shows
    browser.get(f"{url}/console/login")
    browser.find_element(By.ID, "staff_id").send_keys(staff_id)
    browser.find_element(By.ID, "password").send_keys(STAFF_PASSWORD)
    browser.find_element(By.ID, "login").click()
    wait.until(shows.presence_of_element_located((By.ID, "logout")))


def test_a_command_sent_from_the_kiosk_page_and_its_outcome(ctx, live_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as shows
    from selenium.webdriver.support.ui import WebDriverWait
    wait = WebDriverWait(browser, 15)
    sign_in(browser, live_server.url, add_staff(ctx, "administrator", "DISTRICT"), wait)
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        kiosk = enrolled_kiosk(ctx, http)
        browser.get(f"{live_server.url}/console/kiosks/{kiosk.kiosk_id}")
        browser.find_element(By.ID, "command-print_test_page").click()
        state = wait.until(shows.presence_of_element_located(
            (By.CSS_SELECTOR, "[id^=command-state-]")))
        assert state.text == "queued"
        browser.find_element(By.ID, "compartment-number").send_keys("4")
        browser.find_element(By.ID, "command-open_compartment").click()
        wait.until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "[id^=command-state-]")) == 2)

        taken = kiosk.request("GET", v1.PATH_COMMANDS.format(kiosk_id=kiosk.kiosk_id)).json()
        assert [c["command"]["kind"] for c in taken["commands"]] == ["print_test_page",
                                                                     "open_compartment"]
        assert taken["commands"][1]["command"]["args"]["number"] == 4
        for command in taken["commands"]:
            kiosk.request("POST", v1.PATH_COMMAND_RESULT.format(
                kiosk_id=kiosk.kiosk_id, command_id=command["command"]["command_id"]),
                {"state": "succeeded", "detail": "done"})
    browser.refresh()
    states = wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, "[id^=command-state-]"))
    assert [s.text for s in states] == ["succeeded", "succeeded"]


def test_the_rollouts_page_shows_progress_and_verdict(ctx, client, live_server, browser,
                                                      in_use):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    wait = WebDriverWait(browser, 15)
    kiosk = enrol(ctx, client, "rollout-page-1")
    with ctx.db.transaction() as session:
        started = rollout.start(session, NEW, COHORT, rollout.RolloutPlan(canary_share=1.0),
                                now=ctx.now(), default_cohort=ctx.settings.default_cohort)
        rollout_id = started.rollout_id
    sign_in(browser, live_server.url, add_staff(ctx, "administrator", "DISTRICT"), wait)
    browser.get(f"{live_server.url}/console/rollouts")
    assert browser.find_element(By.ID, f"rollout-state-{rollout_id}").text == "canary"
    assert "in use on 0/1" in browser.page_source

    kiosk.request("PATCH", f"/v1/kiosks/{kiosk.kiosk_id}/state", {"devices": {
        "receipt_printer": {"availability": "offline", "severity": "error",
                            "kind": "printer"}}})
    with ctx.db.transaction() as session:
        rollout.evaluate(session, now=ctx.now())
    browser.refresh()
    assert browser.find_element(By.ID, f"rollout-state-{rollout_id}").text == "rolled_back"
    assert "rolled back: 1 new alert(s) on the canary" in browser.page_source


def test_a_configuration_version_published_from_the_rollouts_page_goes_to_the_canary(
        ctx, client, live_server, browser, in_use):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as shows
    from selenium.webdriver.support.ui import WebDriverWait
    wait = WebDriverWait(browser, 15)
    kiosks = [enrol(ctx, client, f"config-page-{n}") for n in (1, 2)]
    for kiosk in kiosks:                         # the configuration number each runs
        kiosk.request("PATCH", f"/v1/kiosks/{kiosk.kiosk_id}/state", {"config_number": 1})
    with ctx.db.transaction() as session:
        catalogue_rollout = rollout.start(
            session, NEW, COHORT, rollout.RolloutPlan(canary_share=1.0), now=ctx.now(),
            default_cohort=ctx.settings.default_cohort)
        rollout.evaluate(session, now=catalogue_rollout.canary_until)   # rolled back: unused
    sign_in(browser, live_server.url, add_staff(ctx, "administrator", "DISTRICT"), wait)
    browser.get(f"{live_server.url}/console/rollouts")
    browser.find_element(By.ID, "config-body").send_keys('{"kiosk.hall_phone": "0755-9"}')
    cohort = browser.find_element(By.ID, "config-cohort")
    cohort.clear()
    cohort.send_keys(COHORT)
    share = browser.find_element(By.ID, "config-canary_share")
    share.clear()
    share.send_keys("0.5")
    browser.find_element(By.ID, "config-publish").click()
    state = wait.until(shows.presence_of_element_located(
        (By.ID, f"rollout-state-{catalogue_rollout.rollout_id + 1}")))
    assert state.text == "canary"
    rows = [row.text for row in browser.find_elements(By.CSS_SELECTOR, "tbody tr")]
    assert "Configuration" in rows[0] and "Catalogue" in rows[1]
    headers = {v1.HEADER_FEATURES: v1.FEATURE_CONFIG_NUMBER}
    configs = [v1.SignedDesiredState.model_validate(kiosk.request(
        "GET", v1.PATH_DESIRED_STATE.format(kiosk_id=kiosk.kiosk_id), headers=headers).json())
        .state.config for kiosk in kiosks]
    assert sorted(configs, key=len) == [{}, {"kiosk.hall_phone": "0755-9"}], \
        "the canary (half the cohort) has it, the rest not yet"

    browser.get(f"{live_server.url}/console/rollouts")
    browser.find_element(By.ID, "config-body").send_keys('{"server.url": "http://x"}')
    browser.find_element(By.ID, "config-publish").click()
    error = wait.until(shows.presence_of_element_located((By.ID, "config-error")))
    assert "not allowed to push remotely" in error.text


def test_a_hall_supervisor_commands_only_the_halls_kiosks(ctx, live_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as shows
    from selenium.webdriver.support.ui import WebDriverWait
    wait = WebDriverWait(browser, 15)
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        own = enrolled_kiosk(ctx, http, "hall-kiosk-1", "FT-CENTRE")
        other = enrolled_kiosk(ctx, http, "hall-kiosk-2", "FT-NORTH")
    sign_in(browser, live_server.url, add_staff(ctx, "supervisor", "FT-CENTRE"), wait)
    browser.get(f"{live_server.url}/console/commands")
    assert browser.find_elements(By.ID, f"commands-{other.kiosk_id}") == []
    browser.find_element(By.ID, f"commands-{own.kiosk_id}").click()
    wait.until(shows.presence_of_element_located((By.ID, "command-out_of_service"))).click()
    state = wait.until(shows.presence_of_element_located(
        (By.CSS_SELECTOR, "[id^=command-state-]")))
    assert state.text == "queued" and browser.current_url.endswith(
        f"/console/kiosks/{own.kiosk_id}/commands")
    browser.get(f"{live_server.url}/console/kiosks/{other.kiosk_id}/commands")
    assert "No such kiosk" in browser.page_source
    browser.get(f"{live_server.url}/console/kiosks/{own.kiosk_id}")   # the fleet page: not theirs
    assert "Not permitted" in browser.page_source
