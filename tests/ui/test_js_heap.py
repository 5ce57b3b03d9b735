"""Visits leave nothing behind in the QML JavaScript heap: after a journey is started and Home
is pressed, again and again, a full collection finds as much live JavaScript memory as after
the first visits. (Qt 6.11's `Loader.setSource(url, properties)` kept 64 bytes for good on
every screen shown: ~1 KB a citizen session in the soak, docs/benchmarks.md.)

The live figure is V4's own ("Regular item memory after GC", logged under
`qt.qml.gc.allocatorStats` by each collection): read from the stderr of a child process, as
a Python Qt message handler is not safe here (tests/ui/conftest.py)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

VISITS = 30
#: visits before the figure compared: the first ones make what is made once (caches, types)
SETTLED = 10

VISITS_WITH_A_COLLECTION_AFTER_EACH = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QCoreApplication, QEvent
    from foundation.clock import TestClock
    from kiosk.config import load_config
    from tests.ui.journey_stub import QML, SearchViewModel
    from ui.app import ShellApp, application
    from ui.navigator import register_journey

    app = application(["js-heap"], headless=True)
    register_journey("heaptest", SearchViewModel, {"search": "Search.qml"}, base_dir=QML)
    shell = ShellApp(load_config().config, core=None, clock=TestClock(), speech_engine="mock")
    shell.show(windowed=True)
    shell.settle()
    for visit in range(1, int(sys.argv[1]) + 1):
        assert shell.navigator.startJourney("heaptest")
        shell.settle()
        assert shell.screen_name == "heaptest.search"
        shell.navigator.home()
        shell.settle()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()
        shell.view.engine().collectGarbage()
        print(f"visit {visit} done", file=sys.stderr, flush=True)
    shell.close()
""")


def live_js_memory_by_visit(stderr: str) -> dict[int, int]:
    """Each visit's figure: that of the last collection logged before its 'done' line."""
    live, by_visit = None, {}
    for line in stderr.splitlines():
        if found := re.search(r"Regular item memory after GC: (\d+)", line):
            live = int(found.group(1))
        elif found := re.fullmatch(r"visit (\d+) done", line):
            by_visit[int(found.group(1))] = live
    return by_visit


def test_visits_leave_no_live_javascript_memory_behind(tmp_path):
    script = tmp_path / "visits.py"
    script.write_text(VISITS_WITH_A_COLLECTION_AFTER_EACH)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT),
           "QT_LOGGING_RULES": "qt.qml.gc.allocatorStats=true"}
    result = subprocess.run([sys.executable, str(script), str(VISITS)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr[-3000:]
    live = live_js_memory_by_visit(result.stderr)
    assert sorted(live) == list(range(1, VISITS + 1)) and None not in live.values()
    grown = live[VISITS] - live[SETTLED]
    # none now; 192 bytes a visit with the screens' view-model given by setSource
    assert grown < 32 * (VISITS - SETTLED), (f"live JavaScript memory grew by {grown} bytes over "
                        f"{VISITS - SETTLED} visits: {live}")
