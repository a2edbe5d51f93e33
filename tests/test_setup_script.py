"""`scripts/setup.sh app` (what `run-app.sh` runs) builds only what the app needs and says
each slow step in a line; `setup.sh tests` adds the printer emulator the tests print to.

The script runs for real in a copy of the repository's layout, with stand-ins for the
slow tools it calls (dpkg, the virtualenv's python, scripts/emupos.sh) that log each call.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).parent.parent


def _stub(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(0o755)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    if shutil.which("bash") is None:
        pytest.skip("needs bash")
    root = tmp_path / "repo"
    (root / "scripts").mkdir(parents=True)
    shutil.copy(REPO / "scripts" / "setup.sh", root / "scripts" / "setup.sh")
    (root / "pyproject.toml").write_text("", encoding="utf-8")
    log = tmp_path / "calls.log"
    _stub(root / ".venv" / "bin" / "python", f'echo "venv-python $*" >> {log}')
    _stub(root / "scripts" / "emupos.sh", f'echo "emupos $*" >> {log}')
    _stub(tmp_path / "bin" / "dpkg", "exit 0")  # every system package is there
    return root


def _setup(root: Path, mode: str) -> tuple[str, str]:
    env = {**os.environ, "PATH": f"{root.parent / 'bin'}:{os.environ['PATH']}"}
    out = subprocess.run(
        ["bash", "scripts/setup.sh", mode], cwd=root, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    log = root.parent / "calls.log"
    return out.stdout, log.read_text(encoding="utf-8") if log.exists() else ""


def test_the_app_setup_never_builds_the_printer_emulator(tree: Path) -> None:
    said, calls = _setup(tree, "app")
    assert "emupos" not in calls and "emupos" not in said
    assert "pip install -q -e ." in calls and "[dev]" not in calls  # no test tools either
    assert "setup: installing Python packages (first run: a few minutes)" in said


def test_a_second_run_does_nothing_slow_and_says_nothing(tree: Path) -> None:
    _setup(tree, "app")
    (tree.parent / "calls.log").unlink()
    said, calls = _setup(tree, "app")
    assert said == "" and calls == ""


def test_the_tests_setup_adds_test_tools_and_the_emulator_and_says_so(tree: Path) -> None:
    said, calls = _setup(tree, "tests")
    assert "pip install -q -e .[dev]" in calls and "emupos setup" in calls
    assert "setup: setting up the emupos printer emulator for the tests" in said
