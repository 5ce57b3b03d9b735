"""District keys and the server's cryptography: HPKE payload decryption, Ed25519 receipt
and desired-state signatures, kiosk signature verification, holder HMACs.

Keys live in one JSON file (mode 0600): payload keys by key id (old ones kept so older
submissions still decrypt), the receipt signing key (with the next one while a rotation is
announced) and the holder HMAC key.

The receipt key signs receipts, desired state, commands and backup watermarks (and a kiosk
checks bundle manifests against it); a kiosk pins it at enrolment. Rotating it goes in two steps so that no kiosk in
the field is lost: `add_next_receipt_key` (the desired state, signed by the current key,
announces the next public key and each kiosk trusts it from then on, reporting so), then
`switch_receipt_key` (the next key signs from then on; a kiosk seeing its signature drops
the old one). Runbook: docs/district-deployment.md, "Rotating keys"."""
from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hpke, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, \
    Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from wire import v1

SUITE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_128_GCM)
_RAW = dict(encoding=serialization.Encoding.Raw, format=serialization.PrivateFormat.Raw,
            encryption_algorithm=serialization.NoEncryption())
_RAW_PUBLIC = dict(encoding=serialization.Encoding.Raw, format=serialization.PublicFormat.Raw)


class DecryptionFailed(ValueError):
    """The payload does not open with any district key (wrong key, kind, id or tampered)."""


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def raw_public(key) -> bytes:
    return key.public_key().public_bytes(**_RAW_PUBLIC)


