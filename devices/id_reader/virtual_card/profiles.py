"""Profiles of virtual documents: MRZ, synthetic photo, and an EF.SOD signed by a test PKI.

`TestPki.generate()` makes a CSCA and a document signer (never real keys); tests
generate their own, the simulator a per-process one. Faults change the files the way a
broken or forged card would: a corrupted data group, a bad SOD signature.
"""
from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Callable

from asn1crypto import cms, core
from asn1crypto import x509 as ax509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

from devices.id_reader.virtual_card.card import VirtualEmrtd
from foundation.identity_validation import mrz_check_digit

LDS_SECURITY_OBJECT = "2.23.136.1.1.1"
FID_COM, FID_DG1, FID_DG2, FID_DG11, FID_DG12, FID_SOD = \
    0x011E, 0x0101, 0x0102, 0x010B, 0x010C, 0x011D

#: faults a virtual card can carry (also the simulated backend's `faults`)
CARD_FAULTS = ("wrong_key", "removed_mid_read", "corrupted_data_group", "bad_sod_signature")


@dataclass(frozen=True)
class EmrtdProfile:
    name: str
    layout: str                 # TD3 (passport) or TD1 (card)
    document_code: str
    issuing_state: str
    document_number: str
    surname: str
    given_names: str
    nationality: str
    birth_yymmdd: str
    sex: str
    expiry_yymmdd: str
    photo_bytes: int = 20000
    face_format: str = "19794"  # or "39794"
    #: DG11 full name in national characters ("PRIMARY<<SECONDARY"); empty: no DG11
    national_name: str = ""
    #: DG12 issuing authority and date of issue (YYYYMMDD); empty: no DG12
    issuing_authority: str = ""
    date_of_issue: str = ""

    def __repr__(self) -> str:
        return f"EmrtdProfile({self.name})"

    def mrz_information(self) -> str:
        number = self.document_number.ljust(9, "<")
        return (number + mrz_check_digit(number) + self.birth_yymmdd
                + mrz_check_digit(self.birth_yymmdd) + self.expiry_yymmdd
                + mrz_check_digit(self.expiry_yymmdd))

    @property
    def access_key(self) -> tuple[str, str, str]:
        return self.document_number, self.birth_yymmdd, self.expiry_yymmdd

    def mrz(self) -> str:
        names = f"{self.surname}<<{self.given_names.replace(' ', '<')}"
        number = self.document_number.ljust(9, "<")
        cd = mrz_check_digit
        if self.layout == "TD3":
            line1 = f"{self.document_code:<<2}{self.issuing_state}{names}".ljust(44, "<")
            optional = "<" * 14
            head = (number + cd(number) + self.nationality + self.birth_yymmdd
                    + cd(self.birth_yymmdd) + self.sex + self.expiry_yymmdd
                    + cd(self.expiry_yymmdd) + optional + "<")
            composite = head[0:10] + head[13:20] + head[21:43]
            return line1 + head + cd(composite)
        line1 = f"{self.document_code:<<2}{self.issuing_state}{number}{cd(number)}".ljust(30, "<")
        line2 = (self.birth_yymmdd + cd(self.birth_yymmdd) + self.sex + self.expiry_yymmdd
                 + cd(self.expiry_yymmdd) + self.nationality).ljust(29, "<")
        composite = line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]
        return line1 + line2 + cd(composite) + names.ljust(30, "<")[:30]


PROFILES = {p.name: p for p in (
    # the Doc 9303 Part 11 Appendix D document (its MRZ key is L898902C<, 690806, 940623)
    EmrtdProfile("icao_specimen", "TD3", "P", "UTO", "L898902C", "ERIKSSON", "ANNA MARIA",
                 "UTO", "690806", "F", "940623"),
    EmrtdProfile("resident_passport", "TD3", "P", "CHN", "E12345678", "ZHANG", "SAN", "CHN",
                 "900101", "M", "320101", national_name="张<<三",
                 issuing_authority="国家移民管理局", date_of_issue="20220101"),
    EmrtdProfile("travel_permit_card", "TD1", "C", "CHN", "C01234567", "LI", "SI", "CHN",
                 "851231", "F", "301231", face_format="39794"),
)}


# --- test PKI -------------------------------------------------------------------------

