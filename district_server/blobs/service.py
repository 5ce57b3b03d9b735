"""Content-addressed, resumable blob upload (tus-like): create or resume an upload, append
checksummed chunks at the current offset, verify the full sha256, then publish.

Bytes are stored once per hash, but a blob is visible only to the kiosks that uploaded it
(blob_owners): another kiosk asking about the same hash is told it is absent and must send
the bytes itself, so knowing a hash neither reveals nor grants a blob."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from district_server.blobs.models import Blob, BlobOwner, BlobUpload
from district_server.blobs.store import BlobStore
from district_server.errors import ProblemError
from wire import v1


def exists(session: Session, sha256: str, kiosk_id: str) -> bool:
    return session.get(BlobOwner, (sha256, kiosk_id)) is not None


def missing(session: Session, hashes: list[str], kiosk_id: str) -> list[str]:
    """The hashes this kiosk has not uploaded (present for another kiosk counts as absent)."""
    if not hashes:
        return []
    present = set(session.scalars(select(BlobOwner.sha256).where(
        BlobOwner.sha256.in_(hashes), BlobOwner.kiosk_id == kiosk_id)))
    return [h for h in hashes if h not in present]


def create_upload(session: Session, store: BlobStore, *, kiosk_id: str, sha256: str,
                  length: int, max_bytes: int, chunk_bytes: int,
                  now: datetime) -> tuple[v1.BlobUploadCreated, bool]:
    """Returns the upload and whether it is new. An unfinished upload of the same blob by the
    same kiosk is resumed, so a kiosk that lost the upload id loses no bytes."""
    if length > max_bytes:
        raise ProblemError(413, "blob_too_large", f"blobs are limited to {max_bytes} bytes")
    if exists(session, sha256, kiosk_id):
        return v1.BlobUploadCreated(upload_id=None, offset=session.get(Blob, sha256).length,
                                    chunk_size=chunk_bytes, complete=True), False
    upload = session.scalars(select(BlobUpload).where(
        BlobUpload.sha256 == sha256, BlobUpload.kiosk_id == kiosk_id,
        BlobUpload.length == length)).first()
    if upload is not None:
        return v1.BlobUploadCreated(upload_id=upload.upload_id, offset=upload.offset,
                                    chunk_size=chunk_bytes), False
    upload_id = secrets.token_hex(16)
    store.start(upload_id)
    session.add(BlobUpload(upload_id=upload_id, sha256=sha256, kiosk_id=kiosk_id, length=length,
                           offset=0, created_at=now, updated_at=now))
    return v1.BlobUploadCreated(upload_id=upload_id, offset=0, chunk_size=chunk_bytes), True


def store_whole(session: Session, store: BlobStore, *, kiosk_id: str, sha256: str,
                content: bytes, now: datetime) -> tuple[v1.BlobUploadProgress, bool]:
    """A blob sent whole (v1.HEADER_WHOLE_BLOB_MAX; the body limit bounds it). Returns the
    progress (complete) and whether it was stored now rather than held already."""
    done = v1.BlobUploadProgress(offset=len(content), complete=True)
    if exists(session, sha256, kiosk_id):
        return done, False
    if not content:
        raise ProblemError(400, "empty_blob", "a blob carries at least one byte")
    if hashlib.sha256(content).hexdigest() != sha256:
        raise ProblemError(400, "blob_hash_mismatch", "the bytes do not hash to the blob's "
                                                      "sha256; send them again")
    # As a finished upload: written and fsynced aside, renamed into place, then recorded.
    # A crash between rename and commit leaves a published file without rows: the kiosk
    # had no answer and sends the blob again, which records it.
    upload_id = secrets.token_hex(16)
    store.start(upload_id)
    store.write_chunk(upload_id, 0, content)
    store.publish(upload_id, sha256)
    _record_blobs(session, {sha256: len(content)}, kiosk_id, now)
    return done, True


def store_inline(session: Session, store: BlobStore, *, kiosk_id: str,
                 contents: dict[str, bytes], max_bytes: int, now: datetime) -> None:
    """Blobs sent inline in a submission batch (v1.SubmissionBatch.blobs). One that is
    empty, larger than `max_bytes` or not hashing to its name is left out: the submissions
    that need it are answered 424 and the kiosk sends it the v1 way. Bytes another kiosk
    stored already are not written again; only this kiosk's ownership is recorded."""
    sized = [sha for sha, content in contents.items() if 0 < len(content) <= max_bytes]
    wanted = {sha: contents[sha] for sha in missing(session, sized, kiosk_id)
              if hashlib.sha256(contents[sha]).hexdigest() == sha}
    recorded = set(session.scalars(select(Blob.sha256).where(Blob.sha256.in_(wanted))))
    # Rows only after the files are durable: a crash between the two leaves published
    # files without rows, and the kiosk, unanswered, sends the batch again.
    store.publish_whole({sha: content for sha, content in wanted.items()
                         if sha not in recorded or not store.path(sha).exists()})
    _record_blobs(session, {sha: len(content) for sha, content in wanted.items()},
                  kiosk_id, now)


