"""The district's figures on a fixture month (September 2026: the 20th, a Sunday, is a make-up
working day, the 25th a holiday), each checked against values worked out by hand below; and
the decision time and 补正 pause recorded by the staff's own actions."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

from district_server.cases.models import Case, Commitment, Evaluation
from district_server.cli import main
from district_server.figures import FigureFilter, compute
from tests.district_server.conftest import enrolled_kiosk, staff_headers
from tests.district_server.kiosk_double import application
from tests.district_server.test_followup import case_owing, sideways_photo, upload

CST = timezone(timedelta(hours=8))
SEPTEMBER = (date(2026, 9, 1), date(2026, 9, 30))
TODAY = date(2026, 10, 12)
RESIDENCE = "FT-GA-JZZ-001"      # legal 15, promised 10 working days
LICENCE = "FT-SJ-GTH-004"        # legal 3, promised 1
INSTANT = "FT-SB-CBZM-008"       # 即办: 0 and 0


def cst(day: int, hour: int = 10, month: int = 9) -> datetime:
    return datetime(2026, month, day, hour, 30, tzinfo=CST).astimezone(timezone.utc)


def _case(number: str, service: str, filed: datetime, *, decided: datetime | None = None,
          state: str = "completed", kiosk: str | None = "k-centre", hall: str = "FT-CENTRE",
          paused_working_days: int = 0) -> Case:
    return Case(case_number=number, holder_hmac="h" * 64, service_code=service,
                catalogue_version="2026.11.1", state=state, submitted_at=filed,
                kiosk_id=kiosk, hall_code=hall, pickup_method="window",
                paused_working_days=paused_working_days, paused_calendar_days=0,
                decided_at=decided, updated_at=decided or filed)


def _commitment(case_number: str, signed: datetime, due: date,
                supplied: datetime | None) -> Commitment:
    return Commitment(case_number=case_number, materials_json="[]", text_version="t",
                      signature_blob="s" * 64, signed_at=signed, due_date=due,
                      supply_channel="upload",
                      fill_state="supplied" if supplied else "pending", supplied_at=supplied)


def _rating(n: int, kiosk: str, level: int, at: datetime) -> Evaluation:
    return Evaluation(submission_id=f"00000000-0000-0000-0000-{n:012d}", kiosk_id=kiosk,
                      target="service", level=level, indicator_set_version="v",
                      indicators_json="[]", comment="", rated_at=at)


def fixture_month(ctx, client) -> None:
    enrolled_kiosk(ctx, client, "k-centre", "FT-CENTRE")
    enrolled_kiosk(ctx, client, "k-north", "FT-NORTH")
    with ctx.db.transaction() as session:
        session.add_all([
            # 1 Sep -> 8 Sep: 5 working days. On time, early.
            _case("C1", RESIDENCE, cst(1), decided=cst(8)),
            # 14 Sep -> 30 Sep: 12 working days (the 20th counts, the 25th not), less a 补正
            # pause of 4 (16 -> 21 Sep: 17, 18, 20, 21) = 8. On time, early (12 would not be).
            _case("C2", RESIDENCE, cst(14, 9), decided=cst(30), paused_working_days=4),
            # 24 Sep -> 30 Sep: 3 working days over the holiday (28, 29, 30). On time, not early.
            _case("C3", LICENCE, cst(24), decided=cst(30)),
            # at a window, 1 Sep -> rejected 7 Sep: 4 working days > 3. Late.
            _case("C4", LICENCE, cst(1), decided=cst(7), state="rejected", kiosk=None),
            # 即办 decided at capture on 10 Sep at 14:30: on time and early, 0 days.
            _case("C5", INSTANT, cst(10, 14), decided=cst(10, 14)),
            # at a window, filed 31 Aug, still in review: its 15 working days end on Sunday
            # 20 Sep (a make-up day), so the limit passed on 21 Sep. Open overdue in September.
            _case("C6", RESIDENCE, cst(31, 10, month=8), state="in_review", kiosk=None),
            # filed 29 Sep at 16:30, open: by 12 Oct 5 working days (30 Sep, 8, 9, 10, 12 Oct).
            _case("C7", RESIDENCE, cst(29, 16), state="accepted"),
            # filed and decided in August: not September's.
            _case("C8", RESIDENCE, cst(20, month=8), decided=cst(28, month=8)),
            # another hall, 1 Sep 09:30 -> 8 Sep: 5 working days > 3. Late.
            _case("C10", LICENCE, cst(1, 9), decided=cst(8), kiosk="k-north", hall="FT-NORTH"),
            # withdrawn: an application, in no rate
            _case("C11", RESIDENCE, cst(2), state="withdrawn"),
        ])
        session.flush()
        session.add_all([
            _commitment("C1", cst(1), date(2026, 9, 4), cst(3)),          # fulfilled
            _commitment("C7", cst(29, 16), date(2026, 10, 9), None),      # owed past due
            _commitment("C3", cst(24), date(2026, 9, 29), cst(30)),       # supplied late
            _commitment("C10", cst(1, 9), date(2026, 10, 20), None),      # not yet due
            _commitment("C8", cst(20, month=8), date(2026, 8, 25), None),  # August's
            _rating(1, "k-centre", 5, cst(3)), _rating(2, "k-centre", 5, cst(8)),
            _rating(3, "k-centre", 4, cst(15)), _rating(4, "k-centre", 2, cst(22)),
            # 23:30 on 30 Sep in Beijing (15:30 UTC) is September's; 00:30 on 1 Oct is not
            _rating(5, "k-centre", 3, datetime(2026, 9, 30, 23, 30, tzinfo=CST)),
            _rating(6, "k-centre", 1, datetime(2026, 10, 1, 0, 30, tzinfo=CST)),
            _rating(7, "k-north", 1, cst(9)),
        ])


def figures(ctx, **filters):
    with ctx.db.transaction() as session:
        return compute(session, ctx, FigureFilter(*SEPTEMBER, **filters), TODAY)


def test_the_district_month_by_hand(ctx, client):
    fixture_month(ctx, client)
    month = figures(ctx)
    # decided in September: C1, C2, C3, C4, C5, C10; on time C1, C2, C3, C5; overdue open C6
    assert (month.decided, month.open_overdue) == (6, 1)
    assert (month.on_time.counted, month.on_time.of, month.on_time.percent) == (4, 7, 57.14)
    assert (month.early.counted, month.early.of, month.early.percent) == (3, 6, 50.0)
    assert month.average_elapsed_working_days == round((5 + 8 + 3 + 4 + 0 + 5) / 6, 2)
    assert (month.satisfaction.counted, month.satisfaction.of) == (4, 6)
    assert month.ratings_by_level == {1: 1, 2: 1, 3: 1, 4: 1, 5: 2}
    # filed in September: kiosk C1 C2 C3 C5 C7 C10 C11, window C4 (C6 in August)
    assert month.applications_by_channel == {"kiosk": 7, "window": 1, "phone": 0}
    hours = {hour: n for hour, n in enumerate(month.kiosk_applications_by_hour) if n}
    assert hours == {9: 2, 10: 3, 14: 1, 16: 1}
    assert (month.commitments_made, month.commitments_fulfilled_on_time,
            month.commitments_overdue) == (4, 1, 2)


def test_by_hall_service_and_channel(ctx, client):
    fixture_month(ctx, client)
    centre = figures(ctx, hall="FT-CENTRE")
    assert (centre.on_time.counted, centre.on_time.of) == (4, 6)
    assert (centre.early.counted, centre.early.of) == (3, 5)
    assert (centre.satisfaction.counted, centre.satisfaction.of) == (4, 5)
    assert (centre.commitments_made, centre.commitments_fulfilled_on_time,
            centre.commitments_overdue) == (3, 1, 2)
    licence = figures(ctx, service=LICENCE)
    assert (licence.on_time.counted, licence.on_time.of) == (1, 3)
    assert (licence.early.counted, licence.early.of) == (0, 3)
    window = figures(ctx, channel="window")
    assert (window.on_time.counted, window.on_time.of) == (0, 2)
    assert window.applications_by_channel == {"kiosk": 0, "window": 1, "phone": 0}
    assert window.satisfaction.of == 0 and window.satisfaction.percent is None
    assert figures(ctx, hall="FT-NOWHERE").on_time.of == 0


def test_the_csv_export_holds_the_same_figures(ctx, client):
    fixture_month(ctx, client)
    rows = dict(line.split(",", 1) for line in figures(ctx).csv().splitlines()[1:])
    assert (rows["on_time_counted"], rows["on_time_of"], rows["on_time_percent"]) == \
        ("4", "7", "57.14")
    assert rows["ratings_level_5"] == "2" and rows["kiosk_applications_hour_10"] == "3"
    assert json.loads(json.dumps(figures(ctx).as_json()))["early"]["percent"] == 50.0


def test_completing_a_case_records_its_decision_and_its_supplement_pause(kiosk, client, ctx):
    """Asked for a 补正 on Monday 7 December, supplied on Thursday the 10th (3 working days
    paused), completed on Friday the 11th."""
    number = case_owing(kiosk)
    assert upload(client, number, sideways_photo()).status_code == 204   # the 容缺 one
    ctx.now = lambda: datetime(2026, 12, 7, 9, tzinfo=CST).astimezone(timezone.utc)
    clerk = staff_headers(ctx, client)
    asked = client.post(f"/v1/staff/cases/{number}/supplement-request", headers=clerk,
                        json={"materials": ["asset_declaration"], "due_date": "2026-12-18"})
    assert asked.status_code == 200, asked.text
    ctx.now = lambda: datetime(2026, 12, 10, 10, tzinfo=CST).astimezone(timezone.utc)
    assert upload(client, number, sideways_photo(), code="asset_declaration").status_code == 204
    decided = datetime(2026, 12, 11, 15, tzinfo=CST).astimezone(timezone.utc)
    ctx.now = lambda: decided
    clerk = staff_headers(ctx, client, staff_id="clerk-friday")   # a new day's sign-in
    with ctx.db.transaction() as session:
        assert session.get(Case, number).decided_at is None
    completed = client.post(f"/v1/staff/cases/{number}/state", headers=clerk,
                            json={"state": "completed"})
    assert completed.status_code == 200, completed.text
    with ctx.db.transaction() as session:
        case = session.get(Case, number)
        assert case.decided_at == decided and case.waiting_since is None
        assert (case.paused_working_days, case.paused_calendar_days) == (3, 3)


def test_rejecting_a_case_while_it_waits_ends_the_pause(kiosk, client, ctx):
    number = case_owing(kiosk)
    ctx.now = lambda: datetime(2026, 12, 4, 9, tzinfo=CST).astimezone(timezone.utc)  # Friday
    clerk = staff_headers(ctx, client)
    assert client.post(f"/v1/staff/cases/{number}/supplement-request", headers=clerk,
                       json={"materials": ["asset_declaration"], "due_date": "2026-12-18"}
                       ).status_code == 200
    ctx.now = lambda: datetime(2026, 12, 8, 9, tzinfo=CST).astimezone(timezone.utc)  # Tuesday
    clerk = staff_headers(ctx, client, staff_id="clerk-tuesday")
    assert client.post(f"/v1/staff/cases/{number}/state", headers=clerk,
                       json={"state": "rejected", "note": "材料不全"}).status_code == 200
    with ctx.db.transaction() as session:
        case = session.get(Case, number)
        assert case.decided_at is not None and case.waiting_since is None
        assert (case.paused_working_days, case.paused_calendar_days) == (2, 4)


def test_the_figures_command(ctx, client, settings, capsys):
    fixture_month(ctx, client)
    command = ["--data-dir", str(settings.data_dir), "--db", settings.database_url, "figures",
               "--from", "2026-09-01", "--to", "2026-09-30", "--as-of", TODAY.isoformat()]
    assert main([*command, "--hall", "FT-CENTRE", "--json"]) == 0
    centre = json.loads(capsys.readouterr().out)
    assert (centre["on_time"]["counted"], centre["on_time"]["of"]) == (4, 6)
    assert centre["satisfaction"]["percent"] == 80.0 and centre["hall"] == "FT-CENTRE"
    assert centre == figures(ctx, hall="FT-CENTRE").as_json()
    assert main(command) == 0
    assert "on time 57.14% (4/7), early 50.0% (3/6)" in capsys.readouterr().out
    assert main([*command[:-6], "--from", "2026-09-30", "--to", "2026-09-01"]) == 2
    assert main([*command[:-6], "--from", "September", "--to", "2026-09-01"]) == 2


def test_an_instant_item_is_decided_when_it_was_captured(kiosk, ctx):
    """即办: decided at the kiosk, so its decision time is the capture's, even when the
    kiosk was offline and sends it hours later."""
    form = {"applicant_name": "张三", "id_number": "11010519491231002X",
            "record_type": "summary", "months": 12}
    envelope = kiosk.envelope("submission", application(INSTANT, form_data=form, materials=[],
                                                        pickup_method="electronic"))
    captured = envelope.created_at - timedelta(hours=3)
    response = kiosk.put(envelope.model_copy(update={"created_at": captured}))
    assert response.status_code == 201, response.text
    with ctx.db.transaction() as session:
        case = session.get(Case, response.json()["receipt"]["case_number"])
        assert (case.state, case.decided_at) == ("completed", captured)
