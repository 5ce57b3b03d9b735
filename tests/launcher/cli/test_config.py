"""`kiosk config check` on a site file that is not readable TOML: exit 3, the file and the fix."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXIT_CONFIG = 3


def config_check(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "launcher", "--config", str(path), "config",
                           "check"], capture_output=True, text=True, timeout=60)


def site_bytes(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "site.toml"
    path.write_bytes(data)
    return path


def test_invalid_utf8_names_the_line_and_the_encoding(tmp_path):
    path = site_bytes(tmp_path, b'[session]\nidle_timeout_s = 60\n# caf\xe9 latin-1\n')
    result = config_check(path)
    assert result.returncode == EXIT_CONFIG, result.stderr
    assert str(path) in result.stderr
    assert "not valid UTF-8" in result.stderr and "line 3" in result.stderr
    assert "Fix: save the file as UTF-8" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("text", [
    "x = " + "[" * 5000 + "]" * 5000,
    "x = " + "{a = " * 5000 + "1" + "}" * 5000,
    "a" + ".a" * 5000 + " = 1",
], ids=["array", "inline-table", "dotted-key"])
def test_absurdly_deep_nesting_is_refused(tmp_path, text):
    path = site_bytes(tmp_path, text.encode() + b"\n")
    result = config_check(path)
    assert result.returncode == EXIT_CONFIG, result.stderr
    assert str(path) in result.stderr and "nested more than" in result.stderr
    assert "Fix:" in result.stderr and "Traceback" not in result.stderr


def test_directory_instead_of_a_file(tmp_path):
    path = tmp_path / "site.toml"
    path.mkdir()
    result = config_check(path)
    assert result.returncode == EXIT_CONFIG, result.stderr
    assert str(path) in result.stderr and "is a directory" in result.stderr
    assert "Fix: give the path of the TOML file" in result.stderr

