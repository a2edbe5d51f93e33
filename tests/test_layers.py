"""DESIGN.md layering, enforced by import-linter (contracts in pyproject.toml).

import-linter sees ``import`` statements; a module loaded by name through
``importlib`` would slip past it, so the core and the devices may not load
modules by name at all.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_linter_contracts_hold():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is a dev dependency (pip install -e .[dev])"
    out = subprocess.run([lint], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    assert "3 kept, 0 broken" in out.stdout


def test_core_and_devices_load_no_module_by_name():
    by_name = re.compile(r"\b(import_module|__import__|importlib)\b")
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for package in ("terminal", "devices")
        for path in sorted((ROOT / package).rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if by_name.search(line.split("#", 1)[0])
    ]
    assert offenders == []
