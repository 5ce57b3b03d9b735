"""The 256-byte text block of Chinese identity cards read through a SAM (UTF-16LE, space padded).

Layouts, told apart by the type flag at bytes 248-249:
- resident identity card (居民身份证): flag blank;
- Hong Kong / Macao / Taiwan residence permit (港澳台居民居住证): 'J';
- foreign permanent resident ID card 2017 (外国人永久居留身份证): 'I';
- foreign permanent resident ID card 2023: 'Y'.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from devices.id_reader.errors import ParseError

TEXT_LENGTH = 256
LONG_TERM = "长期"

#: GB/T 3304 nation (民族) codes
NATIONS = {
    "01": "汉", "02": "蒙古", "03": "回", "04": "藏", "05": "维吾尔", "06": "苗", "07": "彝",
    "08": "壮", "09": "布依", "10": "朝鲜", "11": "满", "12": "侗", "13": "瑶", "14": "白",
    "15": "土家", "16": "哈尼", "17": "哈萨克", "18": "傣", "19": "黎", "20": "傈僳",
    "21": "佤", "22": "畲", "23": "高山", "24": "拉祜", "25": "水", "26": "东乡", "27": "纳西",
    "28": "景颇", "29": "柯尔克孜", "30": "土", "31": "达斡尔", "32": "仫佬", "33": "羌",
    "34": "布朗", "35": "撒拉", "36": "毛南", "37": "仡佬", "38": "锡伯", "39": "阿昌",
    "40": "普米", "41": "塔吉克", "42": "怒", "43": "乌孜别克", "44": "俄罗斯", "45": "鄂温克",
    "46": "德昂", "47": "保安", "48": "裕固", "49": "京", "50": "塔塔尔", "51": "独龙",
    "52": "鄂伦春", "53": "赫哲", "54": "门巴", "55": "珞巴", "56": "基诺", "97": "其他",
    "98": "外国血统中国籍人士",
}

RESIDENT, HMT_PERMIT, FOREIGNER_2017, FOREIGNER_2023 = "resident", "J", "I", "Y"


@dataclass(frozen=True)
class SamText:
    layout: str
    id_number: str
    name_zh: str = ""
    name_latin: str = ""
    sex: str = ""
    nation: str = ""          # 民族 for resident cards
    nationality: str = ""     # ISO 3166 alpha-3 for foreigners, CHN otherwise
    birth_date: date | None = None
    address: str = ""
    issuing_authority: str = ""
    valid_from: date | None = None
    valid_until: date | None = None
    long_term: bool = False
    permit_number: str = ""   # HMT: 通行证号码; 2023 foreigner: link to the old number
    issue_count: str = ""

    def __repr__(self) -> str:
        return f"SamText({self.layout}, <masked>)"


def _raw(text: bytes, start: int, length: int) -> str:
    try:
        return text[start:start + length].decode("utf-16-le").replace("\x00", " ")
    except UnicodeDecodeError:
        raise ParseError(f"bytes {start}-{start + length} of the card text are not UTF-16") \
            from None


def _field(text: bytes, start: int, length: int) -> str:
    return _raw(text, start, length).strip()


def _date(value: str, what: str) -> date:
    if len(value) != 8 or not value.isdigit():
        raise ParseError(f"the {what} on the card is not YYYYMMDD")
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        raise ParseError(f"the {what} on the card is no calendar date") from None


def _sex(code: str) -> str:
    return {"1": "M", "2": "F"}.get(code, "X")


def _validity(text: bytes) -> tuple[date, date | None, bool]:
    start = _date(_field(text, 188, 16), "validity start")
    until = _field(text, 204, 16)
    if until == LONG_TERM:
        return start, None, True
    return start, _date(until, "validity end"), False


def nation_name(code: str) -> str:
    if code not in NATIONS:
        raise ParseError("the nation code on the card is not in GB/T 3304")
    return NATIONS[code]


def parse_text(text: bytes) -> SamText:
    if len(text) != TEXT_LENGTH:
        raise ParseError(f"the card text must be {TEXT_LENGTH} bytes, not {len(text)}")
    flag = _field(text, 248, 2)
    valid_from, valid_until, long_term = _validity(text)
    if flag == FOREIGNER_2017:
        return SamText(
            FOREIGNER_2017, _field(text, 122, 30), name_zh=_field(text, 158, 30),
            name_latin=_field(text, 0, 120), sex=_sex(_field(text, 120, 2)),
            nationality=_field(text, 152, 6), birth_date=_date(_field(text, 220, 16), "birth date"),
            issuing_authority=_field(text, 240, 8), valid_from=valid_from,
            valid_until=valid_until, long_term=long_term, issue_count=_field(text, 236, 4))
    if flag == FOREIGNER_2023:
        # the English name continues from bytes 52-121 into 220-241
        latin = " ".join((_raw(text, 52, 70) + _raw(text, 220, 22)).split())
        return SamText(
            FOREIGNER_2023, _field(text, 122, 36), name_zh=_field(text, 0, 30), name_latin=latin,
            sex=_sex(_field(text, 30, 2)), nationality=_field(text, 242, 6),
            birth_date=_date(_field(text, 36, 16), "birth date"),
            issuing_authority=_field(text, 158, 30), valid_from=valid_from,
            valid_until=valid_until, long_term=long_term, issue_count=_field(text, 32, 4),
            permit_number=_field(text, 250, 6))
    if flag not in ("", HMT_PERMIT):
        raise ParseError(f"unknown card layout flag {flag!r} in the card text")
    common = dict(id_number=_field(text, 122, 36), name_zh=_field(text, 0, 30),
                  sex=_sex(_field(text, 30, 2)), nationality="CHN",
                  birth_date=_date(_field(text, 36, 16), "birth date"),
                  address=_field(text, 52, 70), issuing_authority=_field(text, 158, 30),
                  valid_from=valid_from, valid_until=valid_until, long_term=long_term)
    if flag == HMT_PERMIT:
        return SamText(HMT_PERMIT, permit_number=_field(text, 220, 18),
                       issue_count=_field(text, 238, 4), **common)
    return SamText(RESIDENT, nation=nation_name(_field(text, 32, 4)), **common)


def parse_added_address(data: bytes) -> str:
    """READ ADDED ADDRESS: 70 bytes UTF-16LE (the address after a move)."""
    if len(data) % 2:
        raise ParseError("the added address has an odd number of bytes")
    try:
        return data.decode("utf-16-le").strip(" \x00")
    except UnicodeDecodeError:
        raise ParseError("the added address is not UTF-16") from None