@dataclass(frozen=True)
class TestPki:
    __test__ = False  # not a pytest class
    csca_key: object
    csca_cert: x509.Certificate
    signer_key: object
    signer_cert: x509.Certificate
    #: "ecdsa", "rsa_pss" or "rsa_pkcs1"
    signature: str

    def __repr__(self) -> str:
        return f"TestPki({self.signature})"

    @classmethod
    def generate(cls, signature: str = "ecdsa", *, now: datetime | None = None) -> "TestPki":
        now = now or datetime(2026, 1, 1, tzinfo=timezone.utc)

        def new_key():
            if signature == "ecdsa":
                return ec.generate_private_key(ec.SECP256R1())
            return rsa.generate_private_key(public_exponent=65537, key_size=2048)

        def name(common: str) -> x509.Name:
            return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                              x509.NameAttribute(NameOID.COMMON_NAME, common)])

        def certificate(subject, issuer, key, signer, ca: bool) -> x509.Certificate:
            return (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
                    .public_key(key.public_key()).serial_number(x509.random_serial_number())
                    .not_valid_before(now - timedelta(days=1))
                    .not_valid_after(now + timedelta(days=3650))
                    .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None),
                                   critical=True)
                    .sign(signer, hashes.SHA256()))

        csca_key, signer_key = new_key(), new_key()
        csca = certificate(name("Test CSCA (kiosk tests)"), name("Test CSCA (kiosk tests)"),
                           csca_key, csca_key, True)
        signer = certificate(name("Test DS (kiosk tests)"), csca.subject, signer_key, csca_key,
                             False)
        return cls(csca_key, csca, signer_key, signer, signature)

    def csca_der(self) -> bytes:
        return self.csca_cert.public_bytes(serialization.Encoding.DER)

    def sign(self, data: bytes) -> tuple[bytes, dict]:
        key = self.signer_key
        if self.signature == "ecdsa":
            return key.sign(data, ec.ECDSA(hashes.SHA256())), {"algorithm": "sha256_ecdsa"}
        if self.signature == "rsa_pkcs1":
            return key.sign(data, padding.PKCS1v15(), hashes.SHA256()), \
                {"algorithm": "sha256_rsa"}
        signature = key.sign(data, padding.PSS(padding.MGF1(hashes.SHA256()), 32),
                             hashes.SHA256())
        return signature, {"algorithm": "rsassa_pss", "parameters": {
            "hash_algorithm": {"algorithm": "sha256"},
            "mask_gen_algorithm": {"algorithm": "mgf1", "parameters": {"algorithm": "sha256"}},
            "salt_length": 32, "trailer_field": "trailer_field_bc"}}


@lru_cache(maxsize=1)
def simulator_pki() -> TestPki:
    """The simulator's per-process PKI (generated once; never a real key)."""
    return TestPki.generate("ecdsa")


# --- LDS files ------------------------------------------------------------------------

