"""The on-call rota page: a hall supervisor keeps their hall's rota and the district every
hall's, other staff read their hall's; each change is audited; a shift entered wrongly is
refused with a message on the page and nothing is kept; the page says who is on duty now;
in headless Chromium, a shift added on the page gets the hall's alert."""
from __future__ import annotations

from datetime import timedelta
from html import unescape

import httpx
from sqlalchemy import func, select

from district_server.app import AlertSweeper
from district_server.audit.models import AuditEntry
from district_server.cases.service import LOCAL_TZ
from district_server.notices.models import Notice, OnCall
from district_server.notices.rota import add_on_call
from tests.district_server.conftest import add_staff, enrolled_kiosk
from tests.district_server.test_access import _console_session
from tests.district_server.test_fleet_pages import sign_in
from tests.district_server.test_notices import Recorder
from tests.district_server.test_web import browser  # noqa: F401  (the fixture)

ORIGIN = {"Origin": "http://testserver"}


def local(moment) -> str:
    """A time as the form's datetime-local field sends it (Beijing time)."""
    return moment.astimezone(LOCAL_TZ).strftime("%Y-%m-%dT%H:%M")


def shift_form(ctx, csrf: str, staff: str, hall: str = "FT-CENTRE", **changes) -> dict:
    now = ctx.now()
    form = {"csrf": csrf, "hall": hall, "staff_id": staff, "channel": "sms",
            "recipient": "+8613800000001", "starts": local(now - timedelta(hours=1)),
            "ends": local(now + timedelta(hours=8))}
    return {**form, **changes}


def shifts(ctx) -> list[tuple[str, str]]:
    with ctx.db.transaction() as session:
        return [(s.hall_code, s.name) for s in session.scalars(select(OnCall).order_by(OnCall.id))]


def audited(ctx, action: str) -> int:
    with ctx.db.transaction() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)
                              .where(AuditEntry.action == action))


def _shift_id(ctx, hall: str = "FT-CENTRE") -> int:
    with ctx.db.transaction() as session:
        return session.scalar(select(OnCall.id).where(OnCall.hall_code == hall))


def test_a_supervisor_puts_a_clerk_on_call_and_the_hall_sees_who_is_on_duty(ctx, client):
    clerk = add_staff(ctx, "clerk", "FT-CENTRE", "night-clerk")
    csrf = _console_session(ctx, client, "supervisor")
    page = client.get("/console/rota")
    assert "无人值班 No one on call" in page.text and "id='rota-add'" in page.text
    added = client.post("/console/rota", data=shift_form(ctx, csrf, clerk), headers=ORIGIN,
                        follow_redirects=False)
    assert added.status_code == 303, added.text
    assert shifts(ctx) == [("FT-CENTRE", clerk)]
    assert audited(ctx, "on_call.shift_added") == 1
    page = client.get("/console/rota").text
    on_duty = page.split("id='on-duty-FT-CENTRE'>")[1].split("</span></td>")[0]
    assert clerk in on_duty and "+8613800000001" in on_duty

    for reader in ("clerk", "technician"):         # read the hall's rota, change nothing
        csrf = _console_session(ctx, client, reader)
        page = client.get("/console/rota")
        assert page.status_code == 200 and clerk in page.text
        assert "rota-add" not in page.text and "remove-shift" not in page.text
        refused = client.post("/console/rota", data=shift_form(
            ctx, csrf, clerk, starts=local(ctx.now() + timedelta(days=1)),
            ends=local(ctx.now() + timedelta(days=1, hours=2))), headers=ORIGIN,
            follow_redirects=False)
        assert refused.status_code == 403
        assert client.post(f"/console/rota/{_shift_id(ctx)}/remove", data={"csrf": csrf},
                           headers=ORIGIN, follow_redirects=False).status_code == 403
    assert shifts(ctx) == [("FT-CENTRE", clerk)]




def test_a_supervisor_keeps_only_their_halls_rota_the_district_every_hall(ctx, client):
    north = add_staff(ctx, "clerk", "FT-NORTH", "north-clerk")
    centre = add_staff(ctx, "clerk", "FT-CENTRE", "centre-clerk")
    with ctx.db.transaction() as session:
        add_on_call(session, hall_code="FT-NORTH", staff_id=north, channel="log",
                    recipient="north desk", starts_at=ctx.now(),
                    ends_at=ctx.now() + timedelta(hours=4), now=ctx.now())
    csrf = _console_session(ctx, client, "supervisor", "FT-CENTRE")
    page = client.get("/console/rota").text
    assert north not in page and "on-duty-FT-NORTH" not in page
    refused = client.post("/console/rota", data=shift_form(ctx, csrf, north, "FT-NORTH"),
                          headers=ORIGIN)
    assert refused.status_code == 422 and "You keep the rota of hall FT-CENTRE only" \
        in refused.text
    gone = client.post(f"/console/rota/{_shift_id(ctx, 'FT-NORTH')}/remove",
                       data={"csrf": csrf}, headers=ORIGIN, follow_redirects=False)
    assert gone.status_code == 404
    assert shifts(ctx) == [("FT-NORTH", north)]

    csrf = _console_session(ctx, client, "administrator", "DISTRICT")
    page = client.get("/console/rota").text
    assert north in page.split("id='on-duty-FT-NORTH'>")[1].split("</span></td>")[0]
    assert "无人值班 No one on call" in page.split("id='on-duty-FT-CENTRE'>")[1]
    added = client.post("/console/rota", data=shift_form(ctx, csrf, centre), headers=ORIGIN,
                        follow_redirects=False)
    assert added.status_code == 303, added.text
    removed = client.post(f"/console/rota/{_shift_id(ctx, 'FT-NORTH')}/remove",
                          data={"csrf": csrf}, headers=ORIGIN, follow_redirects=False)
    assert removed.status_code == 303
    assert shifts(ctx) == [("FT-CENTRE", centre)]
    assert audited(ctx, "on_call.shift_removed") == 1


