"""Kiosk enrolment, request authentication, desired and reported state."""
from __future__ import annotations

import base64
import hashlib
import json
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from district_server.audit import service as audit
from district_server.crypto import DistrictKeyring, verify_ed25519
from district_server.errors import ProblemError
from district_server.kiosks import alerts, device_history
from district_server.kiosks.models import EnrollmentToken, Kiosk, SeenNonce
from district_server.roles import Permission
from district_server.settings import AlertThresholds, HallSettings
from district_server.staff.accounts import StaffMember, kiosk_staff
from wire import v1


@dataclass(frozen=True)
class KioskPrincipal:
    kiosk_id: str
    hall_code: str
    cohort: str
    signing_public_key: bytes


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(session: Session, *, now: datetime, ttl_s: int, hall_code: str, cohort: str,
                kiosk_id: str) -> str:
    """A single-use token, bound to one kiosk id, valid for ttl_s. Its prefix keeps it from
    starting with "-" (one bare token in 64 would), which `kiosk enroll --token` would take
    for an option."""
    token = "en_" + secrets.token_urlsafe(24)
    session.add(EnrollmentToken(token_hash=_token_hash(token), kiosk_id=kiosk_id,
                                hall_code=hall_code, cohort=cohort, created_at=now,
                                expires_at=now + timedelta(seconds=ttl_s)))
    audit.append(session, at=now, actor="operator", action="kiosk.token_issued",
                 detail={"kiosk_id": kiosk_id, "hall_code": hall_code})
    return token


def enroll(session: Session, request: v1.EnrollRequest, *, now: datetime,
           keys: DistrictKeyring) -> v1.EnrollResponse:
    """Spend the one-time token (a conditional UPDATE, so two racing enrolments cannot both
    use it) and register or re-key the kiosk. Only a token issued for this very kiosk id
    admits it: a token for another id (or none, as issued before tokens were bound) cannot
    re-key an enrolled kiosk."""
    token_hash = _token_hash(request.token)
    spent = session.execute(
        update(EnrollmentToken)
        .where(EnrollmentToken.token_hash == token_hash, EnrollmentToken.used_at.is_(None),
               EnrollmentToken.expires_at > now)
        .values(used_at=now, used_by=request.kiosk_id))
    if spent.rowcount != 1:
        raise ProblemError(401, "enrollment_token_invalid", "unknown, used or expired token")
    token = session.get(EnrollmentToken, token_hash)
    if token.kiosk_id != request.kiosk_id:
        raise ProblemError(403, "enrollment_token_other_kiosk",
                           "this token was issued for another kiosk id")
    public_key = base64.b64decode(request.signing_public_key)
    kiosk = session.get(Kiosk, request.kiosk_id)
    if kiosk is None:
        session.add(Kiosk(kiosk_id=request.kiosk_id, signing_public_key=public_key,
                          hall_code=token.hall_code, cohort=token.cohort, enrolled_at=now))
    else:
        kiosk.signing_public_key, kiosk.revoked_at = public_key, None
        kiosk.hall_code, kiosk.cohort, kiosk.enrolled_at = token.hall_code, token.cohort, now
    audit.append(session, at=now, actor=f"kiosk:{request.kiosk_id}", action="kiosk.enrolled",
                 detail={"rekeyed": kiosk is not None})
    return v1.EnrollResponse(kiosk_id=request.kiosk_id, district=keys.public())


def authenticate(session: Session, *, kiosk_id: str | None, timestamp: str | None,
                 nonce: str | None, signature: str | None, method: str, path_with_query: str,
                 body: bytes, now: datetime, window_s: int) -> KioskPrincipal:
    """Verify one signed kiosk request; every failure is a 401 with the reason. Reads only:
    the caller records the nonce (`remember_nonce`) before the request does anything, in
    the request's own transaction (district_server.kiosks.auth)."""
    if not (kiosk_id and timestamp and nonce and signature):
        raise ProblemError(401, "unsigned", "X-Kiosk-Id, -Timestamp, -Nonce and -Signature "
                                            "are required")
    try:
        stamp = int(timestamp)
        signature_bytes = v1.b64decode_strict(signature)
    except ValueError:
        raise ProblemError(401, "malformed_signature_headers", "timestamp or signature "
                                                                "unreadable") from None
    if len(nonce) != 32 or any(c not in "0123456789abcdef" for c in nonce):
        raise ProblemError(401, "malformed_nonce", "nonce must be 32 lower-case hex characters")
    if abs(now.timestamp() - stamp) > window_s:
        raise ProblemError(401, "timestamp_out_of_window",
                           f"request time differs from the server's by more than {window_s} s")
    kiosk = session.get(Kiosk, kiosk_id)
    if kiosk is None or kiosk.revoked_at is not None:
        raise ProblemError(401, "unknown_kiosk", "kiosk is not enrolled")
    message = v1.canonical_request(method, path_with_query, stamp, nonce, body)
    if not verify_ed25519(kiosk.signing_public_key, signature_bytes, message):
        raise ProblemError(401, "bad_signature", "signature does not verify")
    # a replay is refused here; one racing the first use meets the nonce's primary key
    if session.get(SeenNonce, (kiosk_id, nonce)) is not None:
        raise _replayed()
    return KioskPrincipal(kiosk.kiosk_id, kiosk.hall_code, kiosk.cohort, kiosk.signing_public_key)


