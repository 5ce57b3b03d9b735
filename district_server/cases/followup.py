"""The citizen's 掌上办 follow-up behind the receipt's QR secret: finding the case by its
secret, supplying an owed (容缺) material from a phone, re-issuing the secret at a window,
and the case's history for staff. An upload is checked (type by its bytes, size, PDF page
count), a photo turned upright, and the result encrypted to the district key before it is
stored, like a kiosk's scan."""
from __future__ import annotations

import hashlib
import hmac
import io
import json
import secrets
import warnings
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from PIL import Image, ImageOps
from sqlalchemy import select
from sqlalchemy.orm import Session

from district_server.audit import service as audit
from district_server.audit.models import AuditEntry
from district_server.blobs import service as blobs
from district_server.cases.models import Case
from district_server.cases.service import apply_commitment
from district_server.errors import ProblemError
from wire import v1

if TYPE_CHECKING:
    from district_server.context import ServerContext

#: the owner recorded for blobs uploaded on the follow-up page (kiosks own theirs)
UPLOAD_OWNER = "followup-page"
#: audit actions that make up a case's history for staff
SUPPLIED, SECRET_REISSUED = "case.material_supplied", "case.followup_secret_reissued"
#: what a case's history shows unless asked for more (the console adds the staff's changes)
CITIZEN_HISTORY = (SUPPLIED, SECRET_REISSUED)
#: a photo larger than this many pixels is refused before it is decoded (decompression bomb)
MAX_PIXELS = 60_000_000


@dataclass(frozen=True)
class CheckedUpload:
    content: bytes
    media_type: str
    pages: int


def _refused(status: int, code: str, detail: str) -> ProblemError:
    return ProblemError(status, code, detail)


def check_upload(content: bytes, *, max_bytes: int, max_pages: int) -> CheckedUpload:
    """A photo (JPEG/PNG, turned upright by its EXIF orientation, stored as JPEG) or a PDF
    of at most max_pages pages; the type is read from the bytes, never from the name."""
    if not content:
        raise _refused(400, "empty_upload", "the file is empty")
    if len(content) > max_bytes:
        raise _refused(413, "upload_too_large", f"at most {max_bytes} bytes")
    if content.startswith(b"%PDF-"):
        return _checked_pdf(content, max_pages)
    return _checked_photo(content)


def _checked_pdf(content: bytes, max_pages: int) -> CheckedUpload:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError
    try:
        pages = len(PdfReader(io.BytesIO(content)).pages)
    except (PyPdfError, ValueError, KeyError, TypeError) as error:
        raise _refused(415, "unreadable_pdf", "the PDF cannot be read") from error
    if not 1 <= pages <= max_pages:
        raise _refused(422, "too_many_pages", f"{pages} pages; at most {max_pages}")
    return CheckedUpload(content, "application/pdf", pages)


def _checked_photo(content: bytes) -> CheckedUpload:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(content))
            if image.format not in ("JPEG", "PNG"):
                raise _refused(415, "unsupported_type", "only a photo (JPEG, PNG) or a PDF")
            if image.width * image.height > MAX_PIXELS:
                raise _refused(413, "photo_too_large", "the photo has too many pixels")
            upright = ImageOps.exif_transpose(image).convert("RGB")
    except ProblemError:
        raise
    except (OSError, ValueError, Image.DecompressionBombWarning,
            Image.DecompressionBombError) as error:
        raise _refused(415, "unsupported_type", "only a photo (JPEG, PNG) or a PDF") from error
    out = io.BytesIO()
    upright.save(out, format="JPEG", quality=90)
    return CheckedUpload(out.getvalue(), "image/jpeg", 1)


def case_by_secret(session: Session, case_number: str, secret: str) -> Case | None:
    """The case, only when `secret` is the one of its receipt QR (or its re-issue)."""
    case = session.get(Case, case_number)
    if case is None or not case.followup_hash or not hmac.compare_digest(
            case.followup_hash, v1.sha256_hex(secret.encode("utf-8", "replace"))):
        return None
    return case


def supply(session: Session, ctx: "ServerContext", case: Case, code: str,
           upload: CheckedUpload, *, now: datetime) -> None:
    """Record `upload` as the owed material `code`: the commitment is fulfilled when nothing
    else is owed, and the case's history shows it."""
    if code not in json.loads(case.outstanding_json):
        raise _refused(409, "not_owed", f"{code} is not owed for this case")
    sealed = ctx.keys.encrypt_blob(upload.content)
    sha256 = hashlib.sha256(sealed).hexdigest()
    blobs.store_whole(session, ctx.blobs, kiosk_id=UPLOAD_OWNER, sha256=sha256,
                      content=sealed, now=now)
    supplied = v1.SubmittedMaterial(code=code, status=v1.MaterialStatus.provided, blobs=[sha256])
    apply_commitment(session, ctx, case, v1.CommitmentPayload(
        case_number=case.case_number, action="supplied", supplied=[supplied]), now=now)
    audit.append(session, at=now, actor="citizen:followup", action=SUPPLIED,
                 subject_hmac=case.holder_hmac,
                 detail={"case": case.case_number, "material": code, "blob": sha256,
                         "media_type": upload.media_type, "pages": upload.pages,
                         "channel": "upload"})


def reissue_secret(session: Session, case: Case, *, actor: str, now: datetime) -> str:
    """A new follow-up secret for the case (the old QR stops working): for a citizen who
    lost the receipt, handed out at a window after identification."""
    secret = secrets.token_urlsafe(24)
    case.followup_hash, case.updated_at = v1.sha256_hex(secret.encode()), now
    audit.append(session, at=now, actor=actor, action=SECRET_REISSUED,
                 subject_hmac=case.holder_hmac, detail={"case": case.case_number})
    return secret


def history(session: Session, case: Case,
            actions: tuple[str, ...] = CITIZEN_HISTORY) -> list[dict]:
    """What happened to the case after it was opened (audit `actions`: by default materials
    supplied and secrets re-issued), oldest first, from the audit log."""
    entries = session.scalars(select(AuditEntry).where(
        AuditEntry.subject_hmac == case.holder_hmac,
        AuditEntry.action.in_(actions)).order_by(AuditEntry.seq))
    found = []
    for entry in entries:
        detail = json.loads(entry.detail)
        if detail.get("case") == case.case_number:
            found.append({"at": entry.at.isoformat(), "action": entry.action,
                          "actor": entry.actor, **detail})
    return found
