"""Content-addressed resumable blob upload: cut at every chunk and resumed, per-chunk and
full-hash checks, lost responses, limits; small blobs taken whole in one request."""
from __future__ import annotations

import errno
import os

import pytest

from district_server.blobs.store import BlobStore
from tests.district_server.conftest import enrolled_kiosk
from wire import v1

CHUNK = 1000


def patch(kiosk, upload_id: str, offset: int, chunk: bytes, checksum: str | None = None):
    return kiosk.request("PATCH", f"/v1/blobs/uploads/{upload_id}", chunk, headers={
        v1.HEADER_UPLOAD_OFFSET: str(offset),
        v1.HEADER_CHUNK_SHA256: checksum or v1.sha256_hex(chunk),
        "Content-Type": "application/octet-stream"})


def create(kiosk, data: bytes):
    return kiosk.request("POST", f"/v1/blobs/{v1.sha256_hex(data)}/uploads",
                         {"length": len(data)})


@pytest.mark.parametrize("cut_after", range(5))
def test_upload_cut_after_every_chunk_resumes_without_resending(kiosk, cut_after):
    data = os.urandom(5 * CHUNK - 7)
    sha = v1.sha256_hex(data)
    first = create(kiosk, data)
    assert first.status_code == 201
    upload_id = first.json()["upload_id"]
    for index in range(cut_after):
        assert patch(kiosk, upload_id, index * CHUNK,
                     data[index * CHUNK:(index + 1) * CHUNK]).status_code == 200
    # The kiosk restarts and forgot the upload id: creating again resumes the same upload.
    resumed = create(kiosk, data)
    assert resumed.status_code == 200
    assert resumed.json()["upload_id"] == upload_id
    offset = resumed.json()["offset"]
    assert offset == cut_after * CHUNK
    head = kiosk.request("HEAD", f"/v1/blobs/uploads/{upload_id}")
    assert head.headers[v1.HEADER_UPLOAD_OFFSET] == str(offset)
    assert kiosk.request("HEAD", f"/v1/blobs/{sha}").status_code == 404
    while offset < len(data):
        response = patch(kiosk, upload_id, offset, data[offset:offset + CHUNK])
        assert response.status_code == 200, response.text
        offset = response.json()["offset"]
    assert response.json()["complete"] is True
    assert kiosk.request("HEAD", f"/v1/blobs/{sha}").status_code == 200
    again = create(kiosk, data)
    assert again.status_code == 200 and again.json()["complete"] is True


def test_a_chunk_resent_after_a_lost_response_gets_409_with_the_offset(kiosk):
    data = os.urandom(3 * CHUNK)
    upload_id = create(kiosk, data).json()["upload_id"]
    assert patch(kiosk, upload_id, 0, data[:CHUNK]).status_code == 200
    resent = patch(kiosk, upload_id, 0, data[:CHUNK])
    assert resent.status_code == 409
    assert resent.headers[v1.HEADER_UPLOAD_OFFSET] == str(CHUNK)


def test_bad_chunk_checksum_is_400_and_nothing_is_kept(kiosk):
    data = os.urandom(2 * CHUNK)
    upload_id = create(kiosk, data).json()["upload_id"]
    response = patch(kiosk, upload_id, 0, data[:CHUNK], checksum="0" * 64)
    assert response.status_code == 400 and response.json()["error"] == "chunk_checksum_mismatch"
    head = kiosk.request("HEAD", f"/v1/blobs/uploads/{upload_id}")
    assert head.headers[v1.HEADER_UPLOAD_OFFSET] == "0"