def remember_nonce(session: Session, kiosk_id: str, nonce: str, *, now: datetime,
                   window_s: int) -> None:
    """Record a nonce; a second use inside the window is a replay (the primary key says so)."""
    try:
        with session.begin_nested():
            session.add(SeenNonce(kiosk_id=kiosk_id, nonce=nonce, seen_at=now))
    except IntegrityError:
        raise _replayed() from None
    # Forget nonces that can no longer pass the timestamp check (cheap: indexed on seen_at).
    if secrets.randbelow(64) == 0:
        session.execute(delete(SeenNonce).where(SeenNonce.seen_at <
                                                now - timedelta(seconds=2 * window_s)))


def record_contact(session: Session, *, kiosk_id: str, nonce: str, now: datetime,
                   window_s: int) -> None:
    """A signed request's writes, in its own first transaction: the nonce (against replay)
    and the kiosk's last contact (the fleet sees a silent kiosk by it)."""
    remember_nonce(session, kiosk_id, nonce, now=now, window_s=window_s)
    session.execute(update(Kiosk).where(Kiosk.kiosk_id == kiosk_id)
                    .values(last_contact_at=now))


def _replayed() -> ProblemError:
    return ProblemError(401, "replayed_nonce", "this nonce was used before")


def revoke(session: Session, kiosk_id: str, *, now: datetime,
           by: StaffMember | None = None) -> None:
    """Revoke a kiosk: its next signed request is refused. `by` None: the operator (CLI);
    otherwise a member with the fleet permission over the kiosk's hall."""
    kiosk = session.get(Kiosk, kiosk_id)
    if by is not None:
        by.require(Permission.fleet)
        if kiosk is not None and not by.may_see_hall(kiosk.hall_code):
            kiosk = None
    if kiosk is None:
        raise ProblemError(404, "no_such_kiosk", kiosk_id)
    if kiosk.revoked_at is None:
        kiosk.revoked_at = now
    audit.append(session, at=now, actor=by.actor if by else "operator", action="kiosk.revoked",
                 detail={"kiosk_id": kiosk_id})


def require_own(principal: KioskPrincipal, kiosk_id: str) -> None:
    if principal.kiosk_id != kiosk_id:
        raise ProblemError(403, "other_kiosk", "a kiosk may only access its own data")


def merge_reported(session: Session, kiosk_id: str, delta: v1.ReportedState, *,
                   now: datetime, thresholds: AlertThresholds) -> v1.KioskStateView:
    """Merge a report into the state held. A report that changes nothing (the contact is
    recorded already, `record_contact`) writes nothing and decides no alert; a change
    records its devices' status changes and runs the alert rules."""
    kiosk = session.get(Kiosk, kiosk_id)
    held = json.loads(kiosk.reported_json)
    # a device is reported whole, so a shallow copy keeps `held` as it was
    reported = dict(held)
    changes = delta.model_dump(mode="json", exclude_unset=True)
    devices = changes.pop("devices", None)
    if devices is not None:
        held_devices = held.get("devices", {})
        device_history.record(session, kiosk_id, held_devices, devices, now=now)
        reported["devices"] = {**held_devices, **devices}
    reported.update(changes)
    if reported != held:
        kiosk.reported_json = json.dumps(reported, sort_keys=True)
        kiosk.reported_at = now
        alerts.evaluate_reported(session, kiosk_id, reported, thresholds=thresholds, now=now)
    return v1.KioskStateView(kiosk_id=kiosk_id, reported=reported, updated_at=now)


