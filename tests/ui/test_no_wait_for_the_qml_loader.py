"""The setSource/GIL freeze's mechanism (docs/known-issues.md): the main thread must never wait
for Qt's QML type loader thread while it holds the GIL, or any call from that thread into
Python freezes the process for good.

Each run is the headless demo in its own process with Python placed on the loader thread's
path, so that any such wait freezes it at once instead of rarely:
- a Python URL interceptor on the shell's engine: the loader thread calls it for every file
  and import it resolves, so any synchronous QML load started with the GIL held freezes;
- a Python Qt message handler (the way the freeze was first seen: the loader thread warns
  while compiling the virtual keyboard, "qt.qml.propertyCache.append ... PopupList").
The scenario reaches a journey screen, the virtual keyboard (a text field focused) and the
search results. Without `ui/qml_preload.py` (QML compiled ahead) and `ui/input_events.py`
(input delivered by the Qt loop) both froze at the first typed text, every time."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCENARIO = textwrap.dedent("""\
    name: python_on_the_qml_loader_thread
    steps:
      - expect_screen: attract
      - tap: tile_apply
      - wait_for: {screen: apply.browse, timeout_s: 5}
      - type: {target: search_field, text: "档案"}
      - tap: search_button
      - wait_for: {screen: apply.search, timeout_s: 5}
""")

DEMO_WITH_PYTHON_ON_THE_LOADER_THREAD = textwrap.dedent("""
    import multiprocessing
    import sys
    import threading

    if __name__ == "__main__":
        multiprocessing.freeze_support()
        from PySide6.QtCore import qInstallMessageHandler
        from PySide6.QtQml import QQmlAbstractUrlInterceptor
        import ui.app

        called_off_main = []

        class Interceptor(QQmlAbstractUrlInterceptor):
            def intercept(self, url, kind):
                if threading.current_thread() is not threading.main_thread():
                    called_off_main.append(url)
                return url

        def handler(kind, context, message):
            pass

        interceptors = []
        log_qml_warnings = ui.app.log_qml_warnings

        def with_interceptor(engine):  # ShellApp passes its engine before loading any QML
            interceptors.append(Interceptor())
            engine.addUrlInterceptor(interceptors[-1])
            log_qml_warnings(engine)

        if sys.argv[1] == "interceptor":
            ui.app.log_qml_warnings = with_interceptor
        else:
            qInstallMessageHandler(handler)
        from launcher.cli import main
        code = main(sys.argv[2:])
        print("python called on the loader thread:", bool(called_off_main), flush=True)
        sys.exit(code)
""")


@pytest.mark.parametrize("python_on_the_loader_thread", ["interceptor", "message_handler"])
def test_the_demo_walks_while_the_qml_loader_thread_calls_python(tmp_path,
                                                                 python_on_the_loader_thread):
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    script = tmp_path / "demo.py"
    script.write_text(DEMO_WITH_PYTHON_ON_THE_LOADER_THREAD)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    # a frozen demo never exits: the timeout is the freeze's only symptom
    result = subprocess.run(
        [sys.executable, str(script), python_on_the_loader_thread,
         "--data-dir", str(tmp_path / "data"), "demo", "--headless", "--scenario",
         str(scenario)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "6 steps passed" in result.stdout
    if python_on_the_loader_thread == "interceptor":
        assert "python called on the loader thread: True" in result.stdout
