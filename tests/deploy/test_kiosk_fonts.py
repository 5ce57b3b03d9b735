"""The kiosk's fontconfig file (deploy/fontconfig/kiosk-fonts.conf, its unit's FONTCONFIG_FILE)
draws the kiosk's text as the system's configuration does: the same font file and face with
the same rendering settings (that font covers every string the kiosk shows:
tests/ui/test_i18n_fonts.py). Asked of libfontconfig itself (the library Qt reads), each
configuration loaded on its own. The fallbacks after it depend on the fonts a host has
installed, so they are not asserted (on the machine of docs/benchmarks.md the whole
fallback order was the same)."""
from __future__ import annotations

import ctypes
import ctypes.util

import pytest

from tests.conftest import require_service
from tests.deploy.test_kiosk_unit import INSTALLED_FILES
from ui.theme import FONT_FAMILY

KIOSK_FONTS = INSTALLED_FILES["/usr/local/share/kiosk/fonts.conf"]
#: what decides how a glyph is drawn: the font file and face, and the rendering settings
DRAWN_WITH = ("%{family[0]}|%{style[0]}|%{file}|%{index}|%{hintstyle}|%{hinting}|%{antialias}|"
              "%{autohint}|%{rgba}|%{lcdfilter}|%{embolden}|%{matrix}|%{pixelsize}\n")
FC_MATCH_PATTERN = 0


class _FontSet(ctypes.Structure):
    _fields_ = [("nfont", ctypes.c_int), ("sfont", ctypes.c_int),
                ("fonts", ctypes.POINTER(ctypes.c_void_p))]


def fontconfig() -> ctypes.CDLL:
    name = ctypes.util.find_library("fontconfig")
    require_service("libfontconfig", name is not None, "apt-get install libfontconfig1")
    fc = ctypes.CDLL(name)
    for function, result, arguments in (
            ("FcConfigCreate", ctypes.c_void_p, []),
            ("FcConfigFilename", ctypes.c_void_p, [ctypes.c_char_p]),
            ("FcConfigParseAndLoad", ctypes.c_int, [ctypes.c_void_p, ctypes.c_char_p,
                                                    ctypes.c_int]),
            ("FcConfigBuildFonts", ctypes.c_int, [ctypes.c_void_p]),
            ("FcConfigDestroy", None, [ctypes.c_void_p]),
            ("FcNameParse", ctypes.c_void_p, [ctypes.c_char_p]),
            ("FcConfigSubstitute", ctypes.c_int, [ctypes.c_void_p, ctypes.c_void_p,
                                                  ctypes.c_int]),
            ("FcDefaultSubstitute", None, [ctypes.c_void_p]),
            ("FcFontSort", ctypes.POINTER(_FontSet),
             [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p,
              ctypes.POINTER(ctypes.c_int)]),
            ("FcFontRenderPrepare", ctypes.c_void_p, [ctypes.c_void_p, ctypes.c_void_p,
                                                      ctypes.c_void_p]),
            ("FcPatternFormat", ctypes.c_void_p, [ctypes.c_void_p, ctypes.c_char_p]),
            ("FcPatternDestroy", None, [ctypes.c_void_p]),
            ("FcFontSetDestroy", None, [ctypes.POINTER(_FontSet)]),
            ("FcStrFree", None, [ctypes.c_void_p])):
        getattr(fc, function).restype = result
        getattr(fc, function).argtypes = arguments
    return fc


def drawn_with(fc: ctypes.CDLL, config_file: bytes, pattern: str) -> list[str]:
    """What `fc-match -s` prints: the fonts in fallback order, as the pattern draws each."""
    config = fc.FcConfigCreate()
    try:
        assert fc.FcConfigParseAndLoad(config, config_file, 1), config_file
        assert fc.FcConfigBuildFonts(config)
        asked = fc.FcNameParse(pattern.encode())
        fc.FcConfigSubstitute(config, asked, FC_MATCH_PATTERN)
        fc.FcDefaultSubstitute(asked)
        found = fc.FcFontSort(config, asked, 1, None, ctypes.byref(ctypes.c_int()))
        lines = []
        for index in range(found.contents.nfont):
            font = fc.FcFontRenderPrepare(config, asked, found.contents.fonts[index])
            text = fc.FcPatternFormat(font, DRAWN_WITH.encode())
            lines.append(ctypes.string_at(text).decode())
            fc.FcStrFree(text)
            fc.FcPatternDestroy(font)
        fc.FcFontSetDestroy(found)
        fc.FcPatternDestroy(asked)
        return lines
    finally:
        fc.FcConfigDestroy(config)


@pytest.mark.parametrize("text", ["lang=zh-cn", "lang=en"], ids=["chinese", "latin"])
@pytest.mark.parametrize("weight", ["regular", "bold"])
def test_the_kiosks_text_is_drawn_as_with_the_systems_configuration(monkeypatch, text,
                                                                     weight):
    monkeypatch.delenv("FONTCONFIG_FILE", raising=False)  # the system's, as a shell has it
    fc = fontconfig()
    system = ctypes.string_at(fc.FcConfigFilename(None))
    pattern = f"{FONT_FAMILY}:{text}:weight={weight}:pixelsize=28"
    before = drawn_with(fc, system, pattern)
    require_service(FONT_FAMILY, before[0].startswith(f"{FONT_FAMILY}|"),
                    "scripts/install-debian-deps.sh installs fonts-noto-cjk")
    after = drawn_with(fc, str(KIOSK_FONTS).encode(), pattern)
    assert after[0].startswith(f"{FONT_FAMILY}|{weight.title()}|")
    assert after[0] == before[0]
