"""`kiosk run`: the attract screen first, the core after it; a core that cannot start ends
the process with the same exit code and message as before the window existed."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest


def test_a_bad_backend_option_found_after_the_first_frame_exits_3(tmp_path):
    site = tmp_path / "site.toml"
    site.write_text("[devices.receipt_printer]\npaper_width_mm = 3\n")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-m", "launcher", "--config", str(site),
                             "--data-dir", str(tmp_path / "data"), "run", "--windowed"],
                            capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 3, result.stderr
    assert "devices.receipt_printer.paper_width_mm" in result.stderr
    assert str(site) in result.stderr


RECORD_COMMAND_MODULES = """
import sys
import launcher.cli.run
launcher.cli.run.run = lambda args, ctx: print(sorted(
    name for name in sys.modules if name.startswith("launcher.cli."))) or 0
from launcher.cli import main
sys.exit(main(sys.argv[1:]))
"""


def command_modules_imported(*argv: str) -> str:
    result = subprocess.run([sys.executable, "-c", RECORD_COMMAND_MODULES, *argv],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_running_the_kiosk_imports_no_other_command_before_the_window(tmp_path):
    data = str(tmp_path / "data")
    assert command_modules_imported("--data-dir", data, "run") == "['launcher.cli.run']"
    assert command_modules_imported("--data-dir", data) == "['launcher.cli.run']"
    assert command_modules_imported("--config", "run", "--data-dir", data, "run",
                                    "--windowed") == "['launcher.cli.run']"


def test_help_still_lists_every_command(capsys):
    from launcher.cli import command_modules, main
    with pytest.raises(SystemExit):
        main(["--help"])
    shown = capsys.readouterr().out
    assert all(name in shown for name in command_modules())
