"""Fixtures of the command-line tests: the real district server on loopback; a Qt platform
plugin that cannot load."""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest


@pytest.fixture
def district(tmp_path):
    from tests.offline_queue.live_district import LiveDistrict
    with LiveDistrict(tmp_path / "district") as server:
        yield server


@pytest.fixture
def broken_platform_plugin(tmp_path, monkeypatch):
    """A Qt platform plugin linked to a library that is not installed, where Qt looks for
    platform plugins, and chosen as the platform: what a machine without libxcb-icccm4 has."""
    if shutil.which("gcc") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("gcc is not installed (scripts/install-debian-deps.sh installs it)")
        pytest.skip("gcc is not installed (scripts/install-debian-deps.sh installs it)")
    build = tmp_path / "build"
    platforms = tmp_path / "plugins" / "platforms"
    build.mkdir()
    platforms.mkdir(parents=True)
    source = build / "empty.c"
    source.write_text("int kiosk_test_symbol;\n")
    subprocess.run(["gcc", "-shared", "-fPIC", "-Wl,-soname,libkiosk-gone.so.4", "-o",
                    build / "libkiosk-gone.so", source], check=True)
    subprocess.run(["gcc", "-shared", "-fPIC", "-Wl,--no-as-needed", "-o",
                    platforms / "libqbroken.so", source, f"-L{build}", "-lkiosk-gone"],
                   check=True)
    (build / "libkiosk-gone.so").unlink()
    monkeypatch.setenv("QT_QPA_PLATFORM_PLUGIN_PATH", str(platforms))
    monkeypatch.setenv("QT_QPA_PLATFORM", "broken")

