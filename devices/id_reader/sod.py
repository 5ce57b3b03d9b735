"""EF.SOD and Passive Authentication (Doc 9303 Part 10 §4.6.2, Part 11 §5.1).

The four checks: data-group hashes against the LDS security object; the messageDigest
and contentType signed attributes; the document signer's signature over the signed
attributes (RSA PKCS#1 v1.5, RSASSA-PSS, ECDSA); the signer's chain to a CSCA store.
Without a store the chain is reported "not checked", never "valid".
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from asn1crypto import algos, cms, core
from cryptography import x509 as cx509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from devices.id_reader import tlv
from devices.id_reader.errors import ParseError

LDS_SECURITY_OBJECT_OID = "2.23.136.1.1.1"
#: asn1crypto raises these on malformed DER, often lazily on first access
_ASN1_ERRORS = (ValueError, TypeError, KeyError, IndexError, OverflowError, AttributeError)


class DataGroupHash(core.Sequence):
    _fields = [("data_group_number", core.Integer), ("data_group_hash_value", core.OctetString)]


class DataGroupHashes(core.SequenceOf):
    _child_spec = DataGroupHash


class LdsVersionInfo(core.Sequence):
    _fields = [("lds_version", core.PrintableString), ("unicode_version", core.PrintableString)]


class LdsSecurityObject(core.Sequence):
    _fields = [("version", core.Integer), ("hash_algorithm", algos.DigestAlgorithm),
               ("data_group_hash_values", DataGroupHashes),
               ("lds_version_info", LdsVersionInfo, {"optional": True})]


_HASHES = {"sha1": hashes.SHA1, "sha224": hashes.SHA224, "sha256": hashes.SHA256,
           "sha384": hashes.SHA384, "sha512": hashes.SHA512}


def _hash_class(name: str) -> type[hashes.HashAlgorithm]:
    if name not in _HASHES:
        raise ParseError(f"unsupported hash algorithm {name}")
    return _HASHES[name]


@dataclass(frozen=True)
class Sod:
    hash_algorithm: str
    data_group_hashes: dict[int, bytes]
    econtent: bytes
    #: DER of the signed attributes as a SET (what the signature covers)
    signed_attributes: bytes
    message_digest: bytes
    content_type: str
    signer_digest_algorithm: str
    signature_algorithm: str
    pss_hash: str
    pss_salt_length: int
    signature: bytes
    certificates: tuple[bytes, ...]

    def hash_data_group(self, data: bytes) -> bytes:
        return hashlib.new(self.hash_algorithm, data).digest()


def parse_sod(data: bytes) -> Sod:
    try:
        return _parse_sod(data)
    except ParseError:
        raise
    except _ASN1_ERRORS as error:
        raise ParseError(f"EF.SOD is not valid CMS SignedData: {type(error).__name__}") from None


def _parse_sod(data: bytes) -> Sod:
    wrapper = tlv.expect(data, 0x77, "EF.SOD")
    info = cms.ContentInfo.load(wrapper.value, strict=True)
    if info["content_type"].native != "signed_data":
        raise ParseError("EF.SOD does not hold CMS SignedData")
    signed = info["content"]
    encap = signed["encap_content_info"]
    if encap["content_type"].dotted != LDS_SECURITY_OBJECT_OID:
        raise ParseError(f"EF.SOD eContentType is {encap['content_type'].dotted}, not the LDS "
                         "security object")
    econtent_value = encap["content"]
    if not isinstance(econtent_value, (core.OctetString, core.ParsableOctetString)) \
            or econtent_value.method != 0:
        raise ParseError("EF.SOD has no eContent as a primitive OCTET STRING")
    econtent = bytes(econtent_value.contents)
    lso = LdsSecurityObject.load(econtent, strict=True)
    hash_algorithm = lso["hash_algorithm"]["algorithm"].native
    _hash_class(hash_algorithm)
    dg_hashes: dict[int, bytes] = {}
    for entry in lso["data_group_hash_values"]:
        number = entry["data_group_number"].native
        if not 1 <= number <= 16:
            raise ParseError(f"EF.SOD lists data group {number}, which does not exist")
        dg_hashes[number] = entry["data_group_hash_value"].native
    signer_infos = signed["signer_infos"]
    if len(signer_infos) != 1:
        raise ParseError(f"EF.SOD has {len(signer_infos)} signer infos; exactly one is expected")
    signer = signer_infos[0]
    attrs = signer["signed_attrs"]
    if not attrs:
        raise ParseError("EF.SOD signer info has no signed attributes")
    message_digest = content_type = None
    for attr in attrs:
        kind = attr["type"].native
        if kind == "message_digest":
            message_digest = attr["values"][0].native
        elif kind == "content_type":
            content_type = attr["values"][0].dotted
    if message_digest is None or content_type is None:
        raise ParseError("EF.SOD signed attributes lack messageDigest or contentType")
    signed_attributes = b"\x31" + attrs.dump()[1:]
    sig_algo = signer["signature_algorithm"]
    pss_hash, pss_salt = "", 0
    if sig_algo["algorithm"].native == "rsassa_pss":
        params = sig_algo["parameters"]
        pss_hash = params["hash_algorithm"]["algorithm"].native
        pss_salt = params["salt_length"].native
        mgf = params["mask_gen_algorithm"]
        if mgf["algorithm"].native != "mgf1" or \
                mgf["parameters"]["algorithm"].native != pss_hash:
            raise ParseError("RSASSA-PSS with a mask generation other than MGF1 on the same "
                             "hash is not supported")
        _hash_class(pss_hash)
    signer_digest = signer["digest_algorithm"]["algorithm"].native
    _hash_class(signer_digest)
    certificates = tuple(c.chosen.dump() for c in (signed["certificates"] or [])
                         if c.name == "certificate")
    return Sod(hash_algorithm, dg_hashes, econtent, signed_attributes, message_digest,
               content_type, signer_digest, sig_algo.signature_algo, pss_hash, pss_salt,
               signer["signature"].native, certificates)


# --- checks --------------------------------------------------------------------------

class Outcome:
    PASSED = "passed"
    FAILED = "failed"
    NOT_CHECKED = "not_checked"
    ABSENT = "absent"


@dataclass(frozen=True)
class CheckResult:
    name: str
    outcome: str
    detail: str = ""


def check_message_digest(sod: Sod) -> CheckResult:
    if sod.content_type != LDS_SECURITY_OBJECT_OID:
        return CheckResult("sod_content_type", Outcome.FAILED,
                           "the signed contentType attribute is not the LDS security object")
    digest = hashlib.new(sod.signer_digest_algorithm, sod.econtent).digest()
    if hmac.compare_digest(digest, sod.message_digest):
        return CheckResult("sod_message_digest", Outcome.PASSED)
    return CheckResult("sod_message_digest", Outcome.FAILED,
                       "the signed messageDigest does not match the security object")


def check_data_group(sod: Sod, number: int, data: bytes) -> CheckResult:
    name = f"dg{number}_hash"
    expected = sod.data_group_hashes.get(number)
    if expected is None:
        return CheckResult(name, Outcome.FAILED, f"the SOD holds no hash for DG{number}")
    if hmac.compare_digest(sod.hash_data_group(data), expected):
        return CheckResult(name, Outcome.PASSED)
    return CheckResult(name, Outcome.FAILED, f"DG{number} does not match its hash in the SOD: "
                                             "the data were altered")


def signer_certificate(sod: Sod, certificate: bytes | None = None) -> cx509.Certificate:
    der = certificate or (sod.certificates[0] if sod.certificates else None)
    if der is None:
        raise ParseError("EF.SOD holds no document signer certificate and none was given")
    try:
        return cx509.load_der_x509_certificate(der)
    except ValueError:
        raise ParseError("the document signer certificate is not valid DER") from None


def check_signature(sod: Sod, certificate: bytes | None = None) -> CheckResult:
    name = "sod_signature"
    try:
        key = signer_certificate(sod, certificate).public_key()
    except ParseError as error:
        return CheckResult(name, Outcome.FAILED, error.message)
    data, signature = sod.signed_attributes, sod.signature
    try:
        if sod.signature_algorithm == "rsassa_pss" and isinstance(key, rsa.RSAPublicKey):
            algorithm = _hash_class(sod.pss_hash)()
            key.verify(signature, data, padding.PSS(padding.MGF1(algorithm), sod.pss_salt_length),
                       algorithm)
        elif sod.signature_algorithm == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, data, padding.PKCS1v15(),
                       _hash_class(sod.signer_digest_algorithm)())
        elif sod.signature_algorithm == "ecdsa" and isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, data, ec.ECDSA(_hash_class(sod.signer_digest_algorithm)()))
        else:
            return CheckResult(name, Outcome.FAILED, f"signature algorithm "
                                                     f"{sod.signature_algorithm} does not fit "
                                                     "the signer's key")
    except InvalidSignature:
        return CheckResult(name, Outcome.FAILED, "the document signer's signature is invalid")
    except ParseError as error:
        return CheckResult(name, Outcome.FAILED, error.message)
    return CheckResult(name, Outcome.PASSED, f"{sod.signature_algorithm}")


def load_csca_store(folder: str | Path) -> list[cx509.Certificate]:
    certificates = []
    for path in sorted(Path(folder).glob("*")):
        if not path.is_file():
            continue
        raw = path.read_bytes()
        try:
            certificates.append(cx509.load_pem_x509_certificate(raw) if b"-----BEGIN" in raw
                                else cx509.load_der_x509_certificate(raw))
        except ValueError:
            continue  # not a certificate (a README, a CRL): the store holds only certificates
    return certificates


def check_chain(sod: Sod, store: list[cx509.Certificate] | None, *, at: datetime,
                certificate: bytes | None = None) -> CheckResult:
    name = "csca_chain"
    if store is None:
        return CheckResult(name, Outcome.NOT_CHECKED, "no CSCA store is configured")
    try:
        signer = signer_certificate(sod, certificate)
    except ParseError as error:
        return CheckResult(name, Outcome.FAILED, error.message)
    if not signer.not_valid_before_utc <= at <= signer.not_valid_after_utc:
        return CheckResult(name, Outcome.FAILED, "the document signer certificate is outside "
                                                 "its validity period")
    for csca in store:
        if csca.subject != signer.issuer:
            continue
        try:
            signer.verify_directly_issued_by(csca)
        except (ValueError, TypeError, InvalidSignature):
            continue
        return CheckResult(name, Outcome.PASSED, "revocation lists not checked")
    return CheckResult(name, Outcome.FAILED, "no CSCA in the store issued the document signer")
