"""Encryption at capture and verification of what the server signs.

Payloads and blobs are sealed with HPKE (RFC 9180, base mode, wire.v1.HPKE_SUITE) to the
district's public key: only the district server can open them, the kiosk cannot. A
payload is bound to its kind and submission id by the HPKE info string
(wire.v1.payload_info); a blob is addressed by the sha256 of its sealed bytes.
"""
from __future__ import annotations

import base64

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from wire.v1 import HPKE_BLOB_INFO, EncryptedPayload, payload_info, split_hpke_output

SUITE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_128_GCM)


def seal_payload(plaintext: bytes, *, kind: str, submission_id: str,
                 public_key: X25519PublicKey, key_id: str) -> EncryptedPayload:
    sealed = SUITE.encrypt(plaintext, public_key, info=payload_info(kind, submission_id))
    enc, ciphertext = split_hpke_output(sealed)
    return EncryptedPayload(key_id=key_id, enc_b64=base64.b64encode(enc).decode(),
                            ciphertext_b64=base64.b64encode(ciphertext).decode())


def seal_blob(plaintext: bytes, public_key: X25519PublicKey) -> bytes:
    """enc || ciphertext; its sha256 is the blob's address."""
    return SUITE.encrypt(plaintext, public_key, info=HPKE_BLOB_INFO)


def verify_signed(message: bytes, signature_b64: str, public_key: Ed25519PublicKey) -> bool:
    """True when `signature_b64` is an Ed25519 signature of `message` by `public_key`
    (`message`: wire.v1.signed_message of the object as received)."""
    try:
        public_key.verify(base64.b64decode(signature_b64), message)
    except (InvalidSignature, ValueError):
        return False
    return True
