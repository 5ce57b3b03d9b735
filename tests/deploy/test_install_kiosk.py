"""deploy/install-kiosk.sh into a staging root: the user, the enabled units, chrony on the
district's time source only, no consoles, and a reinstall that keeps the site's file."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import require_service
from tests.deploy.test_kiosk_unit import INSTALLED_FILES

ROOT = Path(__file__).resolve().parents[2]
INSTALL = ROOT / "deploy" / "install-kiosk.sh"
TIME_SERVER = "ntp.district.example"


@pytest.fixture
def bundle(tmp_path):
    """A stand-in for dist/kiosk: what the script needs of it is an executable `kiosk`."""
    folder = tmp_path / "dist" / "kiosk"
    folder.mkdir(parents=True)
    (folder / "kiosk").write_text("#!/bin/sh\necho kiosk 1.0\n")
    (folder / "kiosk").chmod(0o755)
    return folder


@pytest.fixture
def staging(tmp_path):
    """The target system as an image build has it: Debian's systemd units and chrony."""
    root = tmp_path / "root"
    units = root / "usr/lib/systemd/system"
    units.mkdir(parents=True)
    for unit in ("graphical.target", "multi-user.target", "getty@.service"):
        host = Path("/usr/lib/systemd/system") / unit
        require_service("systemd units", host.exists(), f"{host} is missing")
        shutil.copy(host, units / unit)
    (root / "etc/chrony").mkdir(parents=True)
    (root / "etc/chrony/chrony.conf").write_text(
        "confdir /etc/chrony/conf.d\npool 2.debian.pool.ntp.org iburst\n")
    return root


def install(staging: Path, bundle: Path, *extra: str) -> subprocess.CompletedProcess:
    for tool in ("systemd-sysusers", "systemctl"):
        require_service(tool, shutil.which(tool) is not None, "the systemd package")
    return subprocess.run(["bash", str(INSTALL), "--root", str(staging), "--bundle",
                           str(bundle), "--time-server", TIME_SERVER, *extra],
                          capture_output=True, text=True, timeout=120)


def test_install_into_a_staging_root(staging, bundle):
    result = install(staging, bundle)
    assert result.returncode == 0, result.stderr

    assert os.access(staging / "opt/kiosk/kiosk/kiosk", os.X_OK)
    passwd = (staging / "etc/passwd").read_text().splitlines()
    kiosk = next(line.split(":") for line in passwd if line.startswith("kiosk:"))
    assert kiosk[5:] == ["/var/lib/kiosk", "/usr/sbin/nologin"]
    # the application switches its own slots (kiosk/updates.py)
    for owned in ("opt/kiosk", "opt/kiosk/slots/a", "opt/kiosk/slots/a/kiosk",
                  "opt/kiosk/updates"):
        assert (staging / owned).stat().st_uid == int(kiosk[2]), owned
    groups = {line.split(":")[0]: line.split(":")[3].split(",")
              for line in (staging / "etc/group").read_text().splitlines()}
    for group in ("video", "input", "dialout", "render"):
        assert "kiosk" in groups[group], group

    # the unit's ExecStartPre, outside the slots and not the kiosk user's to change
    counter = staging / "usr/local/lib/kiosk/start_counter.py"
    assert counter.read_text() == (ROOT / "kiosk/start_counter.py").read_text()
    assert counter.stat().st_uid != int(kiosk[2])

    # the unit's FONTCONFIG_FILE
    fonts = staging / "usr/local/share/kiosk/fonts.conf"
    assert fonts.read_text() == INSTALLED_FILES["/usr/local/share/kiosk/fonts.conf"].read_text()

    system = staging / "etc/systemd/system"
    assert (system / "graphical.target.wants" / "kiosk.service").is_symlink()
    assert os.readlink(system / "getty@tty1.service") == "/dev/null"
    assert os.readlink(system / "default.target").endswith("graphical.target")
    assert "NAutoVTs=0" in (staging / "etc/systemd/logind.conf.d/kiosk.conf").read_text()

    chrony = staging / "etc/chrony/conf.d/kiosk.conf"
    assert f"server {TIME_SERVER} iburst" in chrony.read_text()
    assert "\npool " not in "\n" + (staging / "etc/chrony/chrony.conf").read_text()
    chronyd = shutil.which("chronyd") or "/usr/sbin/chronyd"
    require_service("chronyd", os.access(chronyd, os.X_OK),
                    "scripts/install-debian-deps.sh installs chrony")
    parsed = subprocess.run([chronyd, "-p", "-f", str(chrony)], capture_output=True,
                            text=True, timeout=30)
    assert parsed.returncode == 0, parsed.stderr


def test_a_reinstall_replaces_the_bundle_and_keeps_the_site_configuration(staging, bundle):
    assert install(staging, bundle).returncode == 0
    site = staging / "etc/kiosk/site.toml"
    site.write_text('[server]\nurl = "https://district.example"\n')
    (bundle / "kiosk").write_text("#!/bin/sh\necho kiosk 1.1\n")
    result = install(staging, bundle)
    assert result.returncode == 0, result.stderr
    assert "1.1" in (staging / "opt/kiosk/kiosk/kiosk").read_text()
    assert site.read_text() == '[server]\nurl = "https://district.example"\n'
    assert sorted(p.name for p in (staging / "opt/kiosk").iterdir()) == [
        "docs", "kiosk", "slots", "updates"]
    # the new bundle went into the other slot; the link moved to it (kiosk/updates.py)
    assert os.readlink(staging / "opt/kiosk/kiosk") == "slots/b"
    assert "1.0" in (staging / "opt/kiosk/slots/a/kiosk").read_text()


def test_a_kiosk_installed_before_slots_is_moved_into_them(staging, bundle):
    (staging / "opt/kiosk/kiosk").mkdir(parents=True)
    (staging / "opt/kiosk/kiosk/kiosk").write_text("#!/bin/sh\necho kiosk 0.9\n")
    result = install(staging, bundle)
    assert result.returncode == 0, result.stderr
    assert os.readlink(staging / "opt/kiosk/kiosk") == "slots/a"
    assert "1.0" in (staging / "opt/kiosk/kiosk/kiosk").read_text()


def test_a_time_server_that_is_not_a_host_name_is_refused(tmp_path, bundle):
    result = install(tmp_path / "root", bundle, "--time-server", "x; rm -rf /")
    assert result.returncode == 2
    assert "--time-server must be a host name" in result.stderr
    assert not (tmp_path / "root").exists()
