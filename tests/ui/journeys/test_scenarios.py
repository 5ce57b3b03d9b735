"""Every journey scenario walks the whole demo headless (simulated devices, embedded
server) and leaves a screenshot of each screen it reached."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SCENARIOS = sorted(p for p in (ROOT / "config" / "scenarios").glob("*.yaml")
                   if p.stem != "smoke")


@pytest.mark.slow
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_journey_scenario_passes_on_the_demo(tmp_path, scenario):
    shots = tmp_path / "shots"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "launcher", "--data-dir", str(tmp_path / "data"), "demo",
         "--headless", "--scenario", str(scenario), "--screenshots", str(shots)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"scenario '{scenario.stem}'" in result.stdout + result.stderr
    pngs = sorted(shots.glob("*.png"))
    assert pngs and all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)