def _tlv(tag: int, value: bytes) -> bytes:
    tag_bytes = tag.to_bytes((tag.bit_length() + 7) // 8, "big")
    if len(value) < 0x80:
        length = bytes([len(value)])
    else:
        body = len(value).to_bytes((len(value).bit_length() + 7) // 8, "big")
        length = bytes([0x80 | len(body)]) + body
    return tag_bytes + length + value


def synthetic_jpeg(size: int, *, seed: int = 7) -> bytes:
    """A decodable JPEG padded with a comment segment to exactly `size` bytes."""
    from PIL import Image, ImageDraw
    image = Image.new("RGB", (120, 160), (205, 215, 230))
    draw = ImageDraw.Draw(image)
    draw.ellipse((30, 25, 90, 105), fill=(225, 190, 160))
    draw.rectangle((20, 110, 100, 160), fill=(40, 60, 110 + seed % 100))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    jpeg = out.getvalue()
    filler = size - len(jpeg) - 4
    if filler < 0:
        return jpeg
    segments = b""
    while filler > 0:  # one COM segment holds at most 65533 bytes of text
        part = min(filler, 65533)
        if filler - part in (1, 2, 3):
            part -= 4
        segments += b"\xff\xfe" + (part + 2).to_bytes(2, "big") + b"K" * part
        filler -= part + 4
    return jpeg[:2] + segments + jpeg[2:]


def iso19794_record(image: bytes) -> bytes:
    face_info = bytes(20)
    image_info = bytes([0x01, 0x00]) + (120).to_bytes(2, "big") + (160).to_bytes(2, "big") \
        + bytes(6)
    face = face_info + image_info + image
    face = (len(face)).to_bytes(4, "big") + face[4:]
    total = 14 + len(face)
    return b"FAC\x00010\x00" + total.to_bytes(4, "big") + (1).to_bytes(2, "big") + face


def iso39794_record(image: bytes) -> bytes:
    representation = _tlv(0x30, _tlv(0x80, b"\x00") + _tlv(0xA1, _tlv(0xA0, _tlv(0xA0, _tlv(
        0x80, image)))))
    block = _tlv(0x65, _tlv(0xA0, _tlv(0x80, b"\x03") + _tlv(0x81, b"\x07\xe3"))
                 + _tlv(0xA1, representation))
    return _tlv(0xA1, block)


def build_dg2(image: bytes, face_format: str) -> bytes:
    if face_format == "39794":
        header, block = _tlv(0xA1, _tlv(0x87, b"\x01\x01") + _tlv(0x88, b"\x00\x2a")), \
            _tlv(0x7F2E, iso39794_record(image))
    else:
        header, block = _tlv(0xA1, _tlv(0x87, b"\x01\x01") + _tlv(0x88, b"\x00\x08")), \
            _tlv(0x5F2E, iso19794_record(image))
    return _tlv(0x75, _tlv(0x7F61, _tlv(0x02, b"\x01") + _tlv(0x7F60, header + block)))


def build_sod(files: dict[int, bytes], pki: TestPki, *, corrupt_signature: bool = False) -> bytes:
    hashes_ = [{"data_group_number": fid & 0xFF,
                "data_group_hash_value": hashlib.sha256(data).digest()}
               for fid, data in sorted(files.items())]
    from devices.id_reader.sod import LdsSecurityObject  # the schema only, no reader logic
    lso = LdsSecurityObject({"version": 0, "hash_algorithm": {"algorithm": "sha256"},
                             "data_group_hash_values": hashes_}).dump()
    attributes = cms.CMSAttributes([
        {"type": "content_type", "values": [LDS_SECURITY_OBJECT]},
        {"type": "message_digest", "values": [hashlib.sha256(lso).digest()]},
    ])
    signature, algorithm = pki.sign(attributes.dump())
    if corrupt_signature:
        signature = signature[:-1] + bytes([signature[-1] ^ 0x01])
    signer = ax509.Certificate.load(pki.signer_cert.public_bytes(serialization.Encoding.DER))
    signed = cms.SignedData({
        "version": "v3",
        "digest_algorithms": [{"algorithm": "sha256"}],
        "encap_content_info": {"content_type": LDS_SECURITY_OBJECT,
                               "content": core.ParsableOctetString(lso)},
        "certificates": [signer],
        "signer_infos": [{
            "version": "v1",
            "sid": {"issuer_and_serial_number": {"issuer": signer.issuer,
                                                 "serial_number": signer.serial_number}},
            "digest_algorithm": {"algorithm": "sha256"},
            "signed_attrs": attributes,
            "signature_algorithm": algorithm,
            "signature": signature,
        }],
    })
    info = cms.ContentInfo({"content_type": "signed_data", "content": signed})
    return _tlv(0x77, info.dump())


def build_files(profile: EmrtdProfile, pki: TestPki, *, fault: str | None = None,
                photo: bytes | None = None) -> dict[int, bytes]:
    dg1 = _tlv(0x61, _tlv(0x5F1F, profile.mrz().encode("ascii")))
    image = photo if photo is not None else synthetic_jpeg(profile.photo_bytes)
    dg2 = build_dg2(image, profile.face_format)
    groups = {FID_DG1: dg1, FID_DG2: dg2}
    if profile.national_name:
        groups[FID_DG11] = _tlv(0x6B, _tlv(0x5C, b"\x5f\x0e") + _tlv(
            0x5F0E, profile.national_name.encode("utf-8")))
    if profile.issuing_authority:
        groups[FID_DG12] = _tlv(0x6C, _tlv(0x5C, b"\x5f\x19\x5f\x26") + _tlv(
            0x5F19, profile.issuing_authority.encode("utf-8")) + _tlv(
            0x5F26, profile.date_of_issue.encode("ascii")))
    tags = bytes({FID_DG1: 0x61, FID_DG2: 0x75, FID_DG11: 0x6B, FID_DG12: 0x6C}[fid]
                 for fid in groups)
    com = _tlv(0x60, _tlv(0x5F01, b"0107") + _tlv(0x5F36, b"040000") + _tlv(0x5C, tags))
    sod = build_sod(groups, pki, corrupt_signature=fault == "bad_sod_signature")
    if fault == "corrupted_data_group":
        # one letter of the name changes after signing: DG1 still parses, its hash differs
        at = dg1.index(profile.surname.encode())
        dg1 = dg1[:at] + bytes([dg1[at] ^ 0x03]) + dg1[at + 1:]
    return {**groups, FID_COM: com, FID_DG1: dg1, FID_SOD: sod}


def make_card(profile: EmrtdProfile | str, pki: TestPki | None = None, *,
              fault: str | None = None, max_read: int = 0xE7,
              random: Callable[[int], bytes] = os.urandom, remove_after_reads: int = 3,
              files: dict[int, bytes] | None = None,
              max_response: int | None = None) -> VirtualEmrtd:
    """A virtual card for `profile`, optionally carrying one of `CARD_FAULTS`;
    `max_response`: it takes extended-length APDUs with answers up to that size."""
    if isinstance(profile, str):
        profile = PROFILES[profile]
    if fault is not None and fault not in CARD_FAULTS:
        raise ValueError(f"unknown card fault {fault!r}; known: {', '.join(CARD_FAULTS)}")
    files = files or build_files(profile, pki or simulator_pki(), fault=fault)
    key_source = profile
    if fault == "wrong_key":
        # the card belongs to a different document number than the key the reader has
        key_source = replace(profile, document_number=profile.document_number[:-1] + "0"
                             if not profile.document_number.endswith("0")
                             else profile.document_number[:-1] + "1")
    if max_response:
        max_read = max_response  # the card answers reads as large as its APDUs hold
    return VirtualEmrtd(files, key_source.mrz_information(), max_read=max_read, random=random,
                        remove_after_reads=remove_after_reads if fault == "removed_mid_read"
                        else None, max_response=max_response)
