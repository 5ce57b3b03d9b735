"""Signed transport: the headers of the wire contract, no redirects, certificate pinning."""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import http.server
import ssl
import threading

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.x509.oid import NameOID

from offline_queue.errors import TransientError
from offline_queue.transport import BodyParts, SignedTransport
from wire.v1 import canonical_request


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: list = []

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        _Recorder.seen.append((self.command, self.path, dict(self.headers), body))
        if self.path.startswith("/redirect"):
            self.send_response(302)
            self.send_header("Location", "http://portal.example/login")
        else:
            self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_PUT = do_POST = _answer

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def recorder():
    _Recorder.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_requests_carry_a_verifiable_signature(recorder, test_clock):
    key = Ed25519PrivateKey.generate()
    transport = SignedTransport(f"http://127.0.0.1:{recorder.server_address[1]}", "kiosk-01",
                                key, clock=test_clock)
    transport.clock_offset_s = 42.0
    transport.request("PUT", "/v1/submissions/x?a=1", body=b'{"n":1}')
    method, path, headers, body = _Recorder.seen[-1]
    assert headers["X-Kiosk-Id"] == "kiosk-01"
    assert int(headers["X-Kiosk-Timestamp"]) == int(test_clock.now().timestamp()) + 42
    assert len(headers["X-Kiosk-Nonce"]) == 32
    key.public_key().verify(base64.b64decode(headers["X-Kiosk-Signature"]), canonical_request(
        method, path, int(headers["X-Kiosk-Timestamp"]), headers["X-Kiosk-Nonce"], body))
    transport.request("GET", "/v1/health")
    assert _Recorder.seen[-1][2]["X-Kiosk-Nonce"] != headers["X-Kiosk-Nonce"]


def test_a_body_in_parts_arrives_whole_with_its_length_and_a_signature_over_it(recorder,
                                                                              test_clock):
    key = Ed25519PrivateKey.generate()
    transport = SignedTransport(f"http://127.0.0.1:{recorder.server_address[1]}", "kiosk-01",
                                key, clock=test_clock)
    parts = [b"\x00\x00\x00\x02", b"{}", bytes(range(256)) * 1000, b"second blob"]
    transport.request("POST", "/v1/submission-batches/binary", body=BodyParts(parts))
    method, path, headers, body = _Recorder.seen[-1]
    assert body == b"".join(parts)
    assert headers["Content-Length"] == str(len(body)) and "Transfer-Encoding" not in headers
    key.public_key().verify(base64.b64decode(headers["X-Kiosk-Signature"]), canonical_request(
        method, path, int(headers["X-Kiosk-Timestamp"]), headers["X-Kiosk-Nonce"], body))


def test_redirects_are_not_followed(recorder, test_clock):
    transport = SignedTransport(f"http://127.0.0.1:{recorder.server_address[1]}", "kiosk-01",
                                Ed25519PrivateKey.generate(), clock=test_clock)
    assert transport.request("GET", "/redirect").status_code == 302
    assert len(_Recorder.seen) == 1


def test_no_server_is_a_transient_error(test_clock):
    transport = SignedTransport("http://127.0.0.1:9", "kiosk-01", Ed25519PrivateKey.generate(),
                                clock=test_clock, timeout_s=2)
    with pytest.raises(TransientError):
        transport.request("GET", "/v1/health")


def _self_signed(tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "district.test")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(1)
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=1)).sign(key, hashes.SHA256()))
    (tmp_path / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def test_tls_with_pinned_certificate(tmp_path, test_clock):
    fingerprint = _self_signed(tmp_path)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"https://127.0.0.1:{server.server_address[1]}"
    try:
        key = Ed25519PrivateKey.generate()
        pinned = SignedTransport(url, "kiosk-01", key, clock=test_clock,
                                 pinned_cert_sha256=fingerprint)
        assert pinned.request("GET", "/v1/health").status_code == 204
        wrong = SignedTransport(url, "kiosk-01", key, clock=test_clock,
                                pinned_cert_sha256="0" * 64)
        with pytest.raises(TransientError, match="pin"):
            wrong.request("GET", "/v1/health")
        unpinned = SignedTransport(url, "kiosk-01", key, clock=test_clock)
        with pytest.raises(TransientError):  # self-signed and not pinned: refused
            unpinned.request("GET", "/v1/health")
    finally:
        server.shutdown()
        server.server_close()
