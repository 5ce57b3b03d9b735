"""Chinese first, English on a switch: Qt Linguist `.ts` files compiled to `.qm`.

Source strings (`qsTr` in QML) are Chinese; `ui/i18n/<domain>_en_US.ts` translate them.
`compile_translations()` runs `pyside6-lrelease` when a `.qm` is missing or older than
its `.ts` (at build time, or at start on a developer checkout); where `ui/i18n/` is not
writable the `.qm` goes to a cache directory instead. A bundle (kiosk.spec) ships the
`.qm` files alone.
"""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtQml import QQmlEngine

log = logging.getLogger(__name__)

I18N_DIR = Path(__file__).resolve().parent / "i18n"
SOURCE_LANGUAGE = "zh_CN"
LANGUAGES = ("zh_CN", "en_US")


class TranslationError(RuntimeError):
    pass


def lrelease_command() -> list[str]:
    beside_python = Path(sys.executable).with_name("pyside6-lrelease")
    if beside_python.exists():
        return [str(beside_python)]
    import shutil   # here: only a .ts newer than its .qm needs compiling
    found = shutil.which("pyside6-lrelease") or shutil.which("lrelease")
    if found:
        return [found]
    raise TranslationError("pyside6-lrelease not found: install PySide6 (pip) into this Python")


def _writable(directory: Path) -> bool:
    return directory.is_dir() and os.access(directory, os.W_OK)


def compile_translations(language: str, *, cache_dir: Path | None = None,
                         source_dir: Path = I18N_DIR) -> list[Path]:
    """Fresh `.qm` files for every `*_<language>.ts`; returns their paths."""
    out_dir = source_dir if _writable(source_dir) else \
        (cache_dir or Path.home() / ".cache" / "gov-kiosk")
    out_dir.mkdir(parents=True, exist_ok=True)
    compiled = []
    names = {p.stem for p in source_dir.glob(f"*_{language}.ts")} | \
        {p.stem for p in source_dir.glob(f"*_{language}.qm")}
    for name in sorted(names):
        ts, packaged = source_dir / f"{name}.ts", source_dir / f"{name}.qm"
        qm = out_dir / packaged.name
        if packaged.exists() and (not ts.exists() or
                                  packaged.stat().st_mtime >= ts.stat().st_mtime):
            qm = packaged  # a bundle ships the .qm alone
        elif not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
            import subprocess   # rarely: not on the attract screen's path
            result = subprocess.run([*lrelease_command(), "-silent", str(ts), "-qm", str(qm)],
                                    capture_output=True, text=True, check=False)
            if result.returncode != 0 or not qm.exists():
                raise TranslationError(f"compiling {ts.name} failed: "
                                       f"{(result.stderr or result.stdout).strip()}")
            log.info("translation compiled", extra={"ts": ts.name})
        compiled.append(qm)
    return compiled


class Translations:
    """Installs the translators for the current language and retranslates the QML."""

    def __init__(self, engine: QQmlEngine, *, cache_dir: Path | None = None) -> None:
        self._engine = engine
        self._cache_dir = cache_dir
        self._installed: list[QTranslator] = []
        self.language = SOURCE_LANGUAGE

    def remove(self) -> None:
        app = QCoreApplication.instance()
        for translator in self._installed:
            app.removeTranslator(translator)
        self._installed.clear()

    def set_language(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"unsupported language {language!r}; use one of {LANGUAGES}")
        app = QCoreApplication.instance()
        self.remove()
        if language != SOURCE_LANGUAGE:
            for qm in compile_translations(language, cache_dir=self._cache_dir):
                # no parent: removed from the list, it is gone (a child of the application
                # stayed, two a switch to English, for as long as the kiosk ran)
                translator = QTranslator()
                if not translator.load(str(qm)):
                    raise TranslationError(f"{qm} is not a valid translation file")
                app.installTranslator(translator)
                self._installed.append(translator)
        self.language = language
        self._engine.retranslate()
