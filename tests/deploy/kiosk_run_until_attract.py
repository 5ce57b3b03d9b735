"""The real `kiosk run` (the CLI's entry point) that says when its attract screen, with the
core's tiles, has been drawn, and then quits: run under cage by
tests/deploy/test_cage_session.py. Nothing in the kiosk's code knows about it."""
import sys

import kiosk.app

update_healthy = kiosk.app.KioskCore.update_healthy


def report_the_attract_screen(core, condition: str) -> None:
    from PySide6.QtCore import QCoreApplication, QTimer
    from PySide6.QtGui import QGuiApplication
    update_healthy(core, condition)
    if condition == "attract_drawn":   # ui/launch.py, after the first frame with the core
        print(f"attract drawn on {QGuiApplication.platformName()}", flush=True)
        QTimer.singleShot(0, QCoreApplication.quit)


if __name__ == "__main__":   # the face child is spawned: it imports this file again
    print("client started", flush=True)
    kiosk.app.KioskCore.update_healthy = report_the_attract_screen
    from launcher.cli import main
    sys.exit(main(sys.argv[1:]))
