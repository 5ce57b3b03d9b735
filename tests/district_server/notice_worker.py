"""One district worker's notice sender, as a process: `python -m
tests.district_server.notice_worker DATABASE_URL` sends every due notice through the real
webhook sender and exits."""
from __future__ import annotations

import os
import sys

from district_server.context import utc_now
from district_server.db import Database
from district_server.notices.senders import WebhookSender
from district_server.notices.service import deliver_due

if __name__ == "__main__":
    db = Database(sys.argv[1])
    sent = deliver_due(db, {"webhook": WebhookSender()}, now=utc_now,
                       worker=f"worker-{os.getpid()}", batch=1)
    print(sent)
    db.dispose()
