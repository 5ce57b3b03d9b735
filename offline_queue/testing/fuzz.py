"""Fuzz entry points for what the sync worker reads from the network.

Each takes raw bytes and feeds them to the worker's real handling as an HTTP answer;
the only acceptable outcome for garbage is a classified `SyncError` (retry, quarantine
or pause), never another exception and never an item marked delivered.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import requests

from foundation.clock import TestClock
from offline_queue.errors import SyncError
from offline_queue.identity import KioskIdentity
from offline_queue.sink import OutboxSink
from offline_queue.store import Outbox
from offline_queue.sync import SyncWorker, _retry_after
from offline_queue.testing.district_keys import District, enrol
from offline_queue.transport import SignedTransport

CLEAR_ERRORS = (SyncError,)
_STATUSES = (200, 201, 204, 301, 400, 401, 403, 404, 409, 413, 422, 424, 429, 500, 503)


def _response(status: int, body: bytes, headers: dict[str, str] | None = None
              ) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = body
    response.headers.update(headers or {})
    return response


class ResponseFuzzer:
    def __init__(self, directory: Path | None = None) -> None:
        directory = Path(directory or tempfile.mkdtemp(prefix="queue-fuzz-"))
        clock = TestClock()
        enrol(directory, District.generate())
        self.outbox = Outbox(directory)
        identity = KioskIdentity.load(directory)
        item_id = OutboxSink(self.outbox, clock=clock).enqueue(
            "audit", {"action": "fuzz", "actor": "system", "at": "2026-11-26T09:00:00Z"}).item_id
        self.item = self.outbox.get(item_id)
        self.worker = SyncWorker(self.outbox, SignedTransport("http://127.0.0.1:9", "fuzz-kiosk",
                                                              identity.signing_key, clock=clock),
                                 identity, clock=clock)

    def put_response(self, data: bytes) -> object:
        """First byte picks the status, the rest is the body of the PUT answer."""
        status = _STATUSES[data[0] % len(_STATUSES)] if data else 200
        accepted = self.worker._accept_put_response(self.item, _response(status, data[1:]))
        raise AssertionError(f"garbage accepted as a receipt: {accepted}")

    @staticmethod
    def retry_after(data: bytes) -> object:
        value = data.decode("latin-1")
        delay = _retry_after(_response(429, b"", {"Retry-After": value,
                                                  "Date": "Thu, 26 Nov 2026 09:00:00 GMT"}))
        if delay is not None and not 0 <= delay < float("inf"):
            raise AssertionError(f"unusable Retry-After {delay}")
        return delay
