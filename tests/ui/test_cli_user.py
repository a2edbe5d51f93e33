"""`posterm user add|list|reset-pin|unlock|deactivate`: managers and admins run the users."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from terminal import auth
from terminal.errors import PermissionDenied
from terminal.store.database import Database
from terminal.store.models import AuditEvent
from tests.ui.clikit import ADMIN_PIN, cli, init_till, one_error
from ui.cli import main


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return init_till(tmp_path / "data", monkeypatch)


def user(monkeypatch: pytest.MonkeyPatch, data: Path, stdin: str, *argv: str) -> int:
    return cli(monkeypatch, stdin, "user", *argv, "--data-dir", str(data))


def login(data: Path, username: str, pin: str) -> auth.Actor:
    db = Database(data / "store.sqlite3")
    try:
        with db.transaction() as s:
            return auth.login(s, username, pin, now=datetime.now(UTC))
    finally:
        db.close()


def test_add_list_and_pins_asked_twice(
    data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    add = ["add", "3001", "--name", "店长 张经理", "--role", "manager", "--user", "9001"]
    assert user(monkeypatch, data, f"{ADMIN_PIN}\n3333\n3334\n", *add) == 2
    assert "the PINs do not match" in one_error(capsys)
    assert user(monkeypatch, data, f"{ADMIN_PIN}\n33\n33\n", *add) == 2
    assert "a PIN is 4 to 8 digits" in one_error(capsys)
    assert user(monkeypatch, data, f"{ADMIN_PIN}\n3333\n3333\n", *add) == 0
    assert "added 3001 (manager)" in capsys.readouterr().out
    assert login(data, "3001", "3333").role == "manager"
    assert user(monkeypatch, data, f"{ADMIN_PIN}\n3333\n3333\n", *add) == 2
    assert "taken" in one_error(capsys)
    # the manager adds a cashier, never an admin (nor is a PIN asked for one)
    cashier = ["add", "1001", "--name", "收银员 小李", "--role", "cashier", "--user", "3001"]
    assert user(monkeypatch, data, "3333\n1111\n1111\n", *cashier) == 0
    admin = ["add", "9002", "--name", "x", "--role", "admin", "--user", "3001"]
    assert user(monkeypatch, data, "3333\n", *admin) == 2
    assert "above your own role (admin)" in one_error(capsys)
    assert user(monkeypatch, data, "1111\n", "list", "--user", "1001") == 2  # a cashier may not
    assert "needs manager approval (manage users)" in one_error(capsys)
    assert user(monkeypatch, data, "3333\n", "list", "--user", "3001") == 0
    out = capsys.readouterr().out
    assert out.splitlines()[1:] == [
        "9001 | 管理员 | admin 管理员 | 是 yes | -",
        "3001 | 店长 张经理 | manager 店长 | 是 yes | -",
        "1001 | 收银员 小李 | cashier 收银员 | 是 yes | -",
    ]
    assert "argon2" not in out and "$" not in out


def test_reset_pin_unlock_and_deactivate(
    data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for username, role, pin in (("3001", "manager", "3333"), ("1001", "cashier", "1111")):
        argv = ["add", username, "--name", role, "--role", role, "--user", "9001"]
        assert user(monkeypatch, data, f"{ADMIN_PIN}\n{pin}\n{pin}\n", *argv) == 0
    capsys.readouterr()
    # five wrong PINs lock the cashier; the list says until when; the manager unlocks
    for _ in range(5):
        with pytest.raises(PermissionDenied):
            login(data, "1001", "0000")
    assert user(monkeypatch, data, "3333\n", "list", "--user", "3001") == 0
    row = next(r for r in capsys.readouterr().out.splitlines() if r.startswith("1001 "))
    assert not row.endswith("| -")  # a local time
    assert user(monkeypatch, data, "3333\n", "unlock", "1001", "--user", "3001") == 0
    assert "1001 unlocked" in capsys.readouterr().out
    assert login(data, "1001", "1111").role == "cashier"
    assert user(monkeypatch, data, "3333\n", "unlock", "1001", "--user", "3001") == 0
    assert "was not locked" in capsys.readouterr().out
    # a reset sets a new PIN; the manager may reset their own; never the admin's
    assert user(monkeypatch, data, "3333\n2468\n2468\n", "reset-pin", "1001", "--user", "3001") == 0
    assert login(data, "1001", "2468").role == "cashier"
    assert user(monkeypatch, data, "3333\n3579\n3579\n", "reset-pin", "3001", "--user", "3001") == 0
    assert login(data, "3001", "3579").role == "manager"
    argv = ["reset-pin", "9001", "--user", "3001"]
    assert user(monkeypatch, data, "3579\n1357\n1357\n", *argv) == 2
    assert "above your own role" in one_error(capsys)
    assert login(data, "9001", ADMIN_PIN).role == "admin"
    assert user(monkeypatch, data, "3579\n", "unlock", "9001", "--user", "3001") == 2
    assert "above your own role" in one_error(capsys)
    assert user(monkeypatch, data, "3579\n", "deactivate", "9001", "--user", "3001") == 2
    assert "above your own role" in one_error(capsys)
    assert user(monkeypatch, data, "3579\n", "deactivate", "1001", "--user", "3001") == 0
    assert "1001 deactivated" in capsys.readouterr().out
    with pytest.raises(PermissionDenied):
        login(data, "1001", "2468")
    assert user(monkeypatch, data, "3579\n", "unlock", "nobody", "--user", "3001") == 2
    assert "no user nobody" in one_error(capsys)
    db = Database(data / "store.sqlite3")
    try:
        with db.sessions() as s:
            actions = set(s.scalars(select(AuditEvent.action)))
    finally:
        db.close()
    assert {"user_created", "user_unlocked", "pin_reset", "pin_changed", "user_deactivated"} <= (
        actions
    )


def test_user_without_action_shows_help(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["user", "--data-dir", str(data)]) == 2
    assert "reset-pin" in capsys.readouterr().err
