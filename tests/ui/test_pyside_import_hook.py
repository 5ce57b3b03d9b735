"""PySide's import hook asks whether each newly imported module uses PySide6: the shell
answers it by reading the file's bytes (ui/pyside_import_hook.py), with the same answers."""
from __future__ import annotations

import inspect
import sys


def _pyside_answer(module) -> bool:
    """What PySide's own check (PYSIDE-2029) answers."""
    try:
        return "PySide6" in inspect.getsource(module)
    except (TypeError, OSError, SyntaxError):
        return False


def test_the_shell_installs_the_cheaper_check():
    import ui.app  # noqa: F401  (what `kiosk run` imports first)
    from ui.pyside_import_hook import source_mentions_pyside
    assert sys.modules["shibokensupport.feature"]._mod_uses_pyside is source_mentions_pyside


def test_the_cheaper_check_answers_as_pyside_does():
    import ui.app  # noqa: F401
    from ui.pyside_import_hook import source_mentions_pyside
    modules = [module for module in list(sys.modules.values())
               if isinstance(getattr(module, "__file__", None), str)]
    answers = {module.__name__: source_mentions_pyside(module) for module in modules}
    assert answers == {module.__name__: _pyside_answer(module) for module in modules}
    # both kinds are among them: the shell's modules use PySide, the standard library not
    assert answers["ui.app"] and answers["ui.bridge"]
    assert not answers["json"] and not answers["kiosk.session"]
    assert not source_mentions_pyside(sys)     # built in: no source


def test_modules_imported_after_pyside_are_recorded_as_before(tmp_path, monkeypatch):
    """The hook records every module imported after PySide: one that uses PySide as
    0 (no feature selected), any other as -1 (ignored)."""
    import ui.app  # noqa: F401
    (tmp_path / "hook_probe_qt.py").write_text("from PySide6.QtCore import QObject\n")
    (tmp_path / "hook_probe_plain.py").write_text("import json\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    feature = sys.modules["shibokensupport.feature"]
    try:
        __import__("hook_probe_qt")   # the import statement's path, which PySide hooks
        __import__("hook_probe_plain")
        assert feature.pyside_feature_dict["hook_probe_qt"] == 0
        assert feature.pyside_feature_dict["hook_probe_plain"] == -1
    finally:
        for name in ("hook_probe_qt", "hook_probe_plain"):
            sys.modules.pop(name, None)
            feature.pyside_feature_dict.pop(name, None)
