"""Basic Access Control (ICAO Doc 9303 Part 11 §4.3, Appendix D): keys and mutual authentication.

Also holds the two primitives BAC and secure messaging share: two-key 3DES-CBC with a
zero IV and the ISO 9797-1 MAC algorithm 3 ("retail MAC") with padding method 2.
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives.ciphers import Cipher, modes

from devices.id_reader.errors import AccessDenied, ParseError, VerificationFailed

ZERO_IV = bytes(8)


def pad(data: bytes) -> bytes:
    """ISO/IEC 9797-1 padding method 2: 0x80 then zeros up to a multiple of 8."""
    padded = data + b"\x80"
    return padded + bytes(-len(padded) % 8)


def unpad(data: bytes) -> bytes:
    stripped = data.rstrip(b"\x00")
    if not stripped.endswith(b"\x80"):
        raise ParseError("decrypted data lacks ISO 9797-1 method 2 padding")
    return stripped[:-1]


def _tdes(key16: bytes) -> TripleDES:
    return TripleDES(key16 + key16[:8])


def tdes_encrypt(key16: bytes, data: bytes) -> bytes:
    encryptor = Cipher(_tdes(key16), modes.CBC(ZERO_IV)).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def tdes_decrypt(key16: bytes, data: bytes) -> bytes:
    if len(data) % 8:
        raise ParseError(f"ciphertext of {len(data)} bytes is not a multiple of 8")
    decryptor = Cipher(_tdes(key16), modes.CBC(ZERO_IV)).decryptor()
    return decryptor.update(data) + decryptor.finalize()


def _single_des(key8: bytes) -> TripleDES:
    return TripleDES(key8 * 3)  # K1=K2=K3 is single DES


def retail_mac(key16: bytes, padded: bytes) -> bytes:
    """ISO 9797-1 MAC algorithm 3: single-DES CBC with K1, then decrypt K2, encrypt K1."""
    k1, k2 = key16[:8], key16[8:16]
    chain = Cipher(_single_des(k1), modes.CBC(ZERO_IV)).encryptor()
    block = (chain.update(padded) + chain.finalize())[-8:]
    block = Cipher(_single_des(k2), modes.ECB()).decryptor().update(block)
    return Cipher(_single_des(k1), modes.ECB()).encryptor().update(block)


def adjust_parity(key: bytes) -> bytes:
    """DES odd parity on every byte (the low bit is the parity bit)."""
    out = bytearray()
    for byte in key:
        high = byte & 0xFE
        out.append(high | (bin(high).count("1") + 1) % 2)
    return bytes(out)


def derive_key(kseed: bytes, counter: int) -> bytes:
    """Doc 9303 Part 11 §9.7.1: SHA-1(Kseed || c)[0:16] with DES parity (c=1 enc, c=2 MAC)."""
    return adjust_parity(hashlib.sha1(kseed + counter.to_bytes(4, "big")).digest()[:16])


def kseed_from_mrz(mrz_information: str) -> bytes:
    return hashlib.sha1(mrz_information.encode("ascii")).digest()[:16]


@dataclass(frozen=True)
class SessionKeys:
    ks_enc: bytes
    ks_mac: bytes
    ssc: int

    def __repr__(self) -> str:
        return "SessionKeys(<secret>)"


class BacHandshake:
    """The reader's (IFD's) side of the BAC mutual authentication.

    `rnd_ifd` and `k_ifd` come from the caller so the Appendix D example can be replayed
    with its fixed values; in service they are `os.urandom(8)` and `os.urandom(16)`.
    """

    def __init__(self, mrz_information: str, rnd_ifd: bytes, k_ifd: bytes) -> None:
        if len(rnd_ifd) != 8 or len(k_ifd) != 16:
            raise ValueError("RND.IFD must be 8 bytes and K.IFD 16 bytes")
        kseed = kseed_from_mrz(mrz_information)
        self.k_enc = derive_key(kseed, 1)
        self.k_mac = derive_key(kseed, 2)
        self.rnd_ifd = rnd_ifd
        self.k_ifd = k_ifd
        self.rnd_ic = b""

    def __repr__(self) -> str:
        return "BacHandshake(<secret>)"

    def authenticate_data(self, rnd_ic: bytes) -> bytes:
        """E_IFD || M_IFD, the data of MUTUAL AUTHENTICATE, for the card's challenge."""
        if len(rnd_ic) != 8:
            raise ParseError(f"GET CHALLENGE answered {len(rnd_ic)} bytes instead of 8")
        self.rnd_ic = rnd_ic
        e_ifd = tdes_encrypt(self.k_enc, self.rnd_ifd + rnd_ic + self.k_ifd)
        return e_ifd + retail_mac(self.k_mac, pad(e_ifd))

    def finish(self, response: bytes) -> SessionKeys:
        """Check the card's E_IC || M_IC and derive the session keys and SSC."""
        if len(response) != 40:
            raise ParseError(f"MUTUAL AUTHENTICATE answered {len(response)} bytes instead of 40")
        e_ic, m_ic = response[:32], response[32:]
        if not hmac.compare_digest(retail_mac(self.k_mac, pad(e_ic)), m_ic):
            raise AccessDenied("the card's authentication cryptogram has a wrong MAC: the "
                               "access key does not match this document")
        plain = tdes_decrypt(self.k_enc, e_ic)
        if plain[:8] != self.rnd_ic or plain[8:16] != self.rnd_ifd:
            raise VerificationFailed("the card's authentication cryptogram does not return "
                                     "our challenge", code="bacChallengeMismatch")
        k_ic = plain[16:32]
        kseed = bytes(a ^ b for a, b in zip(self.k_ifd, k_ic))
        ssc = int.from_bytes(self.rnd_ic[4:8] + self.rnd_ifd[4:8], "big")
        return SessionKeys(derive_key(kseed, 1), derive_key(kseed, 2), ssc)
