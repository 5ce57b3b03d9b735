"""The kiosk's identity: its Ed25519 signing key and the district keys learnt at enrolment.

Files in the queue directory, both written durably and readable by the kiosk user only:
- `kiosk_signing_key.pem`: the kiosk's private Ed25519 key (PKCS#8), made once;
- `enrolment.json`: kiosk id, server URL and the district's public keys (the payload key
  for HPKE, the receipt key that signs receipts and desired state) plus the holder HMAC
  key. The kiosk holds no key that decrypts what it captured.
"""
from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, \
    Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from offline_queue.errors import NotEnrolled
from offline_queue.fileio import write_durably
from wire.v1 import DistrictKeys, EnrollResponse

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


@dataclass(frozen=True)
class KioskIdentity:
    kiosk_id: str
    server_url: str
    signing_key: Ed25519PrivateKey
    district: DistrictKeys

    @property
    def payload_public_key(self) -> X25519PublicKey:
        return X25519PublicKey.from_public_bytes(base64.b64decode(
            self.district.payload_public_key))

    @property
    def receipt_public_key(self) -> Ed25519PublicKey:
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(
            self.district.receipt_public_key))

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
        return KioskIdentity(data["kiosk_id"], data["server_url"],
                             load_or_create_signing_key(directory),
                             DistrictKeys.model_validate(data["district"]))

    @staticmethod
    def save(directory: Path, server_url: str, response: EnrollResponse,
             signing_key: Ed25519PrivateKey) -> "KioskIdentity":
        record = {"kiosk_id": response.kiosk_id, "server_url": server_url,
                  "district": response.district.model_dump(mode="json")}
        write_durably(Path(directory) / ENROLMENT_FILE,
                      json.dumps(record, indent=2, sort_keys=True).encode())
        return KioskIdentity(response.kiosk_id, server_url, signing_key, response.district)
