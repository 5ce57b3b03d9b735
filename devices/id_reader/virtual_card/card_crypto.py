"""The card's own BAC/SM cryptography (deliberately not the reader's implementation)."""
from __future__ import annotations

import hashlib

from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives.ciphers import Cipher, modes


def _ede(key16: bytes) -> TripleDES:
    return TripleDES(key16[:8] + key16[8:16] + key16[:8])


def with_parity(raw: bytes) -> bytes:
    return bytes((b & 0xFE) | (1 - bin(b >> 1).count("1") % 2) for b in raw)


def key_from_seed(seed: bytes, mode: int) -> bytes:
    return with_parity(hashlib.sha1(seed + bytes((0, 0, 0, mode))).digest()[:16])


def padded(data: bytes) -> bytes:
    data += b"\x80"
    while len(data) % 8:
        data += b"\x00"
    return data


def strip_padding(data: bytes) -> bytes | None:
    end = data.rfind(b"\x80")
    if end < 0 or any(data[end + 1:]):
        return None
    return data[:end]


def encrypt(key16: bytes, data: bytes) -> bytes:
    return Cipher(_ede(key16), modes.CBC(bytes(8))).encryptor().update(data)


def decrypt(key16: bytes, data: bytes) -> bytes:
    return Cipher(_ede(key16), modes.CBC(bytes(8))).decryptor().update(data)


def mac(key16: bytes, data: bytes) -> bytes:
    """ISO 9797-1 algorithm 3, block by block: single DES chain, 3DES on the last block."""
    blocks = [data[i:i + 8] for i in range(0, len(data), 8)]
    k1 = key16[:8]
    single = Cipher(TripleDES(k1 + k1 + k1), modes.ECB()).encryptor()
    state = bytes(8)
    for block in blocks[:-1]:
        state = single.update(bytes(a ^ b for a, b in zip(state, block)))
    last = bytes(a ^ b for a, b in zip(state, blocks[-1]))
    return Cipher(_ede(key16), modes.ECB()).encryptor().update(last)