def test_a_shift_entered_wrongly_is_refused_on_the_page_and_nothing_is_kept(ctx, client):
    clerk = add_staff(ctx, "clerk", "FT-CENTRE", "day-clerk")
    add_staff(ctx, "clerk", "FT-NORTH", "north-clerk")
    csrf = _console_session(ctx, client, "supervisor")
    now = ctx.now()
    kept = client.post("/console/rota", data=shift_form(ctx, csrf, clerk), headers=ORIGIN,
                       follow_redirects=False)
    assert kept.status_code == 303
    wrong = {
        "No member of staff nobody in hall FT-CENTRE": {"staff_id": "nobody"},
        "No member of staff north-clerk in hall FT-CENTRE": {"staff_id": "north-clerk"},
        "A shift ends after it starts": {"ends": local(now - timedelta(hours=2))},
        "The start time is not a date and time": {"starts": "tonight"},
        "The end time is not a date and time": {"ends": ""},
        "This shift is already over": {"starts": local(now - timedelta(hours=5)),
                                       "ends": local(now - timedelta(hours=3))},
        "A shift lasts at most 7 days": {"ends": local(now + timedelta(days=30))},
        "Overlaps day-clerk's shift": {"starts": local(now + timedelta(hours=7)),
                                       "ends": local(now + timedelta(hours=12))},
        "An SMS needs a phone number": {"recipient": "call me"},
        "A webhook needs an http(s):// address": {"channel": "webhook",
                                                   "recipient": "hooks.example"},
        "the channel must be one of log, webhook, sms": {"channel": "pager"},
    }
    for message, changes in wrong.items():
        refused = client.post("/console/rota", data=shift_form(ctx, csrf, clerk, **changes),
                              headers=ORIGIN)
        assert refused.status_code == 422, message
        error = unescape(refused.text.split("id='rota-error'>")[1].split("</p>")[0])
        assert message in error, (message, error)
        field, value = next(iter(changes.items()))
        if field != "channel":
            assert f"id='rota-{field}' type" in refused.text and \
                f"value='{value}'" in refused.text, "what was typed stays in the form"
    assert shifts(ctx) == [("FT-CENTRE", clerk)]
    assert audited(ctx, "on_call.shift_added") == 1


def test_a_shift_added_in_chromium_routes_the_halls_alert_to_that_person(
        ctx, live_server, browser):
    """The supervisor adds a night shift on the page; a kiosk of the hall runs out of paper;
    the alert's notice goes to the person on duty through the outbox."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.expected_conditions import staleness_of
    from selenium.webdriver.support.ui import Select, WebDriverWait
    wait = WebDriverWait(browser, 15)
    night = add_staff(ctx, "clerk", "FT-CENTRE", "night-clerk")
    sign_in(browser, live_server.url, add_staff(ctx, "supervisor", "FT-CENTRE"), wait)
    browser.get(f"{live_server.url}/console/rota")
    assert "无人值班" in browser.find_element(By.ID, "on-duty-FT-CENTRE").text
    browser.find_element(By.ID, "rota-staff_id").send_keys(night)
    Select(browser.find_element(By.ID, "rota-channel")).select_by_value("sms")
    browser.find_element(By.ID, "rota-recipient").send_keys("+8613800000009")
    for field, moment in (("starts", ctx.now() - timedelta(minutes=30)),
                          ("ends", ctx.now() + timedelta(hours=10))):
        # a datetime-local field takes its value from script more reliably than from keys
        browser.execute_script("arguments[0].value = arguments[1]",
                               browser.find_element(By.ID, f"rota-{field}"), local(moment))
    add = browser.find_element(By.ID, "rota-add")
    add.click()
    # the page is replaced after the form is sent: read the new one once the old one is gone
    # (an element read while it goes can fail as "does not belong to the document")
    wait.until(staleness_of(add))
    wait.until(lambda b: night in b.find_element(By.ID, "on-duty-FT-CENTRE").text)

    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        kiosk = enrolled_kiosk(ctx, http, "rota-kiosk-1", "FT-CENTRE")
        answer = kiosk.request("PATCH", f"/v1/kiosks/{kiosk.kiosk_id}/state", {"devices": {
            "receipt_printer": {"availability": "hardwareError", "severity": "error",
                                "kind": "printer", "units": {"paper": "out"}}}})
        assert answer.status_code == 200, answer.text
    sms = Recorder()
    assert AlertSweeper(ctx, {"sms": sms, "log": Recorder()}).sweep_once() == 1
    [notice] = sms.sent
    assert notice.recipient == "+8613800000009" and "paper_out" in notice.subject
    with ctx.db.transaction() as session:
        [kept] = session.scalars(select(Notice)).all()
        assert kept.hall_code == "FT-CENTRE" and kept.sent_at is not None
