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


def lint_with_planted(tmp_path: Path, package: str, code: str) -> str:
    """lint-imports' report on a copy of the tree with `code` planted in `package`; it must fail."""
    tree = copy_tree(tmp_path)
    (tree / package / "planted_violation.py").write_text(code)
    result = lint(tree)
    assert result.returncode != 0, result.stdout
    return result.stdout


def test_planted_upward_import_is_caught(tmp_path):
    report = lint_with_planted(tmp_path, "devices", "import kiosk.app\n")
    assert "Layers go one way" in report
    assert "devices.planted_violation -> kiosk.app" in report


def test_planted_server_import_in_the_queue_is_caught(tmp_path):
    report = lint_with_planted(tmp_path, "offline_queue", "import district_server.app\n")
    assert "offline_queue.planted_violation" in report


def test_planted_qt_import_in_core_is_caught(tmp_path):
    report = lint_with_planted(tmp_path, "kiosk", "import PySide6.QtCore\n")
    assert "Only ui/ imports Qt" in report
    assert "kiosk.planted_violation" in report


def test_planted_driver_import_in_ui_is_caught(tmp_path):
    report = lint_with_planted(tmp_path, "ui", "import serial\n")
    assert "Device vendor libraries only inside devices/" in report
