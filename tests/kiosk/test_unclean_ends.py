"""The kiosk counts the times it ended without a clean stop and reports them, with the
items it set aside, to a server that takes them (the staged rollout judges its canary by
them); a server that does not list them never gets them (its requests are strict)."""
from __future__ import annotations

from kiosk.unclean_ends import UncleanEnds
from tests.kiosk.reported import reported_on_server
from wire import v1


def test_a_start_after_an_unclean_end_counts_one(tmp_path):
    assert UncleanEnds(tmp_path).count == 0
    UncleanEnds(tmp_path).started()
    UncleanEnds(tmp_path).started()          # the first run never stopped: a crash
    assert UncleanEnds(tmp_path).count == 1
    ends = UncleanEnds(tmp_path)
    ends.stopped()
    ends.started()
    ends.stopped()
    assert UncleanEnds(tmp_path).count == 1


def test_crashes_and_set_aside_items_reach_a_server_that_takes_them(district, make_core):
    core = make_core()
    core.unclean_ends.started()
    core.unclean_ends.started()
    assert core.queue.worker.sync_once().ok
    reported = reported_on_server(district, core.config.kiosk.id)
    assert reported["crashes"] == 1 and reported["set_aside"] == 0

    worker = core.queue.worker
    worker._server_features = {v1.FEATURE_FLEET_REPORT}   # the release before rollouts
    report = worker.current_report()
    assert not v1.ROLLOUT_HEALTH_FIELDS & set(report)
    assert report["session_active"] is False
