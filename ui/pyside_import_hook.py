"""PySide6's import hook, made cheaper: import this before the rest of the shell's modules.

Importing PySide6 replaces Python's `__import__`: after every import of a module it has not
seen, PySide asks whether that module's source mentions "PySide6" (for its opt-in
`from __feature__ import ...`, PYSIDE-2029). It asks through `inspect.getsource`, which
resolves the path, reads the file into `linecache` and splits it into lines: about 30 M
instructions before the attract screen's first frame (each of some 70 modules the shell
imports after PySide), and again for every module imported after it (journeys, devices).
The same question is answered here by reading the file's bytes. The kiosk selects no PySide
feature, so the answer is never used, but it stays the same (tests/ui/test_pyside_import_hook.py).
Nothing changes when a PySide version no longer has the hook.
"""
from __future__ import annotations

import sys
from types import ModuleType

import PySide6.QtCore  # noqa: F401  (starts shiboken, which installs the hook)

_FEATURE_MODULE = "shibokensupport.feature"
_ASKS = "_mod_uses_pyside"


def source_mentions_pyside(module: ModuleType) -> bool:
    """Whether the module's Python source contains "PySide6" (False without a source file,
    as for a built-in or compiled module)."""
    path = getattr(module, "__file__", None)
    if not isinstance(path, str) or not path.endswith(".py"):
        return False
    try:
        with open(path, "rb") as source:
            return b"PySide6" in source.read()
    except OSError:
        return False


def install() -> bool:
    """Answer PySide's question with `source_mentions_pyside`; False if this PySide does
    not ask it."""
    feature = sys.modules.get(_FEATURE_MODULE)
    if feature is None or not callable(getattr(feature, _ASKS, None)):
        return False
    setattr(feature, _ASKS, source_mentions_pyside)
    return True


install()
