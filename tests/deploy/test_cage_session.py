"""The kiosk's session as deploy/ configures it: the unit's own cage command, started on
wlroots' headless backend, shows a minimal Qt client and the real `kiosk run` (its core
started, its attract screen drawn) over Wayland; and nothing in the session's configuration
gives a way out to a console or a desktop."""
from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import require_service
from tests.deploy.test_kiosk_unit import INSTALLED_FILES, UNIT, directives, unit_environment

ROOT = Path(__file__).resolve().parents[2]
LOGIND = ROOT / "deploy" / "logind.conf.d" / "kiosk.conf"
CLIENT = Path(__file__).with_name("wayland_first_frame.py")
KIOSK_RUN = Path(__file__).with_name("kiosk_run_until_attract.py")
#: wlroots without a GPU, a seat or input devices (no DRM, no logind session here)
HEADLESS = {"WLR_BACKENDS": "headless", "WLR_LIBINPUT_NO_DEVICES": "1",
            "WLR_RENDERER": "pixman"}


def session_command(client: list[str]) -> list[str]:
    """The unit's ExecStart with the kiosk application replaced by `client`."""
    command = shlex.split(directives(UNIT)["ExecStart"][0])
    return command[:command.index("--") + 1] + client


def session_environment(runtime_dir: Path, data_dir: Path) -> dict[str, str]:
    """The unit's Environment=, its directories moved into the test's and the files it
    names read from the tree."""
    environment = {name: str(INSTALLED_FILES.get(value, value))
                   for name, value in unit_environment().items()}
    environment.update(XDG_RUNTIME_DIR=str(runtime_dir), KIOSK_DATA_DIR=str(data_dir),
                       PATH=os.environ.get("PATH", "/usr/bin:/bin"), HOME=str(data_dir),
                       **HEADLESS)
    return environment


def as_unprivileged(command: list[str]) -> list[str]:
    """Cage refuses to run as root (it would drop privileges it could get back); the unit runs
    it as the kiosk user. As root here: in a user namespace, where it is nobody but can still
    read this interpreter's files."""
    if os.geteuid() != 0:
        return command
    unshare = shutil.which("unshare")
    if unshare is None or subprocess.run([unshare, "--user", "true"],
                                         capture_output=True, timeout=60).returncode != 0:
        pytest.skip("cage will not run as root and no user namespace can be made here "
                    "(unshare --user)")
    return [unshare, "--user", *command]


def run_session(tmp_path: Path, client: list[str], **environment: str
                ) -> subprocess.CompletedProcess:
    """The unit's cage command with `client` in the kiosk's place, on the headless backend;
    skips where cage cannot run here."""
    require_service("cage", shutil.which("cage") is not None,
                    "scripts/install-debian-deps.sh installs it")
    # Debian's cage is built with XWayland and will not start without its binary
    require_service("Xwayland", Path("/usr/bin/Xwayland").exists(),
                    "scripts/install-debian-deps.sh installs xwayland")
    runtime_dir, data_dir = tmp_path / "run", tmp_path / "home"
    runtime_dir.mkdir(mode=0o700)
    data_dir.mkdir()
    command = as_unprivileged(session_command(client))
    # the client quits once it has drawn, and cage ends with it: the bound is for a hang
    session = subprocess.run(command, env={**session_environment(runtime_dir, data_dir),
                                           **environment},
                             capture_output=True, text=True, timeout=240)
    if not session.stdout.strip():
        pytest.skip("cage could not start a client here (exit code "
                    f"{session.returncode}): {session.stderr.strip()[-500:]}")
    return session


def test_the_units_cage_command_shows_a_qt_client_full_screen_on_the_headless_backend(
        tmp_path):
    session = run_session(tmp_path, [sys.executable, str(CLIENT)])
    said = session.stdout.splitlines()
    assert "platform wayland" in said, said   # the unit's QT_QPA_PLATFORM, through cage
    assert any(line.startswith("first frame ") for line in said), \
        (said, session.stderr[-2000:])
    assert session.returncode == 0, session.stderr[-2000:]


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_kiosk_run_under_the_units_cage_command_draws_its_attract_screen_over_wayland(
        tmp_path):
    data = tmp_path / "data"
    session = run_session(tmp_path, [sys.executable, str(KIOSK_RUN), "--data-dir", str(data),
                                     "run"], PYTHONPATH=str(ROOT))
    # the core started (devices, queue, face child) and its attract screen was drawn
    assert "attract drawn on wayland" in session.stdout.splitlines(), \
        (session.stdout, session.stderr[-3000:])
    records = [json.loads(line) for line in
               (data / "logs" / "kiosk.log").read_text().splitlines()]
    assert not [r for r in records if r["level"] == "CRITICAL"], records[-5:]


def test_the_session_gives_no_way_out_to_a_console_or_a_desktop():
    unit = directives(UNIT)
    command = shlex.split(unit["ExecStart"][0])
    cage_options = command[1:command.index("--")]
    # -s would allow Ctrl+Alt+Fn; cage has no other key binding, no desktop, no launcher
    assert command[0] == "/usr/bin/cage" and "-s" not in cage_options
    assert len(command) > command.index("--") + 1   # its only client: the kiosk
    # tty1 is the session's, with no getty to fall back to on it ...
    assert unit["TTYPath"] == ["/dev/tty1"]
    assert "getty@tty1.service" in unit["Conflicts"]
    # ... nor on any other VT, and the power keys do nothing
    logind = directives(LOGIND)
    assert logind["NAutoVTs"] == ["0"] and logind["ReserveVT"] == ["0"]
    for key in ("HandlePowerKey", "HandleSuspendKey", "HandleHibernateKey", "HandleRebootKey"):
        assert logind[key] == ["ignore"], key
    # when the kiosk ends, cage ends and systemd starts both again: no bare compositor
    assert unit["Restart"] == ["always"]
