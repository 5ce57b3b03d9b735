"""The kiosk's identity: its Ed25519 signing key and the district keys learnt at enrolment.

Files in the queue directory, both written durably and readable by the kiosk user only:
- `kiosk_signing_key.pem`: the kiosk's private Ed25519 key (PKCS#8), made once;
- `enrolment.json`: kiosk id, server URL and the district's public keys (the payload key
  for HPKE, the receipt key that signs receipts and desired state, and the next receipt key
  while the district rotates it) plus the holder HMAC key. The kiosk holds no key that
  decrypts what it captured.
"""
from __future__ import annotations

import base64
import json
import logging
import os
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, \
    Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from offline_queue.errors import NotEnrolled
from offline_queue.fileio import write_durably
from wire.v1 import DistrictKeys, EnrollResponse, receipt_key_fingerprint

log = logging.getLogger(__name__)

SIGNING_KEY_FILE = "kiosk_signing_key.pem"
ENROLMENT_FILE = "enrolment.json"


def load_or_create_signing_key(directory: Path) -> Ed25519PrivateKey:
    path = Path(directory) / SIGNING_KEY_FILE
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path} does not hold an Ed25519 key")
        return key
    key = Ed25519PrivateKey.generate()
    Path(directory).mkdir(parents=True, exist_ok=True)
    write_durably(path, key.private_bytes(serialization.Encoding.PEM,
                                          serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    return key


def signing_key_exposure(directory: Path) -> str:
    """Empty when the private key file is readable by the kiosk user (its owner, this
    process's user) only, or absent; otherwise what is wrong and the fix."""
    path = Path(directory) / SIGNING_KEY_FILE
    try:
        info = path.stat()
    except FileNotFoundError:
        return ""
    problems = []
    if info.st_mode & 0o077:
        problems.append(f"mode {info.st_mode & 0o777:o} lets other users read it")
    if info.st_uid != os.getuid():
        problems.append(f"owned by uid {info.st_uid}, not the kiosk user (uid {os.getuid()})")
    if not problems:
        return ""
    return f"{path}: {'; '.join(problems)} (fix: chown the kiosk user, chmod 600)"


def raw_public_key_b64(key: Ed25519PrivateKey) -> str:
    return base64.b64encode(key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)).decode()


class DistrictReceiptKeys:
    """The district receipt keys this kiosk trusts: the one pinned at enrolment and, while
    the district rotates it, the next one, announced in a desired state the current key
    signed. A signature by the next key means the district has switched: it becomes the
    current key and the old one is no longer trusted. Verifies like an `Ed25519PublicKey`
    (`verify(signature, data)` raising InvalidSignature), so every check of a district
    signature (receipts, desired state, commands, bundle manifests, backup watermarks)
    follows a rotation. Kept in `enrolment.json` across restarts."""

    def __init__(self, directory: Path, current_b64: str, next_b64: str | None = None) -> None:
        self._path = Path(directory) / ENROLMENT_FILE
        self._lock = threading.Lock()
        self.current_b64, self.next_b64 = current_b64, next_b64

    def verify(self, signature: bytes, data: bytes) -> None:
        with self._lock:
            current, upcoming = self.current_b64, self.next_b64
        try:
            _public(current).verify(signature, data)
            return
        except InvalidSignature:
            if upcoming is None:
                raise InvalidSignature(self.untrusted()) from None
        try:
            _public(upcoming).verify(signature, data)
        except InvalidSignature:
            raise InvalidSignature(self.untrusted()) from None
        self._switch_to(upcoming)

    def announce(self, next_b64: str | None) -> None:
        """The next key as the latest verified desired state names it (None: no rotation)."""
        with self._lock:
            if next_b64 == self.next_b64 or next_b64 == self.current_b64:
                return
            self.next_b64 = next_b64
            self._save()
        if next_b64:
            log.info("the district announced its next receipt key",
                     extra={"next_receipt_key": receipt_key_fingerprint(next_b64)})

    def fingerprints(self) -> list[str]:
        """The trusted keys' short names, the current one first (the reported state)."""
        with self._lock:
            return [receipt_key_fingerprint(k) for k in (self.current_b64, self.next_b64) if k]

    def untrusted(self) -> str:
        """Why a district signature fails, for an error the operator can act on."""
        return (f"signed by none of the district receipt keys this kiosk trusts "
                f"({', '.join(self.fingerprints())}); if the district has switched its "
                "receipt key and this kiosk missed the announcement, enrol it again "
                "(`kiosk enroll`)")

    def _switch_to(self, next_b64: str) -> None:
        with self._lock:
            if self.next_b64 != next_b64:   # another thread switched first
                return
            previous = self.current_b64
            self.current_b64, self.next_b64 = next_b64, None
            self._save()
        log.warning("the district switched its receipt key; the previous one is no longer "
                    "trusted", extra={"receipt_key": receipt_key_fingerprint(next_b64),
                                      "previous_receipt_key": receipt_key_fingerprint(previous)})

    def _save(self) -> None:
        record = json.loads(self._path.read_text(encoding="utf-8"))
        record["district"]["receipt_public_key"] = self.current_b64
        record["next_receipt_public_key"] = self.next_b64
        write_durably(self._path, json.dumps(record, indent=2, sort_keys=True).encode())


def _public(key_b64: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(key_b64))


@dataclass(frozen=True)
class KioskIdentity:
    kiosk_id: str
    server_url: str
    signing_key: Ed25519PrivateKey
    district: DistrictKeys
    receipt_keys: DistrictReceiptKeys

    @cached_property  # built once, not at every capture (the identity is frozen)
    def payload_public_key(self) -> X25519PublicKey:
        return X25519PublicKey.from_public_bytes(base64.b64decode(
            self.district.payload_public_key))

    @property
    def receipt_public_key(self) -> Ed25519PublicKey:
        """The receipt key pinned at enrolment, as switched since (`receipt_keys`)."""
        return _public(self.receipt_keys.current_b64)

    @property
    def holder_hmac_key(self) -> bytes:
        return base64.b64decode(self.district.holder_hmac_key)

    @staticmethod
    def load(directory: Path) -> "KioskIdentity":
        """The enrolled identity; `NotEnrolled` when `kiosk enroll` has not run here."""
        path = Path(directory) / ENROLMENT_FILE
        if not path.exists():
            raise NotEnrolled("this kiosk is not enrolled with a district server; run "
                              "`kiosk enroll --server URL --token TOKEN`")
        data = json.loads(path.read_text(encoding="utf-8"))
        district = DistrictKeys.model_validate(data["district"])
        return KioskIdentity(data["kiosk_id"], data["server_url"],
                             load_or_create_signing_key(directory), district,
                             DistrictReceiptKeys(directory, district.receipt_public_key,
                                                 data.get("next_receipt_public_key")))

    @staticmethod
    def save(directory: Path, server_url: str, response: EnrollResponse,
             signing_key: Ed25519PrivateKey) -> "KioskIdentity":
        record = {"kiosk_id": response.kiosk_id, "server_url": server_url,
                  "district": response.district.model_dump(mode="json")}
        write_durably(Path(directory) / ENROLMENT_FILE,
                      json.dumps(record, indent=2, sort_keys=True).encode())
        return KioskIdentity(response.kiosk_id, server_url, signing_key, response.district,
                             DistrictReceiptKeys(directory,
                                                 response.district.receipt_public_key))
