"""The district's systemd units: systemd accepts them; the server migrates before it serves,
runs several workers behind the proxy, and the backup runs nightly, catching up after a
power cut."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import require_service
from tests.deploy.test_kiosk_unit import directives

DISTRICT = Path(__file__).resolve().parents[2] / "deploy" / "district"
INSTALLED = "/opt/district/venv/bin/district-server"


@pytest.mark.parametrize("unit", ["district-server.service", "district-backup.service",
                                  "district-backup.timer"])
def test_systemd_analyze_verify_accepts_the_unit(tmp_path, unit):
    analyze = shutil.which("systemd-analyze")
    require_service("systemd-analyze", analyze is not None, "apt-get install systemd")
    # verify checks that commands exist: the release's program stands at a path of tmp_path
    program = tmp_path / "district-server"
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    text = (DISTRICT / unit).read_text().replace(INSTALLED, str(program))
    (tmp_path / unit).write_text(text)
    if unit.endswith(".timer"):
        shutil.copy(DISTRICT / "district-backup.service", tmp_path)
    result = subprocess.run([analyze, "verify", str(tmp_path / unit)], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0 and unit not in result.stderr, result.stderr


def test_the_server_migrates_before_several_workers_serve_behind_the_proxy():
    unit = directives(DISTRICT / "district-server.service")
    assert unit["ExecStartPre"][0].split()[-1] == "migrate"
    command = unit["ExecStart"][0].split()
    assert int(command[command.index("--workers") + 1]) > 1
    assert command[command.index("--host") + 1] == "127.0.0.1"  # TLS ends at the proxy
    assert "postgresql.service" in " ".join(unit["After"])
    assert unit["User"] == ["district"] and unit["Restart"] == ["always"]
    proxy = (DISTRICT / "nginx-district.conf").read_text()
    assert "proxy_pass http://127.0.0.1:8080;" in proxy and "listen 443 ssl;" in proxy


def test_the_backup_runs_every_night_and_catches_up_after_downtime():
    timer = directives(DISTRICT / "district-backup.timer")
    assert timer["OnCalendar"] == ["*-*-* 02:15:00"] and timer["Persistent"] == ["true"]
    backup = directives(DISTRICT / "district-backup.service")
    assert " backup " in backup["ExecStart"][0] and backup["Type"] == ["oneshot"]
