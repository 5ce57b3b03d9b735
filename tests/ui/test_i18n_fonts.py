"""Translations are complete and compile; the installed font covers every Chinese string."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "ui" / "i18n"
CATALOGUE = ROOT / "config" / "catalogue"
#: CJK ideographs, CJK punctuation and full-width forms
CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


def ts_files(prefix=""):
    return sorted(I18N.glob(f"{prefix}*.ts"))


def ts_strings(path):
    tree = ET.parse(path)
    for message in tree.iter("message"):
        for tag in ("source", "translation"):
            node = message.find(tag)
            if node is not None and node.text:
                yield node.text


@pytest.mark.parametrize("path", ts_files("shell_"), ids=lambda p: p.name)
def test_every_message_is_translated(path):
    untranslated = [m.find("source").text for m in ET.parse(path).iter("message")
                    if m.find("translation").get("type") in ("unfinished", None)
                    and not (m.find("translation").text or "").strip()]
    assert not untranslated, f"{path.name}: untranslated: {untranslated}"


#: qsTr("…") in a QML file: its context is the file's name
QS_TR = re.compile(r'qsTr\(\s*"((?:[^"\\]|\\.)*)"')


def _unescaped(literal: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), literal)


def test_every_qml_string_has_an_english_text():
    """A string a screen shows in Chinese is shown in English after the switch: every qsTr
    of every QML file (the shell's and the journeys') has a finished translation in its
    file's context, so nothing stays Chinese because lupdate was not run."""
    translated = set()
    for path in ts_files():
        for context in ET.parse(path).iter("context"):
            name = context.find("name").text
            for message in context.iter("message"):
                translation = message.find("translation")
                if (translation.text or "").strip() and translation.get("type") not in (
                        "unfinished", "obsolete", "vanished"):
                    translated.add((name, message.find("source").text))
    shown = {(qml.stem, _unescaped(literal)) for qml in (ROOT / "ui").rglob("*.qml")
             for literal in QS_TR.findall(qml.read_text(encoding="utf-8"))}
    assert len(shown) > 100                 # the pattern still finds the screens' strings
    assert not shown - translated, f"no English text: {sorted(shown - translated)}"


def test_one_source_string_has_one_english_text():
    """The same Chinese words on two screens read the same in English (现在拍摄 is "Scan now"
    on the materials list and on the scan screen)."""
    english: dict[str, set[str]] = {}
    for path in ts_files():
        for message in ET.parse(path).iter("message"):
            english.setdefault(message.find("source").text, set()).add(
                message.find("translation").text)
    assert english["现在拍摄"] == {"Scan now"}
    assert not {source: texts for source, texts in english.items() if len(texts) > 1}


def test_missing_or_stale_translation_is_recompiled(tmp_path, qapp):
    import os
    import shutil

    from ui.i18n import compile_translations
    shutil.copy(I18N / "shell_en_US.ts", tmp_path / "shell_en_US.ts")
    [qm] = compile_translations("en_US", source_dir=tmp_path)
    assert qm == tmp_path / "shell_en_US.qm" and qm.stat().st_size > 0
    ts_mtime = (tmp_path / "shell_en_US.ts").stat().st_mtime
    os.utime(qm, (ts_mtime - 60, ts_mtime - 60))  # the .ts was edited after the build
    compile_translations("en_US", source_dir=tmp_path)
    assert qm.stat().st_mtime >= ts_mtime


def test_a_bundle_without_ts_sources_uses_its_compiled_translations(tmp_path, qapp):
    import shutil

    from ui.i18n import compile_translations
    shutil.copy(I18N / "shell_en_US.ts", tmp_path / "shell_en_US.ts")
    [built] = compile_translations("en_US", source_dir=tmp_path)
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    shutil.copy(built, bundle / built.name)
    assert compile_translations("en_US", source_dir=bundle) == [bundle / "shell_en_US.qm"]


def test_switching_languages_leaves_no_translator_behind(tmp_path, qapp):
    # every citizen who switches to English and back (the visit's end) made two translators
    # that stayed until the kiosk stopped (bench/soak.py)
    from PySide6.QtCore import QCoreApplication, QTranslator
    from PySide6.QtQml import QQmlEngine

    from ui.i18n import SOURCE_LANGUAGE, Translations
    engine = QQmlEngine()
    translations = Translations(engine, cache_dir=tmp_path)
    before = len(qapp.findChildren(QTranslator))
    for _ in range(5):
        translations.set_language("en_US")
        translations.set_language(SOURCE_LANGUAGE)
    translations.set_language("en_US")
    assert QCoreApplication.translate("NavBar", "首页") == "Home"
    translations.remove()
    assert len(qapp.findChildren(QTranslator)) == before
    engine.deleteLater()


def chinese_characters():
    texts = [s for path in ts_files() for s in ts_strings(path)]
    catalogue = sorted(CATALOGUE.rglob("*.yaml")) if CATALOGUE.is_dir() else []
    texts += [p.read_text(encoding="utf-8") for p in catalogue]
    return {c for text in texts for c in CHINESE.findall(text)}, bool(catalogue)


def test_installed_font_covers_every_chinese_string(qapp):
    from PySide6.QtGui import QFont, QFontDatabase, QRawFont

    from ui.theme import FONT_FAMILY
    assert FONT_FAMILY in QFontDatabase.families(), \
        f"{FONT_FAMILY} is not installed (Debian package fonts-noto-cjk)"
    characters, has_catalogue = chinese_characters()
    assert len(characters) > 100
    for bold in (False, True):  # titles are bold: the Bold face must cover them too
        qfont = QFont(FONT_FAMILY)
        qfont.setBold(bold)
        font = QRawFont.fromFont(qfont)
        assert font.isValid() and font.familyName() == FONT_FAMILY
        # the code point (int) overload: a str would be taken as one UTF-16 unit
        missing = sorted(c for c in characters if not font.supportsCharacter(ord(c)))
        assert not missing, f"{FONT_FAMILY} {font.styleName()} lacks: {''.join(missing)}"
    if not has_catalogue:
        pytest.skip("config/catalogue/ is absent: only the translations were checked")
