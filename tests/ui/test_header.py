"""The header tells the day (date and weekday) and, while a citizen is here, how many seconds
an untouched screen has left before it clears the visit; a touch starts the count again."""
from __future__ import annotations


def _refresh(shell):
    shell.shell._update_time()   # the band's once-a-second tick, on the test clock
    shell.settle()


def test_the_header_shows_the_date_weekday_and_the_visit_countdown(shell, test_clock,
                                                                   kiosk_config):
    now = test_clock.now().astimezone()
    weekday = "一二三四五六日"[now.weekday()]
    _refresh(shell)
    assert shell.find("date").property("text") == f"{now.month}月{now.day}日 星期{weekday}"
    assert shell.find("session_countdown") is None      # nobody here: nothing counts down
    shell.shell.setElderMode(False)   # a touch: a citizen is here
    _refresh(shell)
    session = kiosk_config.session
    full = int(session.idle_timeout_s + session.idle_warning_s)
    assert shell.find("session_countdown").property("text") == f"剩余 {full} 秒"
    test_clock.advance(10)
    _refresh(shell)
    assert shell.find("session_countdown").property("text") == f"剩余 {full - 10} 秒"
    shell.shell.setLanguage("en_US")   # a touch: the count starts again
    _refresh(shell)
    assert shell.find("session_countdown").property("text") == f"{full} s left"
    assert str(now.day) in shell.find("date").property("text")
