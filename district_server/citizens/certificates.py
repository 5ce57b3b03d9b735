"""零材料: certificates on file kept from what citizens scanned at a kiosk. A scanned material
the citizen agreed to keep (SubmittedMaterial.keep_on_file) becomes one when staff accept
it on the case (type from the catalogue's material; issuer and validity as staff read them
off the document); it is offered on the holder's next application while valid and stands in
for a new scan; withdrawing the consent deletes it with its scans. Keyed by the holder HMAC
only: no ID number is stored or logged."""
from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from district_server.audit import service as audit
from district_server.audit.models import AuditEntry
from district_server.blobs.models import Blob
from district_server.cases.models import Case
from district_server.citizens.models import KeptCertificate
from district_server.context import ServerContext
from district_server.errors import ProblemError
from wire import v1

#: the prefix of a kept certificate's id: others name the e-licence library's certificates
KEPT_PREFIX = "kept-"
#: the audit actions (the case's history shows them)
KEPT, WITHDRAWN = "certificate.kept", "certificate.withdrawn"
#: case states in which the materials stand accepted (a rejected or withdrawn case's do not)
ACCEPTED_STATES = (v1.CaseState.accepted, v1.CaseState.in_review,
                   v1.CaseState.special_procedure, v1.CaseState.completed,
                   v1.CaseState.ready_for_pickup, v1.CaseState.picked_up)


@dataclass(frozen=True)
class Keeping:
    """What staff read off the accepted document."""
    material_code: str
    issuer: str
    issued_on: date
    valid_until: date | None


def keepable(application: dict, item: v1.ServiceItem | None) -> list[v1.Material]:
    """The case's scanned materials the citizen agreed to keep that can be kept (the
    catalogue names their certificate type)."""
    if item is None:
        return []
    consented = {m["code"] for m in application.get("materials") or []
                 if m.get("keep_on_file") and m.get("status") == v1.MaterialStatus.provided}
    return [m for m in item.materials if m.id in consented and m.elicence_type]


def kept_of_case(session: Session, case_number: str) -> dict[str, KeptCertificate]:
    return {row.material_code: row for row in session.scalars(
        select(KeptCertificate).where(KeptCertificate.case_number == case_number))}


def withdrawn_of_case(session: Session, case: Case) -> set[str]:
    """The case's materials whose consent was withdrawn: never kept again from it."""
    details = (json.loads(detail) for detail in session.scalars(
        select(AuditEntry.detail).where(AuditEntry.subject_hmac == case.holder_hmac,
                                        AuditEntry.action == WITHDRAWN)))
    return {d["material"] for d in details if d.get("case") == case.case_number}


def keep(session: Session, ctx: ServerContext, case: Case, keeping: Keeping, *,
         actor: str, now: datetime) -> KeptCertificate:
    """Staff accepted the material: keep it on file with copies of its scans."""
    if case.state not in ACCEPTED_STATES or case.purged_at is not None:
        raise ProblemError(409, "case_not_accepted", f"the case is {case.state}")
    application = json.loads(case.application_json)
    catalogue = ctx.catalogues.get(session, case.catalogue_version)
    item = catalogue.item(case.service_code) if catalogue else None
    material = next((m for m in keepable(application, item)
                     if m.id == keeping.material_code), None)
    if material is None:
        raise ProblemError(422, "not_keepable", f"material {keeping.material_code}: not "
                                                "scanned with the citizen's consent to keep it")
    if keeping.material_code in kept_of_case(session, case.case_number):
        raise ProblemError(409, "already_kept", f"material {keeping.material_code} is on file")
    if keeping.material_code in withdrawn_of_case(session, case):
        raise ProblemError(409, "consent_withdrawn", f"material {keeping.material_code}: the "
                                                     "citizen withdrew the consent")
    if keeping.valid_until is not None and keeping.valid_until < keeping.issued_on:
        raise ProblemError(422, "invalid_validity", "valid until is before the issue date")
    pages = next(m["blobs"] for m in application["materials"]
                 if m["code"] == keeping.material_code)
    copies = _copy_scans(session, ctx, pages, now)
    row = KeptCertificate(
        certificate_id=KEPT_PREFIX + secrets.token_hex(12), holder_hmac=case.holder_hmac,
        elicence_type=material.elicence_type, name_zh=material.name.zh,
        name_en=material.name.en, issuer=keeping.issuer, issued_on=keeping.issued_on,
        valid_until=keeping.valid_until, case_number=case.case_number,
        material_code=material.id, blobs_json=json.dumps(copies), kept_at=now, kept_by=actor)
    session.add(row)
    audit.append(session, at=now, actor=actor, action=KEPT,
                 subject_hmac=case.holder_hmac,
                 detail={"case": case.case_number, "material": material.id,
                         "certificate": row.certificate_id, "type": material.elicence_type})
    return row


