"""Helpers for tests that drive `posterm` on a till made by `posterm init`."""

from __future__ import annotations

import io
from pathlib import Path

import keyring
import pytest
from argon2 import PasswordHasher
from keyring.backends import fail

from terminal import auth
from ui.cli import main

ADMIN = "9001"
ADMIN_PIN = "4321"
CHEAP = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def cli(monkeypatch: pytest.MonkeyPatch, stdin: str, *argv: str) -> int:
    """Run ``posterm argv`` with ``stdin`` as what the person types (PINs, one a line)."""
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(list(argv))


def init_till(
    root: Path, monkeypatch: pytest.MonkeyPatch, *, store: str = "S012", terminal: str = "T01"
) -> Path:
    """`posterm init` into ``root``: store, terminal, default tiers and admin 9001 (PIN 4321).

    PIN hashing is made cheap and the OS keyring is never touched (member keys
    go to a key file in the data directory).
    """
    monkeypatch.setattr(auth, "HASHER", CHEAP)
    monkeypatch.setattr(keyring, "get_keyring", fail.Keyring)
    argv = ["init", "--data-dir", str(root), "--store-code", store, "--store-name", "新店",
            "--terminal-code", terminal, "--admin-user", ADMIN]  # fmt: skip
    assert cli(monkeypatch, f"{ADMIN_PIN}\n{ADMIN_PIN}\n", *argv) == 0
    return root


def one_error(capsys: pytest.CaptureFixture[str]) -> str:
    """The one line a refused command printed on stderr (no traceback)."""
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("posterm: ") and "Traceback" not in err[0], err
    return err[0]
