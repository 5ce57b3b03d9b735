"""Entry points the CLI hands over to: the kiosk itself and the demo (with its panel)."""
from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable


if TYPE_CHECKING:
    from kiosk.config import KioskConfig
    from kiosk.scenario import Scenario

log = logging.getLogger(__name__)


def restart_for_the_service_manager(app: Any) -> Callable[[], None]:
    """What the district's restart command does in the kiosk: end the Qt loop (on its own
    thread, through a queued signal) with code 1; the service manager (`Restart=always`)
    starts a clean kiosk."""
    from PySide6.QtCore import QObject, Signal

    class RestartRequest(QObject):
        asked = Signal(int)
    request = RestartRequest(app)   # lives on the Qt thread, as long as the application
    request.asked.connect(app.exit)
    return lambda: request.asked.emit(1)


def run_kiosk(start_core: Callable[[], Any], config: KioskConfig, *, windowed: bool,
              orientation: str | None = None) -> int:
    """The kiosk: full screen (or a window for development) until the process is stopped.

    The attract screen comes first, its tiles saying "checking"; `start_core()` (devices,
    queue, face child) and the journeys load after the first frame. `start_core` returns
    None when the kiosk cannot run (it has said why): the application then ends, code 1."""
    from ui.app import ShellApp, application
    from ui.fatal_callback import end_on_unhandled_exception
    from ui.hang_guard import HangGuard
    app = application(sys.argv[:1])
    shell = ShellApp(config, orientation=orientation, core_pending=True)
    restore_excepthook = end_on_unhandled_exception(app, session_active=shell.in_session)
    started: list[Any] = []
    supervised: list[Any] = []  # the systemd watchdog, once the core runs

    def load_the_rest() -> None:
        # the watchdog's device model (pydantic) has no place before the first frame
        from kiosk.watchdog import Watchdog
        from ui.tidy_after_visit import freeze_start_up
        from ui.watchdog_timer import WatchdogTimer
        try:
            core = start_core()
        except Exception:  # in a Qt callback it would be printed and the kiosk left waiting
            log.exception("the kiosk core failed to start")
            traceback.print_exc()
            core = None
        if core is None:
            app.exit(1)
            return
        started.append(core)
        core.on_restart(restart_for_the_service_manager(app))
        shell.attach_core(core)
        # the attract screen with the core's tiles on the screen: a health condition of an
        # update on trial (kiosk/updates.py)
        shell.after_first_frame(lambda: core.update_healthy("attract_drawn"))
        shell.view.update()
        watchdog = WatchdogTimer(Watchdog.for_core(core), parent=app)
        watchdog.start()
        supervised.append(watchdog)
        freeze_start_up()

    shell.after_first_frame(load_the_rest)
    shell.show(windowed=windowed)
    guard = HangGuard(config.ui.hang_restart_s, parent=app)
    if guard.limit_s > 0:
        guard.start()
    try:
        return app.exec()
    finally:
        restore_excepthook()
        guard.stop()
        for watchdog in supervised:
            watchdog.stop()
        shell.close()
        for core in started:
            core.stop()


def run_demo(demo: Any, config: KioskConfig, *, headless: bool, scenario: Scenario | None,
             screenshots: Path | None, orientation: str | None, true_size: bool = False) -> int:
    """Headless: walk the scenario (if any), save PNGs, exit 0/1. Otherwise run windowed
    with the simulator control panel beside the kiosk, scaled to fit unless `true_size`."""
    from ui.app import ShellApp, application
    from ui.scenario_runner import ScenarioRunner, StepFailed

    app = application(sys.argv[:1], headless=headless)
    still_starting = demo.core.wait_settled()
    if still_starting:
        log.warning("devices still starting", extra={"devices": still_starting})
    shell = ShellApp(config, core=demo.core, orientation=orientation,
                     speech_engine="mock" if headless else None)
    try:
        if headless:
            shell.show(windowed=True)
            runner = ScenarioRunner.for_demo(shell, demo, screenshots)
            if scenario is None:
                runner.save("attract")
                return 0
            try:
                saved = runner.run(scenario)
            except StepFailed as failure:
                print(f"scenario {scenario.name!r}: {failure}", file=sys.stderr)
                return 1
            print(f"scenario {scenario.name!r}: {len(scenario.steps)} steps passed, "
                  f"{len(saved)} screenshots" + (f" in {screenshots}" if screenshots else ""))
            return 0
        from ui.control_panel import ControlPanel
        from ui.demo_windows import show_side_by_side
        panel = ControlPanel(demo, shell)
        show_side_by_side(shell.view, panel.view, true_size=true_size)
        code = app.exec()
        panel.close()
        return code
    finally:
        shell.close()
