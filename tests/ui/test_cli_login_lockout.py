"""Lockout never tells which user numbers exist, also across `posterm` commands (issue 8).

Each `posterm` command is its own process: counting failures for unknown
names in memory only let the sixth wrong PIN for a real user answer 'locked'
while an unknown number kept answering 'wrong username or PIN'.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ui.clikit import ADMIN, init_till

ROOT = Path(__file__).resolve().parents[2]


def _attempt(data: Path, user: str) -> str:
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    done = subprocess.run(
        [sys.executable, "-m", "ui.cli", "user", "list", "--data-dir", str(data), "--user", user],
        input="0000\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2, done
    [line] = [x for x in done.stderr.splitlines() if x.startswith("posterm: ")]
    return line


def test_an_unknown_user_locks_like_a_real_one_from_command_to_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = init_till(tmp_path / "data", monkeypatch)
    real = [_attempt(data, ADMIN) for _ in range(6)]
    unknown = [_attempt(data, "8888") for _ in range(6)]
    assert "locked" in real[-1]  # the real admin is locked by now
    strip = [line.split("（")[0] for line in real]  # the unlock time may differ by a minute
    assert [line.split("（")[0] for line in unknown] == strip
