"""The test command's own guards: per-test time limit, and what mypy checks."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_a_hung_test_fails_alone(pytestconfig: pytest.Config) -> None:
    """pytest-timeout is loaded and limits every test, so a hung device thread fails one
    test instead of stalling the whole run (getini refuses a key no plugin declared)."""
    assert pytestconfig.pluginmanager.hasplugin("timeout")
    assert float(pytestconfig.getini("timeout")) == 300


def test_mypy_checks_every_package_with_the_pydantic_plugin() -> None:
    mypy = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert sorted(mypy["packages"]) == ["devices", "sync", "terminal", "ui"]
    assert "pydantic.mypy" in mypy["plugins"]
    script = (ROOT / "scripts" / "run-tests.sh").read_text(encoding="utf-8")
    assert ".venv/bin/mypy\n" in script  # the test command runs it
