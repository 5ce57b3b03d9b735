"""`kiosk run`: the attract screen first, the core after it; a core that cannot start ends
the process with the same exit code and message as before the window existed."""
from __future__ import annotations

import os
import subprocess
import sys


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