def _copy_scans(session: Session, ctx: ServerContext, pages: list[str],
                now: datetime) -> list[str]:
    """The certificate's own sealed copies: the case's scans go with the case's retention,
    these with the consent."""
    sealed = [ctx.keys.encrypt_blob(ctx.keys.decrypt_blob(ctx.blobs.read(page)))
              for page in pages]
    copies = {hashlib.sha256(data).hexdigest(): data for data in sealed}
    ctx.blobs.publish_whole(copies)
    for sha256, data in copies.items():
        session.add(Blob(sha256=sha256, length=len(data), stored_at=now))
    return list(copies)


def scans_reused(session: Session, application: dict) -> dict[str, list[str]]:
    """material code -> the scans of the kept certificate an application reused (while it
    is on file), for staff reviewing the case."""
    named = {m["code"]: m["certificate_id"] for m in application.get("materials") or []
             if m.get("status") == v1.MaterialStatus.reused
             and (m.get("certificate_id") or "").startswith(KEPT_PREFIX)}
    found = {}
    for code, certificate_id in named.items():
        row = session.get(KeptCertificate, certificate_id)
        if row is not None:
            found[code] = json.loads(row.blobs_json)
    return found


def _valid_on(today: date):
    return or_(KeptCertificate.valid_until.is_(None), KeptCertificate.valid_until >= today)


def on_file(session: Session, holder_hmac: str, today: date) -> list[v1.CertificateOnFile]:
    """The holder's kept certificates still valid today."""
    rows = session.scalars(select(KeptCertificate).where(
        KeptCertificate.holder_hmac == holder_hmac, _valid_on(today))
        .order_by(KeptCertificate.kept_at))
    return [v1.CertificateOnFile(
        certificate_id=row.certificate_id, elicence_type=row.elicence_type,
        name=v1.Text(zh=row.name_zh, en=row.name_en), number_masked="", issuer=row.issuer,
        issued_on=row.issued_on, valid_until=row.valid_until, withdrawable=True)
        for row in rows]


def reuse_problem(session: Session, holder_hmac: str, certificate_id: str,
                  elicence_type: str | None, today: date) -> str | None:
    """Why a kept certificate cannot stand in for a material of `elicence_type` (None: it
    can). Certificates of the e-licence library are the provider's to vouch for."""
    if not certificate_id.startswith(KEPT_PREFIX):
        return None
    row = session.get(KeptCertificate, certificate_id)
    if row is None or row.holder_hmac != holder_hmac:
        return f"certificate {certificate_id}: not on file for the applicant"
    if row.elicence_type != elicence_type:
        return f"certificate {certificate_id}: a {row.elicence_type}, not a {elicence_type}"
    if row.valid_until is not None and row.valid_until < today:
        return f"certificate {certificate_id}: expired on {row.valid_until}"
    return None


def withdraw(session: Session, holder_hmac: str, certificate_id: str, *, actor: str,
             now: datetime) -> list[str]:
    """The holder's consent is withdrawn: the certificate and its scans' rows go; returns
    the scans whose files the caller removes once the transaction is committed."""
    row = session.get(KeptCertificate, certificate_id)
    if row is None or row.holder_hmac != holder_hmac:
        raise ProblemError(404, "no_such_certificate", "no certificate on file with this id")
    scans = json.loads(row.blobs_json)
    session.delete(row)
    if scans:
        session.execute(delete(Blob).where(Blob.sha256.in_(scans)))
    audit.append(session, at=now, actor=actor, action=WITHDRAWN, subject_hmac=holder_hmac,
                 detail={"certificate": certificate_id, "type": row.elicence_type,
                         "case": row.case_number, "material": row.material_code})
    return scans


def remove_scans(ctx: ServerContext, scans: list[str]) -> None:
    for sha256 in scans:
        ctx.blobs.path(sha256).unlink(missing_ok=True)
