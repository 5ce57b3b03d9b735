"""The notification outbox: one notice per key, retried with backoff until sent, exactly one
send per key with two worker processes on one database; alerts reach the people on call for
the kiosk's hall, once per alert."""
from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections import Counter
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from district_server.app import AlertSweeper
from district_server.notices.models import Notice
from district_server.notices.rota import add_on_call
from district_server.notices.senders import NoticeNotSent, Outgoing
from district_server.notices.service import deliver_due, enqueue
from tests.district_server.conftest import add_staff, enrolled_kiosk

ROOT = Path(__file__).resolve().parents[2]


class Recorder:
    def __init__(self, failures: int = 0) -> None:
        self.sent: list[Outgoing] = []
        self.failures = failures

    def send(self, notice: Outgoing) -> None:
        if self.failures:
            self.failures -= 1
            raise NoticeNotSent("gateway busy")
        self.sent.append(notice)


def add(ctx, key: str, channel: str = "log", recipient: str = "duty") -> bool:
    with ctx.db.transaction() as session:
        return enqueue(session, notice_key=key, channel=channel, recipient=recipient,
                       hall_code="FT-CENTRE", subject="paper out", body="kiosk 1",
                       now=ctx.now())


def test_a_key_makes_one_notice_and_one_send(ctx):
    assert add(ctx, "k1") and not add(ctx, "k1")
    recorder = Recorder()
    assert deliver_due(ctx.db, {"log": recorder}, now=ctx.now, worker="w1") == 1
    assert deliver_due(ctx.db, {"log": recorder}, now=ctx.now, worker="w1") == 0
    assert [n.notice_key for n in recorder.sent] == ["k1"]


def test_a_failed_send_is_retried_with_backoff(ctx):
    start = ctx.now()
    ctx.now = lambda: start
    add(ctx, "k2")
    recorder = Recorder(failures=2)
    assert deliver_due(ctx.db, {"log": recorder}, now=ctx.now, worker="w1",
                       retry_base_s=30, retry_cap_s=3600) == 0

    def notice():
        with ctx.db.transaction() as session:
            return session.get(Notice, "k2")
    assert notice().next_attempt_at == start + timedelta(seconds=30)
    assert notice().last_error == "gateway busy"
    assert deliver_due(ctx.db, {"log": recorder}, now=ctx.now, worker="w1") == 0  # not yet due
    ctx.now = lambda: start + timedelta(seconds=31)
    deliver_due(ctx.db, {"log": recorder}, now=ctx.now, worker="w1", retry_base_s=30)
    assert notice().next_attempt_at == start + timedelta(seconds=31 + 60)      # doubled
    ctx.now = lambda: start + timedelta(seconds=92)
    assert deliver_due(ctx.db, {"log": recorder}, now=ctx.now, worker="w1") == 1
    assert notice().sent_at is not None and notice().attempts == 3
    assert len(recorder.sent) == 1


class CountingWebhook(BaseHTTPRequestHandler):
    received: Counter

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        assert body["key"] == self.headers["Idempotency-Key"]
        self.received[body["key"]] += 1
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def test_two_worker_processes_send_each_notice_exactly_once(ctx):
    CountingWebhook.received = Counter()
    server = ThreadingHTTPServer(("127.0.0.1", 0), CountingWebhook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    keys = [f"alert-{n}" for n in range(40)]
    for key in keys:
        add(ctx, key, channel="webhook", recipient=url)
    try:
        workers = [subprocess.Popen([sys.executable, "-m", "tests.district_server.notice_worker",
                                     ctx.settings.resolved_database_url()], cwd=ROOT,
                                    stdout=subprocess.PIPE, text=True) for _ in range(2)]
        sent = [int(worker.communicate(timeout=120)[0]) for worker in workers]
    finally:
        server.shutdown()
    assert all(code == 0 for code in (w.returncode for w in workers))
    assert sum(sent) == len(keys)
    assert CountingWebhook.received == Counter({key: 1 for key in keys})


def test_an_alert_reaches_the_people_on_call_for_its_hall_once(ctx, client, kiosk):
    north = enrolled_kiosk(ctx, client, "test-kiosk-002", hall_code="FT-NORTH")
    night, day = (add_staff(ctx, "clerk", "FT-CENTRE", name) for name in ("night", "day"))
    with ctx.db.transaction() as session:
        add_on_call(session, hall_code="FT-CENTRE", staff_id=night, channel="log",
                    recipient="duty-phone", starts_at=ctx.now() - timedelta(hours=1),
                    ends_at=ctx.now() + timedelta(hours=8), now=ctx.now())
        add_on_call(session, hall_code="FT-CENTRE", staff_id=day, channel="log",
                    recipient="day-phone", starts_at=ctx.now() + timedelta(hours=8),
                    ends_at=ctx.now() + timedelta(hours=16), now=ctx.now())
    out = {"receipt_printer": {"availability": "hardwareError", "severity": "error",
                               "kind": "printer", "units": {"paper": "out"}}}
    for reporter in (kiosk, north):
        assert reporter.request("PATCH", f"/v1/kiosks/{reporter.kiosk_id}/state",
                                {"devices": out}).status_code == 200
    recorder = Recorder()
    sweeper = AlertSweeper(ctx, {"log": recorder})
    assert sweeper.sweep_once() == 1
    [notice] = recorder.sent
    assert notice.recipient == "duty-phone" and kiosk.kiosk_id in notice.subject
    assert "paper_out" in notice.subject
    assert sweeper.sweep_once() == 0                       # still open: no second notice
