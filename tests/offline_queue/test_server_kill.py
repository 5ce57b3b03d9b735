"""SIGKILL of the district server at each intake boundary while a kiosk retries: every
submission exactly once (the long run: bench/faults.py). The counts are printed."""
from __future__ import annotations

import json
import os

import pytest

from tests.offline_queue.district_process import BOUNDARIES
from tests.offline_queue.serverkill import run_server_kill_test

ROUNDS = int(os.environ.get("KIOSK_SERVER_KILL_ROUNDS", "3"))


@pytest.mark.slow
@pytest.mark.timeout(900)  # a process per fault; the 300 s default suits ordinary tests
def test_server_killed_at_every_intake_boundary_keeps_every_submission_exactly_once(
        tmp_path, capsys):
    report = run_server_kill_test(tmp_path, ROUNDS)
    with capsys.disabled():
        print("\nserver kill test: " + json.dumps({key: report[key] for key in (
            "kills", "acknowledged", "lost", "duplicated", "elapsed_s")}))
    assert report["ok"], report
    assert report["kills"] == {boundary: ROUNDS for boundary in BOUNDARIES}
    assert (report["lost"], report["duplicated"]) == (0, 0)
