"""Pluggable sources of citizen data the district holds elsewhere: reference photos (the
population registry in production) and certificates on file (the e-licence library behind
零材料). The demo provider makes up consistent people from the holder identity alone."""
from __future__ import annotations

import hashlib
import io
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Protocol

from wire import v1

#: e-licence types the demo library holds; the catalogue's materials name the same codes.
DEMO_LICENCES: dict[str, tuple[str, str, str]] = {
    # code: (Chinese name, English name, issuer)
    "resident_id": ("居民身份证", "Resident identity card", "深圳市公安局福田分局"),
    "hukou": ("居民户口簿", "Household register", "深圳市公安局福田分局"),
    "marriage_cert": ("结婚证", "Marriage certificate", "福田区民政局"),
    "birth_medical_cert": ("出生医学证明", "Medical birth certificate", "深圳市卫生健康委员会"),
    "property_cert": ("不动产权证书", "Real estate title certificate", "深圳市规划和自然资源局"),
    "lease_record": ("房屋租赁凭证", "Tenancy registration record", "福田区住房和建设局"),
    "business_licence": ("营业执照", "Business licence", "深圳市市场监督管理局"),
    "social_insurance": ("社会保险参保证明", "Social insurance record", "深圳市社会保险基金管理局"),
    "disability_cert": ("残疾人证", "Disability certificate", "福田区残疾人联合会"),
    "residence_permit": ("居住证", "Residence permit", "深圳市公安局福田分局"),
}
#: Everyone in the demo has these; the others are drawn per person.
DEMO_ALWAYS = ("resident_id", "social_insurance")


@dataclass(frozen=True)
class Photo:
    data: bytes
    media_type: str
    source: str


class ReferencePhotoProvider(Protocol):
    name: str

    def photo(self, holder_hmac: str) -> Photo | None: ...

    def certificates(self, holder_hmac: str) -> list[v1.CertificateOnFile]: ...


class NoProvider:
    """No registry connected: no reference photos, no certificates on file."""
    name = "none"

    def photo(self, holder_hmac: str) -> Photo | None:
        return None

    def certificates(self, holder_hmac: str) -> list[v1.CertificateOnFile]:
        return []


class DemoPopulation:
    """Generated people: deterministic from the holder HMAC, so a citizen sees the same
    certificates and face on every visit. Photos come from `photo_dir` when given (e.g. the
    faces the simulated camera shows), else a drawn portrait."""
    name = "demo"

    def __init__(self, photo_dir: Path | None = None) -> None:
        self.photos = sorted(p for p in photo_dir.iterdir()
                             if p.suffix.lower() in (".jpg", ".jpeg", ".png")) \
            if photo_dir and photo_dir.is_dir() else []

    @staticmethod
    def _rng(holder_hmac: str, purpose: str) -> random.Random:
        return random.Random(hashlib.sha256(f"{purpose}:{holder_hmac}".encode()).digest())

    def photo(self, holder_hmac: str) -> Photo:
        if self.photos:
            path = self.photos[self._rng(holder_hmac, "photo").randrange(len(self.photos))]
            media = "image/png" if path.suffix.lower() == ".png" else "image/jpeg"
            return Photo(path.read_bytes(), media, "demo")
        return Photo(draw_portrait(self._rng(holder_hmac, "portrait")), "image/jpeg", "demo")

    def certificates(self, holder_hmac: str) -> list[v1.CertificateOnFile]:
        rng = self._rng(holder_hmac, "certificates")
        codes = list(DEMO_ALWAYS) + [c for c in DEMO_LICENCES if c not in DEMO_ALWAYS
                                     and rng.random() < 0.5]
        result = []
        for code in codes:
            name, name_en, issuer = DEMO_LICENCES[code]
            issued = date(2015, 1, 1) + timedelta(days=rng.randrange(3650))
            number = "".join(rng.choice("0123456789") for _ in range(12))
            result.append(v1.CertificateOnFile(
                certificate_id=f"{code}-{holder_hmac[:12]}", elicence_type=code,
                name=v1.Text(zh=name, en=name_en), number_masked=f"{number[:3]}******{number[-3:]}",
                issuer=issuer, issued_on=issued,
                valid_until=None if code in ("hukou", "marriage_cert", "birth_medical_cert",
                                             "property_cert")
                else issued + timedelta(days=3650)))
        return result


def draw_portrait(rng: random.Random) -> bytes:
    """A simple frontal portrait (JPEG, 360x480): enough for the demo screens."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (360, 480), (226, 232, 240))
    draw = ImageDraw.Draw(image)
    skin = rng.choice([(241, 194, 161), (224, 172, 138), (198, 145, 110), (250, 214, 185)])
    hair = rng.choice([(20, 20, 20), (60, 40, 30), (90, 90, 90), (30, 25, 20)])
    draw.ellipse((80, 400, 280, 600), fill=rng.choice([(40, 70, 120), (90, 90, 90),
                                                      (120, 40, 40)]))
    draw.rectangle((155, 330, 205, 420), fill=skin)
    draw.ellipse((95, 60, 265, 120 + rng.randrange(40)), fill=hair)
    draw.ellipse((105, 90, 255, 350), fill=skin)
    for x in (145, 215):
        draw.ellipse((x - 12, 190, x + 12, 206), fill=(255, 255, 255))
        draw.ellipse((x - 6, 192, x + 6, 204), fill=(40, 30, 20))
    draw.line((180, 210, 172, 262, 186, 264), fill=(150, 100, 80), width=3)
    draw.arc((150, 270, 210, 310), 20, 160, fill=(160, 60, 60), width=4)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def make_provider(name: str, photo_dir: Path | None) -> ReferencePhotoProvider:
    return DemoPopulation(photo_dir) if name == "demo" else NoProvider()
