"""Fuzz entry points for what the sync worker reads from the network.

Each takes raw bytes and feeds them to the worker's real handling as an HTTP answer;
the only acceptable outcome for garbage is a classified `SyncError` (retry, quarantine
or pause), never another exception and never an item marked delivered. The one input that
may deliver is a receipt the district really signed for the item (`signed_receipt`, the
fuzz seed that reaches signature and digest checks).
"""
from __future__ import annotations

import base64
import json
import tempfile
from pathlib import Path

import requests

from foundation.clock import TestClock
from offline_queue.errors import SyncError
from offline_queue.seal import verify_signed
from offline_queue.identity import KioskIdentity
from offline_queue.sink import OutboxSink
from offline_queue.store import Outbox
from offline_queue.sync import SyncWorker, _retry_after
from offline_queue.testing.district_keys import District, enrol
from offline_queue.transport import SignedTransport
from wire.v1 import Receipt, canonical_json, signed_message

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
        self.district = District.generate()
        enrol(directory, self.district)
        self.outbox = Outbox(directory)
        identity = self.identity = KioskIdentity.load(directory)
        item_id = OutboxSink(self.outbox, clock=clock).enqueue(
            "audit", {"action": "fuzz", "actor": "system", "at": "2026-11-26T09:00:00Z"}).item_id
        self.item = self.outbox.get(item_id)
        self.worker = SyncWorker(self.outbox, SignedTransport("http://127.0.0.1:9", "fuzz-kiosk",
                                                              identity.signing_key, clock=clock),
                                 identity, clock=clock)

    def signed_receipt(self) -> bytes:
        """The district's signed receipt for the fuzzer's item, as the server sends it."""
        item = self.item
        receipt = Receipt(submission_id=item.item_id, kiosk_id=item.kiosk_id,
                          kiosk_seq=item.kiosk_seq, digest=item.digest, case_number=None,
                          received_at="2026-11-26T09:00:01Z", server_seq=1)
        signature = self.district.receipt_key.sign(canonical_json(receipt))
        return json.dumps({"receipt": receipt.model_dump(mode="json"),
                           "signature_b64": base64.b64encode(signature).decode()}).encode()

    def put_response(self, data: bytes) -> object:
        """First byte picks the status, the rest is the body of the PUT answer."""
        status = _STATUSES[data[0] % len(_STATUSES)] if data else 200
        accepted = self.worker.accept_put_response(self.item, _response(status, data[1:]))
        stored = self.outbox.get(self.item.item_id)
        raw_signed = json.loads(stored.receipt or "null")
        genuine = isinstance(raw_signed, dict) and verify_signed(
            signed_message(raw_signed, "receipt"), raw_signed.get("signature_b64", ""),
            self.identity.receipt_public_key) and \
            raw_signed["receipt"].get("submission_id") == self.item.item_id
        if not genuine:
            raise AssertionError(f"garbage accepted as a receipt: {accepted}")
        self.outbox.mark_undelivered(self.item.item_id, "fuzz: ready for the next answer")
        return accepted

    @staticmethod
    def retry_after(data: bytes) -> object:
        value = data.decode("latin-1")
        delay = _retry_after(_response(429, b"", {"Retry-After": value,
                                                  "Date": "Thu, 26 Nov 2026 09:00:00 GMT"}))
        if delay is not None and not 0 <= delay < float("inf"):
            raise AssertionError(f"unusable Retry-After {delay}")
        return delay
