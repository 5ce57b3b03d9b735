"""Reminders of a 容缺 commitment through the notification outbox: a text three days
before the due date and one on the day, each sent once (retried while the gateway fails),
none once the material was supplied or to an applicant without a mobile number; a
supplement staff ask for (补正) is texted once and supplied on the follow-up page."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from district_server.app import AlertSweeper
from district_server.notices.senders import NoticeNotSent, SmsSender
from tests.district_server.conftest import staff_headers
from tests.district_server.test_followup import SECRET, case_owing, sideways_photo, upload
from wire import v1

CST = timezone(timedelta(hours=8))
MOBILE = "13800138000"


class FakeSmsGateway:
    """Records what it was asked to send; refuses the first `failures` messages."""

    def __init__(self, failures: int = 0) -> None:
        self.sent: list[tuple[str, str, str]] = []
        self.failures = failures

    def send_sms(self, number: str, text: str, *, idempotency_key: str) -> None:
        if self.failures:
            self.failures -= 1
            raise NoticeNotSent("gateway busy")
        self.sent.append((number, text, idempotency_key))


def sweeps(ctx, gateway: FakeSmsGateway):
    """at("11-28 09"): one sweep of the server at that local time; how many were sent."""
    sweeper = AlertSweeper(ctx, {"sms": SmsSender(gateway)})

    def at(when: str) -> int:
        moment = datetime.strptime(f"2026-{when}", "%Y-%m-%d %H").replace(tzinfo=CST)
        ctx.now = lambda: moment.astimezone(timezone.utc)
        return sweeper.sweep_once()
    return at


def test_three_days_before_and_on_the_day_each_sent_once(kiosk, ctx):
    number = case_owing(kiosk, mobile=MOBILE)        # due 2026-12-01
    gateway = FakeSmsGateway()
    at = sweeps(ctx, gateway)
    assert at("11-26 09") == 0  # five days ahead: nothing
    assert at("11-28 09") == 1  # three days ahead
    assert at("11-28 15") == 0 and at("11-29 09") == 0 and at("11-30 09") == 0  # once
    assert at("12-01 09") == 1  # on the day
    assert at("12-01 18") == 0
    [(to_early, early, _), (to_late, late, _)] = gateway.sent
    assert to_early == to_late == MOBILE
    assert number in early and "12月1日" in early and "家庭成员收入证明" in early
    assert "今天" in late
    assert len({key for _n, _t, key in gateway.sent}) == 2


def test_a_failed_text_is_retried_until_sent_once(kiosk, ctx):
    case_owing(kiosk, mobile=MOBILE)
    gateway = FakeSmsGateway(failures=1)
    at = sweeps(ctx, gateway)
    assert at("11-28 09") == 0 and gateway.sent == []      # refused: kept for a retry
    assert at("11-28 12") == 1  # after the backoff
    assert at("11-28 18") == 0
    assert len(gateway.sent) == 1


def test_no_reminder_once_supplied_or_without_a_mobile_number(kiosk, client, ctx):
    number = case_owing(kiosk, mobile=MOBILE)
    case_owing(kiosk, secret="QW5vdGhlclNlY3JldDEyMzQ1Ng")   # no mobile given
    assert upload(client, number, sideways_photo()).status_code == 204
    gateway = FakeSmsGateway()
    at = sweeps(ctx, gateway)
    assert at("11-28 09") == 0 and at("12-01 09") == 0
    assert gateway.sent == []


def test_a_supplement_request_is_texted_once_and_the_page_takes_the_material(
        kiosk, client, ctx):
    number = case_owing(kiosk, mobile=MOBILE)
    assert upload(client, number, sideways_photo()).status_code == 204   # the 容缺 one
    clerk = staff_headers(ctx, client)
    gateway = FakeSmsGateway()
    at = sweeps(ctx, gateway)
    assert at("11-27 08") == 0                        # the server's clock from here on
    asked = client.post(f"/v1/staff/cases/{number}/supplement-request", headers=clerk,
                        json={"materials": ["asset_declaration"], "due_date": "2026-12-10"})
    assert asked.status_code == 200, asked.text
    assert asked.json()["state"] == "awaiting_material"
    assert at("11-27 09") == 1 and at("11-27 12") == 0
    [(to, text, _key)] = gateway.sent
    assert to == MOBILE and "家庭财产状况申报表" in text and "12月10日" in text
    page = client.get(v1.followup_path(number, SECRET))
    assert "待补材料" in page.text and "id='file-asset_declaration'" in page.text
    assert upload(client, number, sideways_photo(), code="asset_declaration").status_code == 204
    detail = client.get(f"/v1/staff/cases/{number}", headers=clerk).json()
    assert detail["case"]["state"] == "in_review"            # all supplied: back to review
    assert client.post(f"/v1/staff/cases/{number}/supplement-request", headers=clerk,
                       json={"materials": ["no_such_paper"], "due_date": "2026-12-10"}
                       ).status_code == 422


def _completed_and_assigned(kiosk, client, ctx) -> tuple[str, str, str]:
    """A case texted to MOBILE, completed by the hall, its result assigned to the kiosk's
    lockers: (case number, parcel id, pickup code)."""
    number = case_owing(kiosk, mobile=MOBILE)
    clerk = staff_headers(ctx, client)
    for state in ("in_review", "completed"):
        moved = client.post(f"/v1/staff/cases/{number}/state", json={"state": state},
                            headers=clerk)
        assert moved.status_code == 200, moved.text
    assigned = client.post("/v1/staff/parcels", headers=clerk, json={
        "case_number": number, "kiosk_id": kiosk.kiosk_id, "size": "M", "items": ["证明"]})
    assert assigned.status_code == 201, assigned.text
    return number, assigned.json()["parcel_id"], assigned.json()["pickup_code"]


def _sweep_at(ctx, gateway: FakeSmsGateway, moment: datetime) -> int:
    ctx.now = lambda: moment
    return AlertSweeper(ctx, {"sms": SmsSender(gateway)}).sweep_once()


def test_the_pickup_code_is_texted_once_stored_and_a_day_before_it_is_taken_back(
        kiosk, client, ctx):
    from district_server.cases.models import Parcel
    number, parcel_id, code = _completed_and_assigned(kiosk, client, ctx)
    gateway = FakeSmsGateway()
    assert _sweep_at(ctx, gateway, ctx.now()) == 0          # not in the locker yet: held
    stored = kiosk.envelope("deposit", {"parcel_id": parcel_id, "compartment": 4,
                                        "outcome": "stored", "staff_id": "staff-017",
                                        "at": datetime.now(timezone.utc).isoformat()})
    assert kiosk.put(stored).status_code == 201
    with ctx.db.transaction() as session:
        expires = session.get(Parcel, parcel_id).expires_at
    assert _sweep_at(ctx, gateway, datetime.now(timezone.utc)) == 1
    [(to, text, _key)] = gateway.sent
    assert to == MOBILE and code in text and number in text
    assert _sweep_at(ctx, gateway, expires - timedelta(days=2)) == 0
    assert _sweep_at(ctx, gateway, expires - timedelta(hours=20)) == 1
    assert _sweep_at(ctx, gateway, expires - timedelta(hours=2)) == 0   # once
    assert "收回" in gateway.sent[1][1] and code not in gateway.sent[1][1]


def test_a_parcel_taken_back_before_it_was_stored_is_never_texted(kiosk, client, ctx):
    _number, parcel_id, _code = _completed_and_assigned(kiosk, client, ctx)
    recalled = client.post(f"/v1/staff/parcels/{parcel_id}/recall",
                           headers=staff_headers(ctx, client, "supervisor"))
    assert recalled.status_code == 204, recalled.text
    gateway = FakeSmsGateway()
    assert _sweep_at(ctx, gateway, datetime.now(timezone.utc)) == 0 and gateway.sent == []
