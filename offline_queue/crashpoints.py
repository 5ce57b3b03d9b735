"""Named kill points for the crash test.

`KIOSK_CRASH_AT=<boundary>` makes the process SIGKILL itself the moment it first reaches
that boundary. Unset, a crash point costs one dictionary lookup. The boundaries are the places where
a power cut must not lose or duplicate anything.
"""
from __future__ import annotations

import os
import signal

BOUNDARIES = (
    "item_uncommitted",    # the item and its blobs written in the outbox transaction, no COMMIT
    "local_committed",     # the outbox transaction committed, the caller not yet told
    "receipt_shown",       # the citizen saw the case number (reached by the caller)
    "server_committed",    # the server stored the submission; its response not yet read
    "response_arrived",    # the signed receipt is in memory, not yet recorded
    "marked_delivered",    # the item is recorded as delivered
)


def crash_point(boundary: str) -> None:
    if os.environ.get("KIOSK_CRASH_AT") == boundary:
        os.kill(os.getpid(), signal.SIGKILL)
