"""The bridge puts work on the Qt thread; its queued connection is made on the first post
(not at start: PySide builds Qt's whole namespace for it), whichever thread posts first."""
from __future__ import annotations

import threading

from ui.bridge import QtThreadBridge


def test_the_first_call_from_a_worker_thread_runs_on_the_qt_thread(qapp, qtbot):
    bridge = QtThreadBridge()
    ran_on: list[threading.Thread] = []
    worker = threading.Thread(target=lambda: bridge.call(
        lambda: ran_on.append(threading.current_thread())))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(ran_on))
    assert ran_on == [threading.main_thread()]


def test_a_post_on_the_qt_thread_runs_after_the_current_work(qapp, qtbot):
    bridge = QtThreadBridge()
    order: list[str] = []
    bridge.post(lambda: order.append("posted"))
    order.append("after posting")
    qtbot.waitUntil(lambda: len(order) == 2)
    assert order == ["after posting", "posted"]
