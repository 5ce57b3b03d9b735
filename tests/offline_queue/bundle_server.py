"""A real HTTP server publishing application bundles as the district would (signed manifest,
archive with Range), able to break a response off mid-way; and bundles made in the test
(small trees whose `kiosk` prints their version)."""
from __future__ import annotations

import base64
import io
import random
import re
import tarfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from wire.v1 import canonical_json, sha256_hex


def make_bundle_tree(directory: Path, version: str) -> Path:
    """A tree standing in for a PyInstaller bundle: `kiosk` prints the version."""
    directory.mkdir(parents=True)
    (directory / "kiosk").write_text(f"#!/bin/sh\necho {version}\n")
    (directory / "kiosk").chmod(0o755)
    (directory / "_internal").mkdir()
    # incompressible, so the archive is large enough to be cut and throttled
    (directory / "_internal" / "base_library.zip").write_bytes(
        random.Random(version).randbytes(300_000))
    return directory


def archive_of(tree: Path) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for path in sorted(tree.rglob("*")):
            tar.add(path, arcname=str(path.relative_to(tree)), recursive=False)
    return buffer.getvalue()


def unpacked_size(archive: bytes) -> int:
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        return sum(member.size for member in tar.getmembers() if member.isfile())


def signed_manifest(key: Ed25519PrivateKey, version: str, archive: bytes) -> bytes:
    manifest = {"version": version, "archive_sha256": sha256_hex(archive),
                "archive_bytes": len(archive)}
    try:
        manifest["unpacked_bytes"] = unpacked_size(archive)
    except (tarfile.TarError, EOFError):  # a broken archive signed all the same
        pass
    signature = base64.b64encode(key.sign(canonical_json(manifest))).decode()
    return canonical_json({"manifest": manifest, "signature_b64": signature})


class BundleServer:
    """Serves /v1/bundles/<version>/manifest and /archive; `cut_next_after` makes the next
    archive response stop after that many body bytes (the connection then closes)."""

    def __init__(self) -> None:
        self.manifests: dict[str, bytes] = {}
        self.archives: dict[str, bytes] = {}
        self.ranges: list[str | None] = []
        self.cut_next_after: int | None = None
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                match = re.fullmatch(r"/v1/bundles/([0-9.]+)/(manifest|archive)", self.path)
                if not match:
                    self.send_error(404)
                    return
                version, what = match.groups()
                if what == "manifest":
                    self._send(200, server.manifests[version], {}, None)
                    return
                body = server.archives[version]
                asked = self.headers.get("Range")
                server.ranges.append(asked)
                start = int(re.fullmatch(r"bytes=(\d+)-", asked).group(1)) if asked else 0
                headers = {"Content-Range": f"bytes {start}-{len(body) - 1}/{len(body)}"} \
                    if asked else {}
                cut, server.cut_next_after = server.cut_next_after, None
                self._send(206 if asked else 200, body[start:], headers, cut)

            def _send(self, status: int, body: bytes, headers: dict[str, str],
                      cut: int | None) -> None:
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if cut is not None:
                    self.wfile.write(body[:cut])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True,
                                       name="bundle-server")

    def publish(self, key: Ed25519PrivateKey, version: str, archive: bytes) -> None:
        self.manifests[version] = signed_manifest(key, version, archive)
        self.archives[version] = archive

    def __enter__(self) -> "BundleServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
