"""The layering rules (ARCHITECTURE.md section 2) hold, and a planted violation is caught."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("kiosk", "devices", "ui", "offline_queue", "wire", "district_server", "config")
LINT = [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; "
        "sys.exit(lint_imports_command())"]


def lint(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*LINT, str(tree / ".importlinter")], cwd=tree,
                          env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=300)


def copy_tree(dest: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(ROOT / package, dest / package,
                        ignore=shutil.ignore_patterns("__pycache__", "*.qml", "*.png", "*.qm"))
    shutil.copy(ROOT / ".importlinter", dest / ".importlinter")
    return dest


def test_layering_contracts_hold():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_planted_qt_import_in_core_is_caught(tmp_path):
    tree = copy_tree(tmp_path)
    (tree / "kiosk" / "planted_violation.py").write_text("import PySide6.QtCore\n")
    result = lint(tree)
    assert result.returncode != 0
    assert "Only ui/ imports Qt" in result.stdout
    assert "kiosk.planted_violation" in result.stdout


def test_planted_driver_import_in_ui_is_caught(tmp_path):
    tree = copy_tree(tmp_path)
    (tree / "ui" / "planted_violation.py").write_text("import serial\n")
    result = lint(tree)
    assert result.returncode != 0
    assert "Device vendor libraries only inside devices/" in result.stdout
