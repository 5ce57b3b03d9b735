"""The crash test at a CI-sized count (the full 20-per-boundary run: crashtest.py)."""
from __future__ import annotations

import os

from tests.offline_queue.crashtest import run_crash_test

ROUNDS = int(os.environ.get("KIOSK_CRASH_ROUNDS", "2"))


def test_sigkill_at_every_boundary_loses_and_duplicates_nothing(district, tmp_path):
    report = run_crash_test(district, tmp_path / "kiosk", ROUNDS)
    assert report["ok"], report
    assert report["receipts_shown"] >= 4 * ROUNDS  # shown in all but the first two boundaries
