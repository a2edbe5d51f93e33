"""DESIGN.md layering: devices/printer never imports the core; the core never imports devices."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = set(sys.stdlib_module_names) | {
    "__future__",
    "devices",
    "escpos",
    "PIL",
    "pydantic",
    "numpy",
    "cv2",
    "pyzbar",
    "zxingcpp",
}


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_devices_printer_imports_only_device_libraries():
    for path in sorted((ROOT / "devices" / "printer").glob("*.py")):
        assert imported(path) <= ALLOWED, (path.name, imported(path) - ALLOWED)


def test_receipts_and_print_jobs_never_import_devices():
    for name in ("receipts.py", "print_jobs.py"):
        assert "devices" not in imported(ROOT / "terminal" / name), name


def test_devices_printer_imports_with_the_core_blocked():
    code = r"""
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("terminal", "sync", "ui", "PySide6", "shiboken6"):
            raise ImportError(f"blocked import of {name}")
        return None
sys.meta_path.insert(0, Block())
import devices.printer, devices.printer.service, devices.printer.transport
print("ok")
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
