"""`kiosk run`: the attract screen first, the core after it; a core that cannot start ends
the process with the same exit code and message as before the window existed."""
from __future__ import annotations

import json
import os
import signal
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


RECORD_FIRST_FRAME_AND_CORE = """
import json, os, sys
from PySide6.QtQuick import QQuickItem
from ui import app as ui_app

DEFERRED = ("kiosk.availability", "kiosk.service_state", "concurrent.futures")
seen = {}


class Probe(ui_app.ShellApp):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.view.frameSwapped.connect(self.frame)

    def made(self):
        return {"modules": [name for name in DEFERRED if name in sys.modules],
                "overlays": [name for name in ("idle_warning", "help_overlay")
                             if self.root.findChild(QQuickItem, name) is not None]}

    def frame(self):
        seen.setdefault("first_frame", self.made())

    def attach_core(self, core):
        super().attach_core(core)
        seen["core"] = self.made()
        print(json.dumps(seen), flush=True)
        os._exit(0)


ui_app.ShellApp = Probe
from launcher.cli import main
sys.exit(main(["--data-dir", sys.argv[1], "run", "--windowed"]))
"""


def test_the_first_frame_waits_for_nothing_only_the_core_uses(tmp_path):
    """A start from the configuration snapshot draws the attract screen before importing
    what only the core's tiles, service state and staff calls use, and before making the
    overlays of a visit (idle warning, help); all of them are there once the core is."""
    from kiosk import config_snapshot
    from kiosk.config import load_config
    config_snapshot.save(tmp_path / "data", load_config())
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    # a session of its own: the face child the core starts ends with it
    child = subprocess.Popen([sys.executable, "-c", RECORD_FIRST_FRAME_AND_CORE,
                              str(tmp_path / "data")], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        stdout, stderr = child.communicate(timeout=120)
    finally:
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert child.returncode == 0, stderr
    seen = json.loads(stdout)
    assert seen["first_frame"] == {"modules": [], "overlays": []}
    assert seen["core"] == {"modules": ["kiosk.availability", "kiosk.service_state",
                                        "concurrent.futures"],
                            "overlays": ["idle_warning", "help_overlay"]}