@dataclass
class DistrictKeyring:
    payload_keys: dict[str, X25519PrivateKey]
    current_payload_key_id: str
    receipt_key: Ed25519PrivateKey
    holder_hmac_key_id: str
    holder_hmac_key: bytes
    next_receipt_key: Ed25519PrivateKey | None = None

    # -- persistence
    @classmethod
    def generate(cls) -> "DistrictKeyring":
        key_id = "p-" + secrets.token_hex(4)
        return cls({key_id: X25519PrivateKey.generate()}, key_id, Ed25519PrivateKey.generate(),
                   "h-" + secrets.token_hex(4), secrets.token_bytes(32))

    @classmethod
    def load(cls, path: Path) -> "DistrictKeyring":
        data = json.loads(path.read_text())
        payload = {kid: X25519PrivateKey.from_private_bytes(base64.b64decode(raw))
                   for kid, raw in data["payload_keys"].items()}
        next_key = data.get("next_receipt_key")
        return cls(payload, data["current_payload_key_id"],
                   Ed25519PrivateKey.from_private_bytes(base64.b64decode(data["receipt_key"])),
                   data["holder_hmac_key_id"], base64.b64decode(data["holder_hmac_key"]),
                   Ed25519PrivateKey.from_private_bytes(base64.b64decode(next_key))
                   if next_key else None)

    @classmethod
    def load_or_create(cls, path: Path) -> "DistrictKeyring":
        if path.exists():
            return cls.load(path)
        keyring = cls.generate()
        keyring.save(path)
        return keyring

    def save(self, path: Path) -> None:
        data = {
            "payload_keys": {kid: b64(k.private_bytes(**_RAW)) for kid, k in
                             self.payload_keys.items()},
            "current_payload_key_id": self.current_payload_key_id,
            "receipt_key": b64(self.receipt_key.private_bytes(**_RAW)),
            "holder_hmac_key_id": self.holder_hmac_key_id,
            "holder_hmac_key": b64(self.holder_hmac_key),
        }
        if self.next_receipt_key is not None:
            data["next_receipt_key"] = b64(self.next_receipt_key.private_bytes(**_RAW))
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_suffix(".tmp")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(data, handle, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)

    def rotate_payload_key(self) -> str:
        key_id = "p-" + secrets.token_hex(4)
        self.payload_keys[key_id] = X25519PrivateKey.generate()
        self.current_payload_key_id = key_id
        return key_id

    def add_next_receipt_key(self) -> str:
        """Make the next receipt key (kept if one is already announced): kiosks learn it from
        their desired state. Returns its public key (base64)."""
        if self.next_receipt_key is None:
            self.next_receipt_key = Ed25519PrivateKey.generate()
        return b64(raw_public(self.next_receipt_key))

    def switch_receipt_key(self) -> str:
        """Sign with the announced next key from now on; the old key is dropped (receipts it
        signed are signed again when served). Returns the new key's public key (base64)."""
        if self.next_receipt_key is None:
            raise ValueError("no next receipt key is announced: add one first and let the "
                             "kiosks learn it")
        self.receipt_key, self.next_receipt_key = self.next_receipt_key, None
        return b64(raw_public(self.receipt_key))

    # -- public parts
    def public(self) -> v1.DistrictKeys:
        return v1.DistrictKeys(
            payload_public_key=b64(raw_public(self.payload_keys[self.current_payload_key_id])),
            receipt_public_key=b64(raw_public(self.receipt_key)),
            key_id=self.current_payload_key_id,
            holder_hmac_key_id=self.holder_hmac_key_id,
            holder_hmac_key=b64(self.holder_hmac_key))

    def next_receipt_public_key(self) -> str | None:
        """The announced next receipt key (base64), None when no rotation is under way."""
        if self.next_receipt_key is None:
            return None
        return b64(raw_public(self.next_receipt_key))

    # -- operations
    def sign(self, obj) -> str:
        return b64(self.receipt_key.sign(v1.canonical_json(obj)))

    def signed_now(self, obj, stored_signature_b64: str) -> str:
        """The stored signature of `obj` while it is the current key's, else a new one: a
        receipt signed before a switch still verifies at a kiosk that dropped the old key."""
        if verify_ed25519(raw_public(self.receipt_key), base64.b64decode(stored_signature_b64),
                          v1.canonical_json(obj)):
            return stored_signature_b64
        return self.sign(obj)

    def decrypt_payload(self, envelope: v1.SubmissionEnvelope) -> bytes:
        payload = envelope.payload
        key = self.payload_keys.get(payload.key_id)
        if key is None:
            raise DecryptionFailed(f"unknown payload key id {payload.key_id!r}")
        sealed = base64.b64decode(payload.enc_b64) + base64.b64decode(payload.ciphertext_b64)
        try:
            return SUITE.decrypt(sealed, key, info=v1.payload_info(envelope.kind,
                                                                   envelope.submission_id))
        except (InvalidTag, ValueError) as error:
            raise DecryptionFailed("payload does not decrypt with the district key") from error

    def encrypt_blob(self, plaintext: bytes) -> bytes:
        """Seal bytes received in the clear (a citizen's upload) as a kiosk seals a scan."""
        return SUITE.encrypt(plaintext, self.payload_keys[self.current_payload_key_id]
                             .public_key(), info=v1.HPKE_BLOB_INFO)

    def decrypt_blob(self, data: bytes) -> bytes:
        for key in self.payload_keys.values():
            try:
                return SUITE.decrypt(data, key, info=v1.HPKE_BLOB_INFO)
            except (InvalidTag, ValueError):
                continue
        raise DecryptionFailed("blob does not decrypt with any district key")

    def holder(self, id_number: str) -> str:
        return v1.holder_hmac(self.holder_hmac_key, id_number)


def verify_ed25519(public_raw: bytes, signature: bytes, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_raw).verify(signature, message)
        return True
    except (InvalidSignature, ValueError):
        return False


def scrypt_hash(secret: str) -> str:
    """scrypt$n$r$p$salt$hash (wire.v1.PICKUP_CODE_HASH_PATTERN): slow and salted; used for
    locker pickup codes (the kiosk verifies them) and staff passwords."""
    import hashlib
    n, r, p, salt = 2 ** 14, 8, 1, secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=32)
    return f"scrypt${n}${r}${p}${salt.hex()}${digest.hex()}"


def scrypt_matches(secret: str, stored: str) -> bool:
    import hashlib
    import hmac
    try:
        _scheme, n, r, p, salt, digest = stored.split("$")
        computed = hashlib.scrypt(secret.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n),
                                  r=int(r), p=int(p), dklen=32)
    except ValueError:
        return False
    return hmac.compare_digest(computed.hex(), digest)
