"""The Qt binding the kiosk ships with keeps Python's reference counts intact.

PySide6 6.12.0 dropped a reference to `True` on every `Signal.emit()`; on Python 3.11 the
interpreter then aborts after ~10,000 emits, minutes into a kiosk's day. This runs the
emits in a child process so that a broken binding fails this test instead of the run."""
from __future__ import annotations

import subprocess
import sys

PROGRAM = """
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal

class Emitter(QObject):
    bare = Signal()
    flag = Signal(bool)

app = QCoreApplication([])
emitter = Emitter()
before = sys.getrefcount(True)
for _ in range(20000):
    emitter.bare.emit()
    emitter.flag.emit(False)
print(sys.getrefcount(True) - before)
"""


def test_signal_emits_do_not_leak_or_steal_references():
    result = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True,
                            timeout=120, env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin"})
    assert result.returncode == 0, result.stderr[-500:]
    assert abs(int(result.stdout.strip())) < 100
