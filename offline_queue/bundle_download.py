"""Fetching an application bundle from the district: the signed manifest, then the archive.

The manifest (`wire.v1.SignedBundleManifest`) is verified like the desired state: Ed25519 by
the district's receipt key over `signed_message` of the JSON as received. The archive comes
in the background, resumably: the bytes received so far stay in `<version>.part` and the next
attempt asks for the rest with an HTTP Range; it is read no faster than `rate_bytes_per_s`
(the kiosk shares its line with citizens' uploads). Only an archive of the manifest's length
and sha256 is kept; anything else is deleted and refused (`BundleRejected`).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import threading
from pathlib import Path
from typing import Callable
from urllib.parse import quote

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import ValidationError

from foundation.clock import Clock
from offline_queue.errors import TransientError
from offline_queue.fileio import sha256_of_file
from offline_queue.seal import verify_signed
from offline_queue.sync import raise_for_global_status
from offline_queue.transport import SignedTransport
from wire.v1 import PATH_BUNDLE_ARCHIVE, PATH_BUNDLE_MANIFEST, BundleManifest, \
    SignedBundleManifest, signed_message

READ_BYTES = 64 * 1024
_CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+|\*)$")


class BundleRejected(ValueError):
    """A bundle that must never be installed: a bad signature, a wrong length or hash."""


class NotEnoughSpace(TransientError):
    """No room on the disk for the archive and its unpacked tree: tried again at the next
    check (housekeeping may free some)."""


class DownloadStopped(Exception):
    """The download was asked to stop (the kiosk is shutting down); the part is kept."""


class _Throttle:
    """At most `rate` bytes a second on average since the download started, on the kiosk
    clock (0: no limit)."""

    def __init__(self, clock: Clock, rate: int, stop: threading.Event) -> None:
        self.clock = clock
        self.rate = rate
        self.stop = stop
        self.started = clock.monotonic()
        self.sent = 0

    def took(self, count: int) -> None:
        self.sent += count
        if self.rate <= 0:
            return
        wait = self.started + self.sent / self.rate - self.clock.monotonic()
        if wait > 0 and self.clock.wait(self.stop, wait):
            raise DownloadStopped()


class BundleDownload:
    def __init__(self, transport: SignedTransport, directory: Path, *,
                 verify_key: Ed25519PublicKey, clock: Clock, rate_bytes_per_s: int = 0,
                 stop: threading.Event | None = None,
                 free_bytes: Callable[[Path], int] = lambda path: shutil.disk_usage(path).free
                 ) -> None:
        self.transport = transport
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.verify_key = verify_key
        self.clock = clock
        self.rate_bytes_per_s = rate_bytes_per_s
        self.stop = stop or threading.Event()
        #: free space on the disk holding a directory (a test gives a full disk)
        self.free_bytes = free_bytes

    def fetch_manifest(self, version: str) -> BundleManifest:
        path = PATH_BUNDLE_MANIFEST.format(version=quote(version, safe=""))
        response = self.transport.request("GET", path)
        if response.status_code != 200:
            raise_for_global_status(response, f"bundle manifest {version}")
            raise TransientError(f"bundle manifest {version}: {response.status_code}")
        try:
            raw = json.loads(response.content)
            signed = SignedBundleManifest.model_validate(raw)
            message = signed_message(raw, "manifest")
        except (ValueError, ValidationError) as error:
            raise BundleRejected(f"bundle manifest {version} is malformed: {error}") from error
        if not verify_signed(message, signed.signature_b64, self.verify_key):
            raise BundleRejected(f"bundle manifest {version}: the district's signature "
                                 "does not verify")
        if signed.manifest.version != version:
            raise BundleRejected(f"bundle manifest {version} names version "
                                 f"{signed.manifest.version}")
        return signed.manifest

    def part_path(self, manifest: BundleManifest) -> Path:
        return self.directory / f"{manifest.version}.part"

    def archive_path(self, manifest: BundleManifest) -> Path:
        return self.directory / f"{manifest.version}.tar.gz"

    def fetch_archive(self, manifest: BundleManifest) -> Path:
        """The verified archive of `manifest`, fetching what is missing.

        Raises TransientError when the connection fails (call again: it goes on from the
        last byte kept), NotEnoughSpace when the disk has no room for the rest of the archive
        and its unpacked tree, BundleRejected when the whole archive does not match."""
        done = self.archive_path(manifest)
        part = self.part_path(manifest)
        have = manifest.archive_bytes if done.exists() else \
            part.stat().st_size if part.exists() else 0
        self._check_space(manifest, max(0, manifest.archive_bytes - have))
        if done.exists():
            return done
        if have > manifest.archive_bytes:
            part.unlink()
            have = 0
        if have < manifest.archive_bytes:
            self._fetch_from(manifest, part, have)
        size = part.stat().st_size
        if size < manifest.archive_bytes:
            raise TransientError(f"bundle {manifest.version}: the download ended after "
                                 f"{size} of {manifest.archive_bytes} bytes")
        if size != manifest.archive_bytes or sha256_of_file(part) != manifest.archive_sha256:
            part.unlink()
            raise BundleRejected(f"bundle {manifest.version}: the archive ({size} bytes) does "
                                 "not match the signed manifest's length and sha256")
        os.replace(part, done)
        return done

    def _check_space(self, manifest: BundleManifest, to_fetch: int) -> None:
        # the slots are on the disk of the download directory (both under the install root)
        needed = to_fetch + (manifest.unpacked_bytes or 0)
        free = self.free_bytes(self.directory)
        if free < needed:
            raise NotEnoughSpace(
                f"bundle {manifest.version} needs {needed} bytes (the archive's "
                f"{to_fetch} still to fetch and {manifest.unpacked_bytes or 0} unpacked); "
                f"{free} are free on the disk of {self.directory}")

    def _fetch_from(self, manifest: BundleManifest, part: Path, offset: int) -> None:
        path = PATH_BUNDLE_ARCHIVE.format(version=quote(manifest.version, safe=""))
        headers = {"Range": f"bytes={offset}-"} if offset else {}
        response = self.transport.request("GET", path, headers=headers, stream=True)
        try:
            if response.status_code == 206:
                match = _CONTENT_RANGE.match(response.headers.get("Content-Range", ""))
                if not match or int(match.group(1)) != offset:
                    raise TransientError(f"bundle {manifest.version}: the server answered "
                                         "a range other than the one asked for")
                mode = "ab"
            elif response.status_code == 200:  # the server ignored the Range: start over
                mode = "wb"
            else:
                raise_for_global_status(response, f"bundle {manifest.version}")
                raise TransientError(f"bundle {manifest.version}: {response.status_code}")
            throttle = _Throttle(self.clock, self.rate_bytes_per_s, self.stop)
            with part.open(mode) as out:
                try:
                    for chunk in response.iter_content(READ_BYTES):
                        out.write(chunk)
                        out.flush()
                        if out.tell() > manifest.archive_bytes:
                            break  # longer than signed: refused below
                        if self.stop.is_set():
                            raise DownloadStopped()
                        throttle.took(len(chunk))
                except requests.RequestException as error:
                    raise TransientError(f"bundle {manifest.version}: the download broke "
                                         f"off after {out.tell()} bytes ({error})") from error
                os.fsync(out.fileno())
        finally:
            response.close()
