"""The system clock's timers."""
from __future__ import annotations

import threading

from foundation.clock import SystemClock


def test_a_timers_thread_names_who_set_it_and_what_it_calls():
    # a timer is a thread of its own: unnamed, it shows as `Thread-N` among the process's
    # threads and nobody can tell where it comes from (bench/soak.py counts them)
    woken = threading.Event()
    timers = []

    def set_timer() -> None:
        timers.append(SystemClock().call_later(3600, woken.set))
    setter = threading.Thread(target=set_timer, name="queue-sync")
    setter.start()
    setter.join()
    timer = timers[0]
    try:
        assert timer.name == "queue-sync timer (Event.set)"
    finally:
        timer.cancel()
        timer.join()
    assert not woken.is_set()
