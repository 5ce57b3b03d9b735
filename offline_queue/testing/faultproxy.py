"""A fault-injecting HTTP proxy for the network fault tests and `bench/sync.py`.

It sits between the kiosk and a live district server on loopback and forwards each
request (one per connection, `Connection: close`), unless a queued `Fault` matches the
request; then it misbehaves the way real networks do:

- `drop`           close the connection before anything reaches the server
- `reset_request`  forward half the request body, then reset both sides (RST)
- `hold`           keep the request until `Fault.release` is set (a slow link: the client
                   times out), then forward it anyway
- `respond`        answer itself with a canned status/headers/body (5xx, 429 + Retry-After,
                   a captive portal's 200 login page)
- `lose_response`  forward, let the server commit, read its response, and reset the
                   client connection instead of delivering it
- `reset_response` forward and deliver only the first half of the response, then RST
- `cut_response`   forward and deliver only the first half of the response, then close
                   cleanly: the client keeps every byte delivered (a RST may discard
                   what it has not read yet) and sees a body shorter than its length
- `tamper_response` forward, let the server commit, and deliver its response with the body
                   changed by `Fault.rewrite` (a man in the middle altering a receipt)

Faults are consumed in order; each applies to `times` matching requests, after letting
`after` of them through.
"""
from __future__ import annotations

import http.client
import re
import socket
import socketserver
import struct
import threading
from dataclasses import dataclass, field
from typing import Callable

_KINDS = ("drop", "reset_request", "hold", "respond", "lose_response", "reset_response",
          "cut_response", "tamper_response")


@dataclass
class Fault:
    kind: str
    method: str = ""                       # empty: any method
    path: str = ""                         # regex searched in the path; empty: any path
    times: int = 1
    after: int = 0                         # let this many matching requests through first
    status: int = 503                      # for `respond`
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    rewrite: Callable[[bytes], bytes] | None = None   # for `tamper_response`
    release: threading.Event = field(default_factory=threading.Event)  # for `hold`
    hits: int = 0
    passed: int = 0

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise ValueError(f"unknown fault {self.kind!r}; one of {_KINDS}")

    def matches(self, method: str, path: str) -> bool:
        return (not self.method or self.method == method) and \
            (not self.path or re.search(self.path, path) is not None)


@dataclass
class Seen:
    method: str
    path: str
    fault: str | None
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class FaultProxy:
    """`with FaultProxy(upstream_host, upstream_port) as proxy: proxy.url ...`"""

    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self.seen: list[Seen] = []
        proxy = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                proxy._handle(self.request)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self._server = Server(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        name="fault-proxy")

    def __enter__(self) -> "FaultProxy":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            for fault in self._faults:
                fault.release.set()
        self._server.shutdown()
        self._server.server_close()

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def inject(self, kind: str, **options: object) -> Fault:
        return self.add(Fault(kind, **options))  # type: ignore[arg-type]

    def pending_faults(self) -> int:
        with self._lock:
            return sum(f.times - f.hits for f in self._faults)

    def _take(self, method: str, path: str, body: bytes,
              headers: dict[str, str]) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.hits < fault.times and fault.matches(method, path):
                    if fault.passed < fault.after:
                        fault.passed += 1
                        continue
                    fault.hits += 1
                    self.seen.append(Seen(method, path, fault.kind, body, headers))
                    return fault
            self.seen.append(Seen(method, path, None, body, headers))
            return None

    # --- one connection ------------------------------------------------------------------

    def _handle(self, client: socket.socket) -> None:
        request = _read_request(client)
        if request is None:
            return
        method, path, headers, body = request
        fault = self._take(method, path, body, headers)
        kind = fault.kind if fault else None
        if kind == "drop":
            client.close()
            return
        if kind == "respond":
            assert fault is not None
            client.sendall(_response_bytes(fault.status, fault.headers, fault.body))
            return
        if kind == "hold":
            assert fault is not None
            fault.release.wait()
        upstream = http.client.HTTPConnection(*self.upstream, timeout=60)
        try:
            if kind == "reset_request":
                _send_partial_then_reset(upstream, method, path, headers, body)
                _reset(client)
                return
            forwarded = {k: v for k, v in headers.items()
                         if k.lower() not in ("connection", "keep-alive")}
            forwarded["Connection"] = "close"
            upstream.request(method, path, body=body, headers=forwarded)
            response = upstream.getresponse()
            payload = response.read()
            if kind == "tamper_response":
                assert fault is not None and fault.rewrite is not None
                payload = fault.rewrite(payload)
            raw = _response_bytes(response.status, dict(response.getheaders()), payload,
                                  reason=response.reason)
        except OSError:
            _reset(client)
            return
        finally:
            upstream.close()
        if kind == "lose_response":
            _reset(client)
            return
        if kind in ("reset_response", "cut_response"):
            client.sendall(raw[: len(raw) // 2])
            if kind == "reset_response":
                _reset(client)
            return
        client.sendall(raw)


def _read_request(client: socket.socket) -> tuple[str, str, dict[str, str], bytes] | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = client.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path, _version = lines[0].split(" ", 2)
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip()] = value.strip()
    length = int(next((v for k, v in headers.items() if k.lower() == "content-length"), "0"))
    body = rest
    while len(body) < length:
        chunk = client.recv(min(65536, length - len(body)))
        if not chunk:
            return None
        body += chunk
    return method, path, headers, body


def _response_bytes(status: int, headers: dict[str, str], body: bytes,
                    reason: str = "") -> bytes:
    skip = ("connection", "keep-alive", "transfer-encoding", "content-length")
    lines = [f"HTTP/1.1 {status} {reason or http.client.responses.get(status, '')}"]
    lines += [f"{k}: {v}" for k, v in headers.items() if k.lower() not in skip]
    lines += [f"Content-Length: {len(body)}", "Connection: close"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def _send_partial_then_reset(upstream: http.client.HTTPConnection, method: str, path: str,
                             headers: dict[str, str], body: bytes) -> None:
    upstream.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    for name, value in headers.items():
        upstream.putheader(name, value)
    upstream.endheaders()
    upstream.send(body[: len(body) // 2])
    if upstream.sock is not None:
        _reset(upstream.sock)


def _reset(sock: socket.socket) -> None:
    """Close with RST (SO_LINGER 0): the peer sees 'connection reset', not a clean end."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    sock.close()
