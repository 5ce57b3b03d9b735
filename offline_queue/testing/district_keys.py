"""A stand-in district key set for tests and benchmarks (only a server holds these)."""
from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from offline_queue.identity import KioskIdentity, load_or_create_signing_key
from wire.v1 import DistrictKeys, EnrollResponse


def _raw(public_key) -> str:
    return base64.b64encode(public_key.public_bytes(serialization.Encoding.Raw,
                                                    serialization.PublicFormat.Raw)).decode()


@dataclass
class District:
    """A district's key pairs, as only the server (here: the test) holds them."""
    payload_key: X25519PrivateKey
    receipt_key: Ed25519PrivateKey

    @staticmethod
    def generate() -> "District":
        return District(X25519PrivateKey.generate(), Ed25519PrivateKey.generate())

    def public(self) -> DistrictKeys:
        return DistrictKeys(payload_public_key=_raw(self.payload_key.public_key()),
                            receipt_public_key=_raw(self.receipt_key.public_key()),
                            key_id="k1", holder_hmac_key_id="h1",
                            holder_hmac_key=base64.b64encode(b"h" * 32).decode())


def enrol(queue_dir: Path, district: District, kiosk_id: str = "kiosk-test-01",
          server_url: str = "http://127.0.0.1:9") -> KioskIdentity:
    key = load_or_create_signing_key(queue_dir)
    return KioskIdentity.save(queue_dir, server_url,
                              EnrollResponse(kiosk_id=kiosk_id, district=district.public()), key)
