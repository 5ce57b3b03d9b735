"""Self-healing: the kiosk killed mid-journey (a crash, the hang guard or the watchdog) is
started again by its service with the offline queue intact and the citizen's session gone.

The real application (`kiosk demo --headless`, the embedded district's line cut) takes a
citizen to the receipt of an application, and is killed with SIGKILL while the receipt is
on screen; a new process on the same data directory opens at the attract screen, the
application is in its queue once, and the citizen's identity number is in none of the
kiosk's files (logs included)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "config" / "scenarios"
ID_NUMBER = "11010519491231002X"  # what apply_offline types into the form


def kiosk(data_dir: Path, *args: str, **popen) -> subprocess.Popen:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "launcher", "--data-dir", str(data_dir),
                             *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True,
                            **popen)


def until_receipt_then_hold(tmp_path: Path) -> Path:
    """apply_offline up to its receipt screenshot, then the citizen stays on it."""
    scenario = yaml.safe_load((SCENARIOS / "apply_offline.yaml").read_text())
    steps = scenario["steps"]
    receipt = steps.index({"screenshot": "apply_offline_receipt"})
    scenario["name"] = "killed_on_the_receipt"
    scenario["steps"] = [*steps[:receipt + 1],
                         {"wait_for": {"text": "never shown", "timeout_s": 600}}]
    path = tmp_path / "killed_on_the_receipt.yaml"
    path.write_text(yaml.safe_dump(scenario, allow_unicode=True))
    return path


def queue_status(data_dir: Path) -> dict:
    result = subprocess.run([sys.executable, "-m", "launcher", "--data-dir",
                             str(data_dir / "kiosk"), "queue", "status", "--json"],
                            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.slow
@pytest.mark.timeout(900)  # two starts of the real kiosk on a busy machine
def test_killed_on_the_receipt_the_kiosk_restarts_with_its_queue_and_no_citizen(tmp_path):
    data_dir, screenshots = tmp_path / "data", tmp_path / "screens"
    first = kiosk(data_dir, "demo", "--headless", "--scenario",
                  str(until_receipt_then_hold(tmp_path)), "--screenshots", str(screenshots))
    try:
        while not list(screenshots.glob("*-apply_offline_receipt.png")):  # the citizen holds a case number from here on
            try:
                first.wait(timeout=0.5)
            except subprocess.TimeoutExpired:
                continue
            raise AssertionError(f"the kiosk ended before the receipt: {first.stdout.read()}")
        os.killpg(first.pid, signal.SIGKILL)
    finally:
        first.kill()
        first.wait(60)
    assert first.returncode == -signal.SIGKILL

    status = queue_status(data_dir)
    assert status["depth"] + status["delivered_kept"] == 1
    assert status["quarantined"] == 0

    attract = tmp_path / "attract.yaml"
    attract.write_text(yaml.safe_dump({"name": "restarted", "steps": [
        {"expect_screen": "attract"},
        {"wait_for": {"text": "您好，请选择要办理的业务", "timeout_s": 30}}]},
        allow_unicode=True))
    second = kiosk(data_dir, "demo", "--headless", "--scenario", str(attract))
    output, _ = second.communicate(timeout=300)
    assert second.returncode == 0, output[-3000:]

    status = queue_status(data_dir)
    assert status["depth"] + status["delivered_kept"] == 1  # never lost, never doubled
    # the district, once delivered, holds the application; the kiosk holds it only sealed
    kiosk_files = [path for path in data_dir.rglob("*")
                   if path.is_file() and "district" not in path.relative_to(data_dir).parts]
    assert any(path.name == "outbox.sqlite3" for path in kiosk_files)
    holding = [path for path in kiosk_files if ID_NUMBER.encode() in path.read_bytes()]
    assert holding == []