def _own_upload(session: Session, upload_id: str, kiosk_id: str) -> BlobUpload:
    upload = session.get(BlobUpload, upload_id)
    if upload is None:
        raise ProblemError(404, "no_such_upload", "unknown or finished upload")
    if upload.kiosk_id != kiosk_id:
        raise ProblemError(403, "other_kiosk", "this upload belongs to another kiosk")
    return upload


def upload_offset(session: Session, upload_id: str, kiosk_id: str) -> int:
    return _own_upload(session, upload_id, kiosk_id).offset


def append_chunk(session: Session, store: BlobStore, *, upload_id: str, kiosk_id: str,
                 offset: int, chunk_sha256: str, chunk: bytes,
                 now: datetime) -> v1.BlobUploadProgress:
    upload = _own_upload(session, upload_id, kiosk_id)
    if offset != upload.offset:
        raise ProblemError(409, "offset_mismatch", f"upload is at offset {upload.offset}",
                           headers={v1.HEADER_UPLOAD_OFFSET: str(upload.offset)})
    if not chunk:
        raise ProblemError(400, "empty_chunk", "a chunk carries at least one byte")
    if hashlib.sha256(chunk).hexdigest() != chunk_sha256.lower():
        raise ProblemError(400, "chunk_checksum_mismatch", "X-Chunk-Sha256 does not match the "
                                                           "chunk; resend it")
    if offset + len(chunk) > upload.length:
        raise ProblemError(413, "beyond_declared_length", f"upload length is {upload.length}")
    store.write_chunk(upload_id, offset, chunk)
    new_offset = offset + len(chunk)
    moved = session.execute(update(BlobUpload)
                            .where(BlobUpload.upload_id == upload_id,
                                   BlobUpload.offset == offset)
                            .values(offset=new_offset, updated_at=now))
    if moved.rowcount != 1:
        raise ProblemError(409, "offset_mismatch", "another request moved this upload")
    if new_offset < upload.length:
        return v1.BlobUploadProgress(offset=new_offset, complete=False)
    # Complete: the bytes must hash to the name they will be published under.
    if store.digest(upload_id) != upload.sha256:
        raise ProblemError(409, "blob_hash_mismatch", "the uploaded bytes do not hash to the "
                                                      "blob's sha256; upload it again")
    # A crash after this rename and before the commit is repaired at the next start
    # (recover_interrupted_publishes): the file is the proof, the row follows it.
    store.publish(upload_id, upload.sha256)
    _record_published(session, upload, now)
    return v1.BlobUploadProgress(offset=new_offset, complete=True)


def _record_published(session: Session, upload: BlobUpload, now: datetime) -> None:
    session.delete(upload)
    _record_blobs(session, {upload.sha256: upload.length}, upload.kiosk_id, now)


def _record_blobs(session: Session, lengths: dict[str, int], kiosk_id: str,
                  now: datetime) -> None:
    """The blobs (sha256 -> length) and this kiosk's ownership of them, in two statements.
    Rows already there are kept: another kiosk published the same bytes (before or
    meanwhile), or this kiosk's second upload of them finished meanwhile."""
    if not lengths:
        return
    _insert_new(session, Blob, [{"sha256": sha, "length": length, "stored_at": now}
                                for sha, length in lengths.items()])
    _insert_new(session, BlobOwner, [{"sha256": sha, "kiosk_id": kiosk_id} for sha in lengths])


def _insert_new(session: Session, model: type, rows: list[dict]) -> None:
    """INSERT ... ON CONFLICT DO NOTHING (SQLite and PostgreSQL spell it alike)."""
    dialect = {"sqlite": sqlite, "postgresql": postgresql}[session.get_bind().dialect.name]
    session.execute(dialect.insert(model).on_conflict_do_nothing(), rows)


def recover_interrupted_publishes(session: Session, store: BlobStore, now: datetime) -> int:
    """At server start: an upload whose file is gone was renamed into place by a publish
    whose transaction never committed (a crash between the two). Its blob is recorded when
    the published bytes hash to its name; otherwise the upload starts again from zero, so
    the kiosk's next PATCH gets a 409 with offset 0 instead of failing forever."""
    repaired = 0
    for upload in list(session.scalars(select(BlobUpload))):
        if store.upload_path(upload.upload_id).exists():
            continue
        if store.published_intact(upload.sha256):
            _record_published(session, upload, now)
        else:
            store.start(upload.upload_id)
            upload.offset, upload.updated_at = 0, now
        repaired += 1
    return repaired


def abandon(session: Session, store: BlobStore, upload_id: str) -> None:
    """Forget an upload whose bytes failed the full-hash check (the kiosk starts over)."""
    upload = session.get(BlobUpload, upload_id)
    if upload is not None:
        session.delete(upload)
    store.discard(upload_id)
