"""I/O errors (ENOSPC, EIO) injected with strace at every write and fsync of an enqueue and
of a sync cycle, one position per run (the long run with both errnos: bench/faults.py).

The counts are printed into the test output."""
from __future__ import annotations

import json

import pytest

from tests.conftest import require_service
from tests.offline_queue.iofaults import OPERATIONS, run_io_fault_test, strace_available


@pytest.mark.slow
@pytest.mark.timeout(900)  # a process per fault; the 300 s default suits ordinary tests
def test_an_io_error_at_any_write_or_fsync_commits_whole_or_reports_and_loses_nothing(
        district, tmp_path, capsys):
    require_service("strace", strace_available(), "scripts/install-debian-deps.sh installs it")
    report = run_io_fault_test(district, tmp_path / "kiosk")
    with capsys.disabled():
        print("\nI/O fault test: " + json.dumps({key: report[key] for key in (
            "runs", "not_reached", "acknowledged", "lost", "duplicated", "elapsed_s")}))
    assert not report["problems"], report["problems"]
    assert report["ok"], report
    # a position the operation no longer reaches in one run is tried again, not failed; a
    # fault that is never injected tests nothing, so most positions must be reached
    assert len(report["not_reached"]) <= max(2, sum(report["runs"].values()) // 10), report
    # every operation writes and syncs something (faults injected, not only tried); how many
    # calls depends on the file system and SQLite's page cache, so no count is asserted
    for operation in OPERATIONS:
        assert {"write", "pwrite64"} & _calls_failed(report, operation)
        assert {"fsync", "fdatasync"} & _calls_failed(report, operation)


def _calls_failed(report: dict, operation: str) -> set[str]:
    return {key.split(".", 1)[1] for key in report["runs"] if key.startswith(f"{operation}.")}
