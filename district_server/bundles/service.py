"""Kiosk application bundles the district publishes (kiosk/updates.py fetches them): a version
is an archive (tar.gz of the bundle's folder, `kiosk` at its top) kept in the bundle
directory under its sha256, and a manifest naming its length and sha256, signed with the
district's receipt key as the desired state is. A version is published to a cohort at once or
through the same staged rollout as catalogue and configuration
(district_server/catalogue/rollout.py)."""
from __future__ import annotations

import hashlib
import os
import secrets
import tarfile
from datetime import datetime
from pathlib import Path

from pydantic import TypeAdapter, ValidationError
from sqlalchemy.orm import Session

from district_server.bundles.models import BundlePublication, BundleVersion
from district_server.crypto import DistrictKeyring
from district_server.publications import in_cohort, publish_to_cohort
from wire import v1

COPY_BYTES = 1024 * 1024


class BundleInvalid(ValueError):
    pass


def check_archive(archive: Path) -> int:
    """Refuse what a kiosk would refuse after downloading it: not a tar.gz, or no `kiosk`
    file at its top. Returns the size of its files once unpacked."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            top = tar.getmember("kiosk")
            unpacked = sum(member.size for member in tar.getmembers() if member.isfile())
    except KeyError:
        raise BundleInvalid(f"{archive} has no `kiosk` at its top (archive the bundle's "
                            "folder's contents, e.g. tar -C dist/kiosk -czf ARCHIVE .)") \
            from None
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BundleInvalid(f"{archive} is not a readable tar.gz: {error}") from None
    if not top.isfile():
        raise BundleInvalid(f"{archive}: `kiosk` at its top is not a file")
    return unpacked


def _copy_in(archive: Path, directory: Path) -> tuple[str, int]:
    """Copy `archive` into `directory` under its sha256 (written aside, fsynced, renamed)."""
    directory.mkdir(parents=True, exist_ok=True)
    aside = directory / f".{secrets.token_hex(8)}.part"
    digest, size = hashlib.sha256(), 0
    try:
        with archive.open("rb") as source, aside.open("wb") as target:
            while chunk := source.read(COPY_BYTES):
                digest.update(chunk)
                target.write(chunk)
                size += len(chunk)
            target.flush()
            os.fsync(target.fileno())
        os.replace(aside, directory / f"{digest.hexdigest()}.tar.gz")
    finally:
        aside.unlink(missing_ok=True)
    handle = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
    return digest.hexdigest(), size


def store(session: Session, archive: Path, version: str, *, keys: DistrictKeyring,
          directory: Path, now: datetime) -> BundleVersion:
    """Keep `archive` as bundle `version` with its signed manifest. Storing the same archive
    again under its version is harmless; another archive under a stored version is refused
    (kiosks that fetched the first would never see the second)."""
    try:
        TypeAdapter(v1.AppVersion).validate_python(version)
    except ValidationError:
        raise BundleInvalid(f"bad version {version!r}: numbers and dots, like 1.4.2") from None
    unpacked = check_archive(archive)
    sha256, size = _copy_in(archive, directory)
    manifest = v1.BundleManifest(version=version, archive_sha256=sha256, archive_bytes=size,
                                 unpacked_bytes=unpacked)
    held = session.get(BundleVersion, version)
    if held is not None:
        if held.archive_sha256 != sha256:
            raise BundleInvalid(f"bundle {version} is stored with another archive "
                                f"(sha256 {held.archive_sha256}): give this one a new version")
        return held
    body = manifest.model_dump(mode="json")
    signed = v1.SignedBundleManifest(manifest=manifest, signature_b64=keys.sign(body))
    row = BundleVersion(version=version, archive_sha256=sha256, archive_bytes=size,
                        signed_manifest=v1.canonical_json(signed.model_dump(mode="json"))
                        .decode("utf-8"), created_at=now)
    session.add(row)
    session.flush()
    return row


def archive_path(directory: Path, row: BundleVersion) -> Path:
    return directory / f"{row.archive_sha256}.tar.gz"


def publish(session: Session, version: str, cohort: str, *, now: datetime) -> None:
    if session.get(BundleVersion, version) is None:
        raise BundleInvalid(f"no stored bundle version {version}")
    publish_to_cohort(session, BundlePublication, cohort, "version", version, now=now)


def published_version(session: Session, cohort: str, default_cohort: str) -> str | None:
    """The version `cohort` should run (the default cohort's when it has none of its own)."""
    publication = in_cohort(session, BundlePublication, cohort, default_cohort)
    return publication.version if publication is not None else None
