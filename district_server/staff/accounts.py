"""Staff as persons: accounts (staff id, scrypt password, role, hall), sign-in with lockout
after failed tries, sessions that expire, and revocation that takes effect at once (every
request looks the session and the account up). A kiosk PIN, separate from the password, is
what a person signs in with at a kiosk of their hall (`kiosk_staff`)."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from district_server.audit import service as audit
from district_server.crypto import scrypt_hash, scrypt_matches
from district_server.errors import ProblemError
from district_server.roles import ALL_HALLS, PERMISSIONS, STAFF_ROLES, Permission, Role
from district_server.staff.models import StaffAccount, StaffSession
from wire import v1

#: Verified when the staff id is unknown, so a guess costs the same time either way.
_DUMMY_HASH = scrypt_hash(secrets.token_urlsafe(12))
MIN_PASSWORD_LENGTH = 10
#: a kiosk PIN is typed on the kiosk's keypad: digits only
KIOSK_PIN_DIGITS = (6, 12)


@dataclass(frozen=True)
class StaffMember:
    staff_id: str
    name: str
    role: Role
    hall_code: str

    @property
    def actor(self) -> str:
        return f"staff:{self.staff_id}"

    def may(self, permission: Permission) -> bool:
        return permission in PERMISSIONS[self.role]

    def require(self, permission: Permission) -> None:
        if not self.may(permission):
            raise ProblemError(403, "role_required",
                               f"a {self.role.value} may not do this ({permission.value})")

    @property
    def all_halls(self) -> bool:
        return self.role in ALL_HALLS

    def may_see_hall(self, hall_code: str | None) -> bool:
        return self.all_halls or hall_code == self.hall_code


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_account(session: Session, *, staff_id: str, name: str, role: str, hall_code: str,
                   password: str, now: datetime, actor: str = "operator") -> None:
    if role not in STAFF_ROLES:
        raise ValueError(f"role must be one of {[r.value for r in STAFF_ROLES]}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"a password has at least {MIN_PASSWORD_LENGTH} characters")
    if session.get(StaffAccount, staff_id) is not None:
        raise ValueError(f"staff id {staff_id} exists")
    session.add(StaffAccount(staff_id=staff_id, name=name, role=role, hall_code=hall_code,
                             password_hash=scrypt_hash(password), failed_logins=0,
                             created_at=now))
    audit.append(session, at=now, actor=actor, action="staff.account_created",
                 detail={"staff_id": staff_id, "role": role, "hall": hall_code})


@dataclass(frozen=True)
class LoginPolicy:
    session_ttl_s: int
    lockout_after: int
    lockout_s: int


def login(session: Session, staff_id: str, password: str, *, now: datetime,
          policy: LoginPolicy) -> tuple[str, datetime] | ProblemError:
    """A new session (token, expires_at), or the refusal to raise once this transaction
    committed: a failed try must be counted, not rolled back with the refusal."""
    account = session.get(StaffAccount, staff_id)
    if account is None or account.revoked_at is not None:
        scrypt_matches(password, _DUMMY_HASH)
        return ProblemError(401, "login_failed", "unknown staff id or wrong password")
    if account.locked_until is not None and account.locked_until > now:
        return ProblemError(423, "account_locked", "too many failed sign-ins; try again "
                                                   f"after {account.locked_until:%H:%M} UTC")
    if not scrypt_matches(password, account.password_hash):
        account.failed_logins += 1
        if account.failed_logins >= policy.lockout_after:
            account.failed_logins, account.locked_until = 0, now + timedelta(
                seconds=policy.lockout_s)
            audit.append(session, at=now, actor=f"staff:{staff_id}", action="staff.locked_out")
        return ProblemError(401, "login_failed", "unknown staff id or wrong password")
    account.failed_logins, account.locked_until = 0, None
    token = "st_" + secrets.token_urlsafe(24)
    expires = now + timedelta(seconds=policy.session_ttl_s)
    session.add(StaffSession(token_hash=_hash(token), staff_id=staff_id, created_at=now,
                             expires_at=expires))
    audit.append(session, at=now, actor=f"staff:{staff_id}", action="staff.signed_in")
    return token, expires


def _unauthorised(detail: str) -> ProblemError:
    return ProblemError(401, "staff_login_required", detail,
                        headers={"WWW-Authenticate": "Bearer"})


def authenticate(session: Session, authorization: str | None, *, now: datetime) -> StaffMember:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise _unauthorised("Authorization: Bearer <session token from /v1/staff/login>")
    row = session.execute(select(StaffSession, StaffAccount)
                          .join(StaffAccount, StaffAccount.staff_id == StaffSession.staff_id)
                          .where(StaffSession.token_hash == _hash(token.strip()))).first()
    if row is None:
        raise _unauthorised("unknown session")
    signed_in, account = row
    if signed_in.ended_at is not None or account.revoked_at is not None:
        raise _unauthorised("signed out or revoked")
    if signed_in.expires_at <= now:
        raise _unauthorised("session expired; sign in again")
    return StaffMember(account.staff_id, account.name, Role(account.role), account.hall_code)


def logout(session: Session, authorization: str, *, now: datetime) -> None:
    _scheme, _, token = authorization.partition(" ")
    session.execute(update(StaffSession).where(StaffSession.token_hash == _hash(token.strip()),
                                               StaffSession.ended_at.is_(None))
                    .values(ended_at=now))


def accounts_visible_to(session: Session, member: StaffMember) -> list[StaffAccount]:
    member.require(Permission.staff)
    query = select(StaffAccount).order_by(StaffAccount.hall_code, StaffAccount.staff_id)
    if not member.all_halls:
        query = query.where(StaffAccount.hall_code == member.hall_code)
    return list(session.scalars(query))


def revoke(session: Session, staff_id: str, *, now: datetime,
           by: StaffMember | None = None) -> None:
    """Revoke an account and end its sessions. `by` None: the operator (CLI). A supervisor
    revokes clerks and technicians of their own hall."""
    account = session.get(StaffAccount, staff_id)
    if by is not None:
        by.require(Permission.staff)
        if account is not None and not by.all_halls and (
                account.hall_code != by.hall_code
                or account.role not in (Role.clerk, Role.technician)):
            account = None          # outside their scope: as if it did not exist
    if account is None:
        raise ProblemError(404, "no_such_staff", staff_id)
    if account.revoked_at is None:
        account.revoked_at = now
    session.execute(update(StaffSession).where(StaffSession.staff_id == staff_id,
                                               StaffSession.ended_at.is_(None))
                    .values(ended_at=now))
    audit.append(session, at=now, actor=by.actor if by else "operator",
                 action="staff.revoked", detail={"staff_id": staff_id})


def set_kiosk_pin(session: Session, staff_id: str, pin: str, *, now: datetime,
                  actor: str = "operator") -> None:
    """Set (or replace) a person's kiosk PIN; their hall's kiosks take it at the next sync.
    `actor`: the person themselves from the console, or the operator (CLI)."""
    shortest, longest = KIOSK_PIN_DIGITS
    if not (pin.isascii() and pin.isdigit() and shortest <= len(pin) <= longest):
        raise ValueError(f"a kiosk PIN is {shortest} to {longest} digits")
    _active(session, staff_id).kiosk_pin_hash = scrypt_hash(pin)
    audit.append(session, at=now, actor=actor, action="staff.kiosk_pin_set",
                 detail={"staff_id": staff_id})


def set_staff_card(session: Session, staff_id: str, id_number: str, *, now: datetime,
                   actor: str = "operator") -> None:
    """Register (or replace) a person's staff card: the salted hash of their resident ID
    number (never the number, nor in the audit); their hall's kiosks take it at the next
    sync."""
    secret = v1.staff_card_secret(id_number)
    _active(session, staff_id).staff_card_hash = scrypt_hash(secret)
    audit.append(session, at=now, actor=actor, action="staff.card_set",
                 detail={"staff_id": staff_id})


def _active(session: Session, staff_id: str) -> StaffAccount:
    account = session.get(StaffAccount, staff_id)
    if account is None or account.revoked_at is not None:
        raise ValueError(f"no staff account {staff_id} (or it is revoked)")
    return account


def password_matches(session: Session, staff_id: str, password: str) -> bool:
    account = session.get(StaffAccount, staff_id)
    return scrypt_matches(password, account.password_hash if account else _DUMMY_HASH) \
        and account is not None


#: the kiosk role (wire.v1.KioskStaff) of each staff role: technicians and administrators
#: may do everything on a kiosk, the hall's clerks and supervisors its consumables and lockers
KIOSK_ROLES = {Role.technician: "technician", Role.administrator: "technician",
               Role.clerk: "hall_staff", Role.supervisor: "hall_staff"}


def kiosk_staff(session: Session, hall_code: str, *, pin_field: bool,
                card_field: bool = False) -> list[dict[str, str]]:
    """Who may enter maintenance at a kiosk of this hall (wire.v1.KioskStaff, as JSON): its
    staff not revoked, with their kiosk PIN's scrypt hash (never the password's), in a stable
    order. `pin_field`: the kiosk takes `pin_hash` (v1.FEATURE_KIOSK_PIN); the previous
    release takes the hash as `secret_hash`, which it requires, so only people with a PIN.
    `card_field`: the kiosk takes `card_hash` (v1.FEATURE_STAFF_CARD), for those who
    registered a staff card."""
    accounts = session.scalars(select(StaffAccount).where(
        StaffAccount.hall_code == hall_code, StaffAccount.revoked_at.is_(None))
        .order_by(StaffAccount.staff_id))
    people = []
    for account in accounts:
        person = {"staff_id": account.staff_id, "role": KIOSK_ROLES[Role(account.role)]}
        if card_field and account.staff_card_hash:
            person["card_hash"] = account.staff_card_hash
        if pin_field:
            if account.kiosk_pin_hash:
                person["pin_hash"] = account.kiosk_pin_hash
        elif account.kiosk_pin_hash:
            person["secret_hash"] = account.kiosk_pin_hash
        else:
            continue
        people.append(person)
    return people
