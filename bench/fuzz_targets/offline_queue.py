"""Offline-queue handling of outside bytes: the server's answers to a submission PUT and
the Retry-After header (offline_queue/testing/fuzz.py feeds them to the real worker).
The seeds include a receipt the district signed, so mutations reach the signature, id and
digest checks."""
from __future__ import annotations

from offline_queue.testing.fuzz import CLEAR_ERRORS, ResponseFuzzer

_FUZZER = ResponseFuzzer()

MODULES = ["offline_queue.sync", "offline_queue.transport", "offline_queue.seal", "wire.v1"]

TARGETS = {
    "queue_put_response": (_FUZZER.put_response, CLEAR_ERRORS),
    "queue_retry_after": (ResponseFuzzer.retry_after, ()),
}

SEEDS = {
    "queue_put_response": [b"\x00" + _FUZZER.signed_receipt(), b"\x01" + _FUZZER.signed_receipt(),
                           b"\x08" + b'{"error":"invalid","detail":"x"}', b"\x0b{\"missing\":[]}"],
    "queue_retry_after": [b"120", b"Thu, 26 Nov 2026 09:02:00 GMT", b"-5", b"1e309"],
}
