"""A minimal Qt client for the cage session test: prints its platform, then the size of its
first drawn frame, and quits. Run as a script by tests/deploy/test_cage_session.py."""
import sys

from PySide6.QtCore import QRect, QTimer
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QRasterWindow


class FirstFrame(QRasterWindow):
    def paintEvent(self, event) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        painter.fillRect(QRect(0, 0, self.width(), self.height()), QColor("black"))
        painter.end()
        print(f"first frame {self.width()}x{self.height()}", flush=True)
        QTimer.singleShot(0, QGuiApplication.quit)


if __name__ == "__main__":
    app = QGuiApplication(sys.argv)
    print(f"platform {app.platformName()}", flush=True)
    window = FirstFrame()
    window.showFullScreen()
    sys.exit(app.exec())
