"""The kiosk's systemd unit: systemd accepts it, and it asks for what running unattended needs."""
from __future__ import annotations

import shlex
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

from tests.conftest import require_service

from bench.kiosk_environment import KIOSK_ENVIRONMENT

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "deploy" / "systemd" / "kiosk.service"
#: files the unit names, where deploy/install-kiosk.sh puts them -> their copy in the tree
INSTALLED_FILES = {"/usr/local/share/kiosk/fonts.conf":
                   ROOT / "deploy" / "fontconfig" / "kiosk-fonts.conf"}


def directives(unit: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for line in unit.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            found[key].append(value)
    return found


def unit_environment() -> dict[str, str]:
    return dict(entry.split("=", 1)
                for line in directives(UNIT)["Environment"] for entry in shlex.split(line))


def test_the_benches_run_the_kiosk_with_the_units_environment():
    environment = unit_environment()
    for name, value in KIOSK_ENVIRONMENT.items():
        assert str(INSTALLED_FILES.get(environment.get(name), environment.get(name))) == value, \
            name


def test_systemd_analyze_verify_accepts_the_unit(tmp_path):
    analyze = shutil.which("systemd-analyze")
    require_service("systemd-analyze", analyze is not None, "apt-get install systemd")
    require_service("cage", shutil.which("cage") is not None,
                    "scripts/install-debian-deps.sh installs it (the unit's ExecStart)")
    copy = tmp_path / UNIT.name  # verify loads the file by itself, not the system's units
    shutil.copy(UNIT, copy)
    result = subprocess.run([analyze, "verify", str(copy)], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0 and "kiosk.service" not in result.stderr, result.stderr


def test_the_unit_restarts_a_kiosk_that_stops_answering():
    unit = directives(UNIT)
    assert unit["Type"] == ["notify"]
    assert unit["NotifyAccess"] == ["all"]  # the application is cage's child
    assert int(unit["WatchdogSec"][0]) > 0
    assert unit["Restart"] == ["always"]
    assert unit["StartLimitIntervalSec"] == ["0"]


def test_every_start_first_counts_a_version_on_trial_from_outside_the_slots():
    unit = directives(UNIT)
    counter = unit["ExecStartPre"][0].split()
    # "-": a failure of the counter never keeps the kiosk from starting
    assert counter[:2] == ["-/usr/bin/python3", "-I"]
    assert counter[2] == "/usr/local/lib/kiosk/start_counter.py"  # install-kiosk.sh
    assert counter[3] == "/opt/kiosk"  # the install root holding the link and the state


def test_the_kiosk_runs_locked_down_as_its_own_user_in_cage_without_vt_switching():
    unit = directives(UNIT)
    assert unit["User"] == ["kiosk"]
    command = unit["ExecStart"][0].split()
    assert command[0] == "/usr/bin/cage" and "-s" not in command[:command.index("--")]
    assert command[-1] == "run"
    for setting in ("NoNewPrivileges", "ProtectHome", "PrivateTmp", "ProtectKernelModules",
                    "RestrictNamespaces"):
        assert unit[setting] == ["yes"], setting
    assert unit["ProtectSystem"] == ["strict"]
    assert unit["DevicePolicy"] == ["closed"]
    allowed = {entry.split()[0] for entry in unit["DeviceAllow"]}
    # the screen, touch, cameras, serial scanners and locker boards
    assert {"char-drm", "char-input", "char-video4linux", "char-ttyUSB",
            "char-ttyACM"} <= allowed
