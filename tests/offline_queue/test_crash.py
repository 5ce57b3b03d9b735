"""The crash test at CI size: 30 SIGKILLs at each boundary (the long run: bench/faults.py).

The counts (kills per boundary, lost, duplicated) are printed into the test output, so a
CI log shows how much the run proved, not only that it passed."""
from __future__ import annotations

import json
import os

import pytest

from offline_queue.crashpoints import BOUNDARIES
from tests.offline_queue.crashtest import run_crash_test

ROUNDS = int(os.environ.get("KIOSK_CRASH_ROUNDS", "30"))


@pytest.mark.slow
@pytest.mark.timeout(1200)  # a process per fault; the 300 s default suits ordinary tests
def test_sigkill_at_every_boundary_loses_and_duplicates_nothing(district, tmp_path, capsys):
    report = run_crash_test(district, tmp_path / "kiosk", ROUNDS)
    with capsys.disabled():
        print("\ncrash test: " + json.dumps({key: report[key] for key in (
            "kills", "lost", "duplicated", "receipts_shown", "server_rows", "elapsed_s")}))
    assert report["ok"], report
    assert report["kills"] == {boundary: ROUNDS for boundary in BOUNDARIES}
    assert (report["lost"], report["duplicated"]) == (0, 0)
    assert report["receipts_shown"] >= 4 * ROUNDS  # shown in all but the first two boundaries
