"""Signed HTTP to the district server: every request carries the kiosk's Ed25519 signature.

`SignedTransport.request()` is the one way the kiosk talks to the server (the sync worker
here, the citizen-services client in offline_queue/citizen.py). It signs
`wire.v1.canonical_request(...)` with the kiosk key, corrects the timestamp by the clock
offset measured at the last health probe, never follows redirects (a redirect is a
captive portal, not the server), and pins the server certificate's SHA-256 when
configured (then the certificate chain itself is not checked: the pin is the trust).
Network failures become `TransientError`; HTTP statuses are the caller's to classify.
"""
from __future__ import annotations

import base64
import json
import secrets
from typing import Any, Iterator, Mapping

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from requests.adapters import HTTPAdapter

from foundation.clock import Clock
from offline_queue.errors import TransientError
from wire.v1 import canonical_request

HEADER_KIOSK_ID = "X-Kiosk-Id"
HEADER_TIMESTAMP = "X-Kiosk-Timestamp"
HEADER_NONCE = "X-Kiosk-Nonce"
HEADER_SIGNATURE = "X-Kiosk-Signature"


class PinnedCertificateAdapter(HTTPAdapter):
    """Accept a TLS peer only when its certificate's SHA-256 equals the configured pin."""

    def __init__(self, sha256_hex: str, **kwargs: Any) -> None:
        self._fingerprint = sha256_hex.lower()
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["assert_fingerprint"] = self._fingerprint
        super().init_poolmanager(*args, **kwargs)


class BodyParts:
    """A request body sent part after part, never joined into one copy (a batch's 16 MiB of
    blobs); requests sends it with a Content-Length (its `len`: the bytes of all parts)."""

    def __init__(self, parts: list[bytes]) -> None:
        self.parts = parts
        self._length = sum(map(len, parts))

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.parts)

    def __len__(self) -> int:
        return self._length


class SignedTransport:
    def __init__(self, base_url: str, kiosk_id: str, signing_key: Ed25519PrivateKey, *,
                 clock: Clock, timeout_s: float = 10.0, pinned_cert_sha256: str = "",
                 session: requests.Session | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.kiosk_id = kiosk_id
        self._key = signing_key
        self._clock = clock
        self.timeout_s = timeout_s
        #: server time minus local time, seconds (set by the health probe)
        self.clock_offset_s = 0.0
        self.session = session or requests.Session()
        self.session.trust_env = False  # a kiosk never goes through an environment proxy
        if pinned_cert_sha256:
            self.session.mount("https://", PinnedCertificateAdapter(pinned_cert_sha256))
            self.session.verify = False

    def url(self, path: str) -> str:
        return self.base_url + path

    def request(self, method: str, path: str, *, body: bytes | BodyParts | None = None,
                json_body: Any = None, headers: Mapping[str, str] | None = None,
                signed: bool = True, timeout_s: float | None = None,
                stream: bool = False) -> requests.Response:
        """Send one request; raise `TransientError` when no HTTP response came back.

        With `stream=True` it returns as soon as the status line and headers are in; the
        caller reads the body (and handles its loss)."""
        all_headers = dict(headers or {})
        if json_body is not None:
            body = json.dumps(json_body, separators=(",", ":"), ensure_ascii=False).encode()
            all_headers.setdefault("Content-Type", "application/json")
        prepared = self.session.prepare_request(
            requests.Request(method.upper(), self.url(path), data=body, headers=all_headers))
        if signed:
            prepared.headers.update(self.signature_headers(
                prepared.method or method.upper(), prepared.path_url, body or b""))
        try:
            return self.session.send(prepared, timeout=timeout_s or self.timeout_s,
                                     allow_redirects=False, stream=stream)
        except requests.exceptions.SSLError as error:
            raise TransientError(f"TLS to {self.base_url} failed (certificate pin or "
                                 f"handshake): {error}") from error
        except requests.RequestException as error:
            raise TransientError(f"{method.upper()} {path}: {type(error).__name__}: "
                                 f"{error}") from error

    def signature_headers(self, method: str, path_with_query: str,
                          body: bytes | BodyParts) -> dict[str, str]:
        timestamp = int(self._clock.now().timestamp() + self.clock_offset_s)
        nonce = secrets.token_hex(16)
        message = canonical_request(method, path_with_query, timestamp, nonce, body)
        return {
            HEADER_KIOSK_ID: self.kiosk_id,
            HEADER_TIMESTAMP: str(timestamp),
            HEADER_NONCE: nonce,
            HEADER_SIGNATURE: base64.b64encode(self._key.sign(message)).decode(),
        }

    def close(self) -> None:
        self.session.close()
