"""Fetching a bundle from a real HTTP server: signature, hash, resume, bandwidth limit."""
from __future__ import annotations

import concurrent.futures
import threading

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from foundation.clock import TestClock
from offline_queue.bundle_download import BundleDownload, BundleRejected
from offline_queue.errors import TransientError
from offline_queue.transport import SignedTransport
from tests.offline_queue.bundle_server import BundleServer, archive_of, make_bundle_tree
from wire.v1 import sha256_hex


@pytest.fixture
def district_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def server():
    with BundleServer() as running:
        yield running


def downloader(server, directory, key, clock, rate=0) -> BundleDownload:
    transport = SignedTransport(server.url, "kiosk-test-1", Ed25519PrivateKey.generate(),
                                clock=clock)
    return BundleDownload(transport, directory, verify_key=key.public_key(), clock=clock,
                          rate_bytes_per_s=rate)


@pytest.fixture
def archive(tmp_path) -> bytes:
    return archive_of(make_bundle_tree(tmp_path / "tree", "2.0"))


def test_an_interrupted_download_goes_on_from_its_last_byte(tmp_path, server, district_key,
                                                            archive, test_clock):
    server.publish(district_key, "2.0", archive)
    fetch = downloader(server, tmp_path / "dl", district_key, test_clock)
    manifest = fetch.fetch_manifest("2.0")
    half = len(archive) // 2
    server.cut_next_after = half

    with pytest.raises(TransientError, match="broke off|ended after"):
        fetch.fetch_archive(manifest)
    kept = fetch.part_path(manifest).stat().st_size
    assert 0 < kept <= half  # what came before the break, in whole reads

    path = fetch.fetch_archive(manifest)
    assert server.ranges == [None, f"bytes={kept}-"]
    assert sha256_hex(path.read_bytes()) == sha256_hex(archive)
    assert not fetch.part_path(manifest).exists()


def test_a_tampered_archive_is_refused_and_deleted(tmp_path, server, district_key, archive,
                                                   test_clock):
    server.publish(district_key, "2.0", archive)
    server.archives["2.0"] = archive[:-10] + bytes(10)  # same length, other bytes
    fetch = downloader(server, tmp_path / "dl", district_key, test_clock)
    manifest = fetch.fetch_manifest("2.0")

    with pytest.raises(BundleRejected, match="does not match"):
        fetch.fetch_archive(manifest)
    assert not fetch.part_path(manifest).exists()
    assert not fetch.archive_path(manifest).exists()


def test_a_manifest_not_signed_by_the_district_is_refused(tmp_path, server, district_key,
                                                          archive, test_clock):
    server.publish(Ed25519PrivateKey.generate(), "2.0", archive)
    fetch = downloader(server, tmp_path / "dl", district_key, test_clock)
    with pytest.raises(BundleRejected, match="signature"):
        fetch.fetch_manifest("2.0")


def test_the_download_keeps_to_its_bandwidth_on_the_kiosk_clock(tmp_path, server,
                                                                district_key, archive):
    clock = TestClock()
    server.publish(district_key, "2.0", archive)
    rate = 50_000
    fetch = downloader(server, tmp_path / "dl", district_key, clock, rate=rate)
    manifest = fetch.fetch_manifest("2.0")
    needed_s = len(archive) / rate
    assert needed_s > 2  # the archive is large enough for the limit to show
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        future = pool.submit(fetch.fetch_archive, manifest)
        done = threading.Event()
        future.add_done_callback(lambda _: done.set())
        while not done.is_set():
            # the downloader cannot finish before the clock reaches size / rate
            assert clock.monotonic() >= needed_s or not future.done()
            clock.advance(0.5)
            done.wait(0.05)
        assert clock.monotonic() >= needed_s
        assert sha256_hex(future.result().read_bytes()) == sha256_hex(archive)
