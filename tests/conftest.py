"""Shared fixtures. Tests that need a service use `require_service`: it skips with the
reason on a developer machine and fails under CI=true, where .ci/run provides it."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
SHARED_DATA = Path(os.environ.get("KIOSK_SHARED_DATA", SHARED / "data"))
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def require_service(name: str, available: bool, reason: str = "") -> None:
    """Skip (or fail in CI) when a real peer the test needs is missing."""
    if available:
        return
    message = f"{name} is not available" + (f": {reason}" if reason else "")
    if IN_CI:
        pytest.fail(f"{message} (CI=true: .ci/run must provide it)")
    pytest.skip(message)


def shared_data(*parts: str) -> Path:
    """A file under ../shared/data; skips (fails in CI) when the folder is absent."""
    path = SHARED_DATA.joinpath(*parts)
    require_service("shared test data", path.exists(), f"{path} not found")
    return path


@pytest.fixture
def test_clock():
    from foundation.clock import TestClock
    return TestClock()