def test_bytes_that_do_not_hash_to_the_name_are_never_published(kiosk):
    data = os.urandom(2 * CHUNK)
    sha = v1.sha256_hex(data)
    upload_id = kiosk.request("POST", f"/v1/blobs/{sha}/uploads",
                              {"length": len(data)}).json()["upload_id"]
    forged = os.urandom(len(data))
    assert patch(kiosk, upload_id, 0, forged[:CHUNK]).status_code == 200
    last = patch(kiosk, upload_id, CHUNK, forged[CHUNK:])
    assert last.status_code == 409 and last.json()["error"] == "blob_hash_mismatch"
    assert kiosk.request("HEAD", f"/v1/blobs/{sha}").status_code == 404
    assert kiosk.request("HEAD", f"/v1/blobs/uploads/{upload_id}").status_code == 404
    assert create(kiosk, data).status_code == 201          # starts over cleanly


def test_limits_on_length_and_chunk(kiosk, ctx):
    too_long = kiosk.request("POST", f"/v1/blobs/{'a' * 64}/uploads",
                             {"length": v1.MAX_BLOB_BYTES + 1})
    assert too_long.status_code == 413
    data = os.urandom(CHUNK)
    upload_id = create(kiosk, data).json()["upload_id"]
    beyond = patch(kiosk, upload_id, 0, data + b"extra")
    assert beyond.status_code == 413
    huge = patch(kiosk, upload_id, 0, b"\0" * (ctx.settings.max_chunk_bytes + 1))
    assert huge.status_code == 413


def test_a_small_blob_is_taken_whole_in_one_request(ctx, client, kiosk):
    limit = int(client.get(v1.PATH_HEALTH).headers[v1.HEADER_WHOLE_BLOB_MAX])
    assert limit == ctx.settings.chunk_bytes
    data = os.urandom(5000)
    sha = v1.sha256_hex(data)
    stored = kiosk.request("POST", v1.PATH_BLOB.format(sha256=sha), data)
    assert stored.status_code == 201 and stored.json() == {"offset": 5000, "complete": True}
    assert kiosk.request("HEAD", v1.PATH_BLOB.format(sha256=sha)).status_code == 200
    assert create(kiosk, data).json()["complete"] is True      # the resumable path agrees
    again = kiosk.request("POST", v1.PATH_BLOB.format(sha256=sha), data)
    assert again.status_code == 200 and again.json()["complete"] is True


def test_a_whole_blob_is_checked_owned_and_bounded(ctx, client, kiosk):
    data = os.urandom(3000)
    sha = v1.sha256_hex(data)
    wrong = kiosk.request("POST", v1.PATH_BLOB.format(sha256=sha), data[:-1] + b"!")
    assert wrong.status_code == 400 and wrong.json()["error"] == "blob_hash_mismatch"
    assert kiosk.request("HEAD", v1.PATH_BLOB.format(sha256=sha)).status_code == 404
    assert kiosk.request("POST", v1.PATH_BLOB.format(sha256=sha), data).status_code == 201
    other = enrolled_kiosk(ctx, client, "test-kiosk-002")     # the same bytes, another kiosk
    assert other.request("HEAD", v1.PATH_BLOB.format(sha256=sha)).status_code == 404
    assert other.request("POST", v1.PATH_BLOB.format(sha256=sha), data).status_code == 201
    big = os.urandom(ctx.settings.chunk_bytes + 1)
    too_big = kiosk.request("POST", v1.PATH_BLOB.format(sha256=v1.sha256_hex(big)), big)
    assert too_big.status_code == 413


def test_blobs_stored_together_that_fail_to_reach_the_disk_leave_nothing(tmp_path, monkeypatch):
    """A batch's inline blobs are fsynced together before any is renamed into place: an
    fsync that fails publishes none of them and leaves no file aside."""
    store = BlobStore(tmp_path / "blobs")
    contents = {v1.sha256_hex(data): data for data in (os.urandom(3000) for _ in range(3))}

    def failing_fsync(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError):
        store.publish_whole(contents)
    monkeypatch.undo()
    assert list(store.uploads.iterdir()) == []
    assert not any(store.path(sha).exists() for sha in contents)
    store.publish_whole(contents)
    assert all(store.read(sha) == data for sha, data in contents.items())
    assert list(store.uploads.iterdir()) == []