def kiosks_not_trusting(session: Session, receipt_key_b64: str) -> list[str]:
    """The enrolled kiosks (not revoked) that have not reported trusting this receipt key:
    switching to it now would leave them unable to verify anything the district signs."""
    fingerprint = v1.receipt_key_fingerprint(receipt_key_b64)
    return [kiosk.kiosk_id for kiosk in session.scalars(
                select(Kiosk).where(Kiosk.revoked_at.is_(None)).order_by(Kiosk.kiosk_id))
            if fingerprint not in json.loads(kiosk.reported_json).get("receipt_keys", [])]


#: the halls an out-of-service screen lists
ALTERNATIVES_SHOWN = 3


def nearest_halls(halls: list[HallSettings], own_code: str) -> list[v1.Hall]:
    """The other halls, nearest to `own_code`'s first (by where they are, when both are
    placed; unplaced ones after, in the order configured)."""
    own = next((h for h in halls if h.code == own_code), None)

    def distance(hall: HallSettings) -> float:
        if own is None or None in (own.latitude, own.longitude, hall.latitude, hall.longitude):
            return math.inf
        # an equirectangular projection: exact enough to order halls within a district
        x = math.radians(hall.longitude - own.longitude) * math.cos(
            math.radians((hall.latitude + own.latitude) / 2))
        return math.hypot(x, math.radians(hall.latitude - own.latitude))
    others = sorted((h for h in halls if h.code != own_code), key=distance)
    return [v1.Hall.model_validate(h.model_dump(include=set(v1.Hall.model_fields)))
            for h in others[:ALTERNATIVES_SHOWN]]


def desired_state(session: Session, kiosk_id: str, *, catalogue_version: str,
                  catalogue_sha256: str, locker_assignments: list[v1.LockerAssignment],
                  config: dict, min_app_version: str, keys: DistrictKeyring,
                  config_number: int | None = None,
                  bundle_version: str | None = None,
                  with_staff: bool = False, with_pins: bool = False,
                  with_cards: bool = False,
                  with_next_receipt_key: bool = False,
                  halls: list[HallSettings] | None = None) -> v1.SignedDesiredState:
    """Build the kiosk's desired state; its version moves on exactly when the content does.
    `config_number`: the number of the configuration version `config` is, for a kiosk that
    takes it (v1.FEATURE_CONFIG_NUMBER), else None; `bundle_version`: the application bundle
    for a kiosk that updates itself (v1.FEATURE_BUNDLE_UPDATES) when one is published, else
    None;
    `with_staff`: the kiosk takes the hall's staff list (v1.FEATURE_KIOSK_STAFF), `with_pins`
    with their PIN hashes as `pin_hash` (v1.FEATURE_KIOSK_PIN), `with_cards` their staff
    cards' as `card_hash` (v1.FEATURE_STAFF_CARD);
    `with_next_receipt_key`: it takes the announced next receipt key
    (v1.FEATURE_RECEIPT_KEY_ROTATION); `halls`:
    the district's halls, of which it takes the nearest as `kiosk.alternatives`
    (v1.FEATURE_ALTERNATIVES). An older kiosk refuses either, so it is left out, from the
    signature too."""
    kiosk = session.get(Kiosk, kiosk_id)
    if halls is not None:
        config = {**config, "kiosk.alternatives": [
            h.model_dump(mode="json") for h in nearest_halls(halls, kiosk.hall_code)]}
    content = dict(catalogue_version=catalogue_version, catalogue_sha256=catalogue_sha256,
                   config=config, cohort=kiosk.cohort, min_app_version=min_app_version,
                   holder_hmac_key_id=keys.holder_hmac_key_id,
                   locker_assignments=[a.model_dump(mode="json", exclude_none=True)
                                       for a in locker_assignments])
    if config_number is not None:
        content["config_number"] = config_number
    if bundle_version is not None:
        content["bundle_version"] = bundle_version
    if with_staff:
        content["staff"] = kiosk_staff(session, kiosk.hall_code, pin_field=with_pins,
                                       card_field=with_cards)
    if with_next_receipt_key and keys.next_receipt_key is not None:
        content["next_receipt_public_key"] = keys.next_receipt_public_key()
    content_hash = v1.sha256_hex(v1.canonical_json(content))
    if content_hash != kiosk.desired_hash:
        kiosk.desired_version += 1
        kiosk.desired_hash = content_hash
    state = v1.DesiredState(version=kiosk.desired_version, **content)
    return v1.SignedDesiredState(state=state, signature_b64=keys.sign(
        state.model_dump(mode="json", exclude_none=True)))
