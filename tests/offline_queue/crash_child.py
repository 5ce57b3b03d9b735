"""One life of a kiosk process for the crash test (run by crashtest.py, killed by it).

`submit`: capture one application with three attachments, print `SHOWN <id> <case>`
(the receipt screen: from here on the citizen holds a case number), pass the
`receipt_shown` crash point, then run one sync cycle. `drain`: only sync. The process
dies wherever KIOSK_CRASH_AT says (offline_queue.crashpoints).

    python -m tests.offline_queue.crash_child --queue DIR --server URL --mode submit --n 3
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from foundation.clock import SystemClock
from offline_queue.crashpoints import crash_point
from offline_queue.identity import KioskIdentity
from offline_queue.sink import OutboxSink
from offline_queue.store import Outbox
from offline_queue.sync import SyncSettings, SyncWorker
from offline_queue.transport import SignedTransport
from tests.offline_queue.helpers import application


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queue", type=Path, required=True)
    parser.add_argument("--server", required=True)
    parser.add_argument("--mode", choices=["submit", "drain"], required=True)
    parser.add_argument("--n", type=int, default=0)
    args = parser.parse_args(argv)
    clock = SystemClock()
    outbox = Outbox(args.queue)
    identity = KioskIdentity.load(args.queue)
    if args.mode == "submit":
        pages = {f"blob:page{i}": f"page {i} of application {args.n} ".encode() * 800
                 for i in range(3)}
        done = OutboxSink(outbox, clock=clock).enqueue("submission",
                                                       application(args.n, pages=3), pages)
        print(f"SHOWN {done.item_id} {done.case_number}", flush=True)
        crash_point("receipt_shown")
    transport = SignedTransport(args.server, identity.kiosk_id, identity.signing_key,
                                clock=clock, timeout_s=30)
    worker = SyncWorker(outbox, transport, identity, clock=clock,
                        settings=SyncSettings(delivered_retention_s=10 * 365 * 86400.0))
    result = worker.sync_once()
    print("RESULT " + json.dumps({"ok": result.ok, "delivered": result.delivered,
                                  "error": result.error, "pending": outbox.counts().pending}),
          flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
