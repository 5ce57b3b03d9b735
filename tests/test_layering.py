"""The layering rules (docs/architecture.md) hold, and planted violations are caught."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("launcher", "ui", "kiosk", "devices", "offline_queue", "foundation", "wire",
            "district_server", "config")
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


def test_no_import_is_exempted():
    assert "ignore_imports" not in (ROOT / ".importlinter").read_text()


def test_planted_upward_import_is_caught(tmp_path):
    tree = copy_tree(tmp_path)
    (tree / "devices" / "planted_violation.py").write_text("import kiosk.app\n")
    result = lint(tree)
    assert result.returncode != 0
    assert "Layers go one way" in result.stdout
    assert "devices.planted_violation -> kiosk.app" in result.stdout


def test_planted_server_import_in_the_queue_is_caught(tmp_path):
    tree = copy_tree(tmp_path)
    (tree / "offline_queue" / "planted_violation.py").write_text("import district_server.app\n")
    result = lint(tree)
    assert result.returncode != 0
    assert "offline_queue.planted_violation" in result.stdout


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
