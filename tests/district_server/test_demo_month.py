"""`district-server seed-demo`: a month whose cases went through every state the services
bring them to, with 补正 pauses, 容缺 commitments and ratings, so that a new install's figures
look like a district's; made once."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from district_server.cases.models import BadReview, Case
from district_server.cli import main
from district_server.figures import FigureFilter, compute
from tests.district_server.conftest import staff_headers


def test_seed_demo_makes_a_month_the_figures_can_show(ctx, client, settings, capsys):
    command = ["--data-dir", str(settings.data_dir), "--db", settings.database_url,
               "seed-demo", "--to", "2026-09-30", "--days", "30"]
    assert main(command) == 0
    assert "cases" in capsys.readouterr().out
    assert main(command) == 5                       # never twice
    assert "already" in capsys.readouterr().err

    with ctx.db.transaction() as session:
        cases = list(session.scalars(select(Case)))
        month = compute(session, ctx, FigureFilter(date(2026, 9, 1), date(2026, 9, 30)),
                        date(2026, 10, 1))
        bad_reviews = list(session.scalars(select(BadReview)))
    assert {c.state for c in cases} >= {"completed", "ready_for_pickup", "picked_up",
                                        "rejected", "withdrawn", "in_review",
                                        "awaiting_material"}
    assert all(c.case_number.startswith("DEMO-") for c in cases)
    decided = [c for c in cases if c.decided_at is not None]
    assert all(c.decided_at >= c.submitted_at for c in decided)
    assert any(c.paused_working_days for c in decided)
    assert all(c.waiting_since for c in cases if c.state == "awaiting_material")
    assert month.decided > 200
    assert 95 <= month.on_time.percent < 100 and 70 <= month.early.percent < 100
    assert 90 <= month.satisfaction.percent < 100
    assert all(month.ratings_by_level.values()) and bad_reviews
    channels = month.applications_by_channel
    assert channels["kiosk"] > channels["window"] > channels["phone"] > 0
    assert month.commitments_fulfilled_on_time > 0 and month.commitments_overdue > 0
    by_hour = month.kiosk_applications_by_hour
    assert sum(by_hour[18:23]) > 0 and max(by_hour) in by_hour[9:18]    # evenings, peak by day

    # the console's case work takes them like any other case
    administrator = staff_headers(ctx, client, "administrator")
    waiting = next(c.case_number for c in cases if c.state == "awaiting_material")
    detail = client.get(f"/v1/staff/cases/{waiting}", headers=administrator)
    assert detail.status_code == 200 and detail.json()["case"]["outstanding_materials"]
