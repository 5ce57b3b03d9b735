"""LDS files of an eMRTD (Doc 9303 Part 10): EF.COM, DG1 (the MRZ) and DG2 (the face)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from devices.id_reader import tlv
from devices.id_reader.errors import ParseError
from devices.id_reader.face_image import parse_iso19794_5, parse_iso39794_5
from foundation.identity_validation import IdentityValidationError, mrz_check_digit

AID_EMRTD = bytes.fromhex("A0000002471001")
FID_COM, FID_SOD = 0x011E, 0x011D
#: data-group number -> (file id, tag of the file)
DATA_GROUPS = {n: (0x0100 + n, tag) for n, tag in {
    1: 0x61, 2: 0x75, 3: 0x63, 4: 0x76, 5: 0x65, 6: 0x66, 7: 0x67, 8: 0x68, 9: 0x69,
    10: 0x6A, 11: 0x6B, 12: 0x6C, 13: 0x6D, 14: 0x6E, 15: 0x6F, 16: 0x70}.items()}
_TAG_TO_DG = {tag: n for n, (_fid, tag) in DATA_GROUPS.items()}


@dataclass(frozen=True)
class EfCom:
    lds_version: str
    unicode_version: str
    data_groups: tuple[int, ...]


def parse_ef_com(data: bytes) -> EfCom:
    com = tlv.expect(data, 0x60, "EF.COM")
    values = {e.tag: e.value for e in com.children()}
    if 0x5C not in values:
        raise ParseError("EF.COM lacks its data-group list (5C)")
    groups = []
    for tag in values[0x5C]:
        if tag not in _TAG_TO_DG:
            raise ParseError(f"EF.COM lists unknown data-group tag {tag:02X}")
        groups.append(_TAG_TO_DG[tag])
    return EfCom(values.get(0x5F01, b"").decode("ascii", "replace"),
                 values.get(0x5F36, b"").decode("ascii", "replace"), tuple(groups))


# --- DG1: the MRZ -----------------------------------------------------------------

@dataclass(frozen=True)
class Mrz:
    layout: str  # TD1, TD2, TD3
    document_code: str
    issuing_state: str
    document_number: str
    surname: str
    given_names: str
    nationality: str
    birth_yymmdd: str
    sex: str  # M, F or X
    expiry_yymmdd: str
    optional_data: str
    #: check-digit results: field name -> ok
    checks: dict[str, bool] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"Mrz({self.layout}, {self.document_code}, <masked>)"

    @property
    def check_digits_ok(self) -> bool:
        return all(self.checks.values())


_LAYOUTS = {90: "TD1", 72: "TD2", 88: "TD3"}


def _names(text: str) -> tuple[str, str]:
    primary, _, secondary = text.partition("<<")
    return primary.replace("<", " ").strip(), secondary.replace("<", " ").strip()


def _check(checks: dict[str, bool], name: str, value: str, digit: str) -> None:
    try:
        checks[name] = mrz_check_digit(value) == digit
    except IdentityValidationError:
        checks[name] = False


def parse_mrz(mrz: str) -> Mrz:
    layout = _LAYOUTS.get(len(mrz))
    if layout is None:
        raise ParseError(f"an MRZ has 88 (TD3), 72 (TD2) or 90 (TD1) characters, not {len(mrz)}")
    if any(not (c.isascii() and (c.isupper() or c.isdigit() or c == "<")) for c in mrz):
        raise ParseError("the MRZ holds characters other than A-Z, 0-9 and '<'")
    checks: dict[str, bool] = {}
    if layout == "TD1":
        l1, l2, l3 = mrz[:30], mrz[30:60], mrz[60:]
        if l1[:2] in ("CS", "CD"):
            raise ParseError("this is the China-specific 3x30 permit MRZ, not ICAO TD1",
                             code="unsupportedMrzLayout")
        number, number_cd, optional = l1[5:14], l1[14], l1[15:30] + l2[18:29]
        birth, birth_cd, sex, expiry, expiry_cd = l2[0:6], l2[6], l2[7], l2[8:14], l2[14]
        nationality, names = l2[15:18], l3
        composite = l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29]
        composite_cd = l2[29]
        code, state = l1[0:2], l1[2:5]
    else:
        half = len(mrz) // 2
        l1, l2 = mrz[:half], mrz[half:]
        code, state, names = l1[0:2], l1[2:5], l1[5:]
        number, number_cd, nationality = l2[0:9], l2[9], l2[10:13]
        birth, birth_cd, sex, expiry, expiry_cd = l2[13:19], l2[19], l2[20], l2[21:27], l2[27]
        if layout == "TD3":
            optional = l2[28:42]
            if optional.strip("<") or l2[42] != "<":  # an unused field may carry '<' or '0'
                _check(checks, "optional_data", optional, l2[42])
            composite, composite_cd = l2[0:10] + l2[13:20] + l2[21:43], l2[43]
        else:
            optional = l2[28:35]
            composite, composite_cd = l2[0:10] + l2[13:20] + l2[21:35], l2[35]
    _check(checks, "document_number", number, number_cd)
    _check(checks, "birth_date", birth, birth_cd)
    _check(checks, "expiry_date", expiry, expiry_cd)
    _check(checks, "composite", composite, composite_cd)
    surname, given = _names(names)
    return Mrz(layout, code.replace("<", ""), state.replace("<", ""), number.rstrip("<"), surname,
               given, nationality.replace("<", ""), birth, {"M": "M", "F": "F"}.get(sex, "X"),
               expiry, optional.rstrip("<"), checks)


def parse_dg1(data: bytes) -> Mrz:
    dg1 = tlv.expect(data, 0x61, "DG1")
    try:
        mrz = dg1.child(0x5F1F).value.decode("ascii")
    except UnicodeDecodeError:
        raise ParseError("the MRZ in DG1 is not ASCII") from None
    return parse_mrz(mrz)


def mrz_date(yymmdd: str, *, today: date, future: bool) -> date | None:
    """An MRZ date; the century is chosen so birth dates lie in the past, expiry in the future."""
    try:
        yy, mm, dd = int(yymmdd[0:2]), int(yymmdd[2:4]), int(yymmdd[4:6])
    except ValueError:
        return None
    year = today.year // 100 * 100 + yy
    if year > today.year + (50 if future else 0):
        year -= 100
    try:
        return date(year, mm, dd)
    except ValueError:
        return None


# --- DG11: additional personal details ----------------------------------------------

@dataclass(frozen=True)
class AdditionalDetails:
    """DG11 fields the kiosk uses; names in national characters are UTF-8."""
    full_name: str = ""
    personal_number: str = ""
    full_birth_date: date | None = None
    place_of_birth: str = ""
    address: str = ""

    def __repr__(self) -> str:
        return "AdditionalDetails(<masked>)"


def _national_name(raw: str) -> str:
    """'PRIMARY<<SECONDARY' -> one name; CJK names join without a space (张<<三 -> 张三)."""
    parts = [p.replace("<", " ").strip() for p in raw.split("<<") if p.strip("<")]
    cjk = all(not ch.isascii() for ch in "".join(parts).replace(" ", ""))
    return ("" if cjk else " ").join(parts)


def parse_dg11(data: bytes) -> AdditionalDetails:
    dg11 = tlv.expect(data, 0x6B, "DG11")
    values = {e.tag: e.value for e in dg11.children()}
    try:
        text = {tag: values[tag].decode("utf-8") for tag in (0x5F0E, 0x5F10, 0x5F2B, 0x5F11,
                                                              0x5F42) if tag in values}
    except UnicodeDecodeError:
        raise ParseError("a DG11 text field is not UTF-8") from None
    birth = None
    if len(text.get(0x5F2B, "")) == 8 and text[0x5F2B].isdigit():
        try:
            birth = date(int(text[0x5F2B][:4]), int(text[0x5F2B][4:6]), int(text[0x5F2B][6:]))
        except ValueError:
            birth = None  # issuers may leave parts unknown; DG1's date stays the reference
    return AdditionalDetails(_national_name(text.get(0x5F0E, "")), text.get(0x5F10, ""), birth,
                             text.get(0x5F11, "").replace("<", " ").strip(),
                             text.get(0x5F42, "").replace("<", " ").strip())


# --- DG12: additional document details ------------------------------------------------

@dataclass(frozen=True)
class DocumentDetails:
    issuing_authority: str = ""
    date_of_issue: date | None = None


def parse_dg12(data: bytes) -> DocumentDetails:
    dg12 = tlv.expect(data, 0x6C, "DG12")
    values = {e.tag: e.value for e in dg12.children()}
    try:
        authority = values.get(0x5F19, b"").decode("utf-8").replace("<", " ").strip()
        issued = values.get(0x5F26, b"").decode("ascii")
    except UnicodeDecodeError:
        raise ParseError("a DG12 text field is not UTF-8") from None
    issue_date = None
    if len(issued) == 8 and issued.isdigit():
        try:
            issue_date = date(int(issued[:4]), int(issued[4:6]), int(issued[6:]))
        except ValueError:
            issue_date = None  # an impossible date is left out rather than guessed
    return DocumentDetails(authority, issue_date)


# --- DG2: the face -----------------------------------------------------------------

def parse_dg2(data: bytes) -> bytes:
    """The first face image in DG2 (19794-5 in 5F2E or 39794-5 in 7F2E), bytes as stored."""
    dg2 = tlv.expect(data, 0x75, "DG2")
    group = dg2.child(0x7F61)
    for element in group.children():
        if element.tag != 0x7F60:
            continue
        for block in element.children():
            if block.tag == 0x5F2E:
                return parse_iso19794_5(block.value)
            if block.tag == 0x7F2E:
                return parse_iso39794_5(block.value)
        raise ParseError("a DG2 biometric template has no data block (5F2E or 7F2E)")
    raise ParseError("DG2 holds no biometric template (7F60)")
