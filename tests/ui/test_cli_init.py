"""`posterm init`: a new, empty till with its first admin."""

from __future__ import annotations

import io

from sqlalchemy import select

from terminal import auth
from terminal.store.database import Database
from terminal.store.models import Store, Terminal, Tier
from tests.conftest import DEMO_NOW
from ui.cli import main

ARGS = ["--store-code", "S012", "--store-name", "鲜果生活 南京路店", "--terminal-code", "T03",
        "--admin-user", "9001"]  # fmt: skip


def init(tmp_path, monkeypatch, pins: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(pins))
    return main(["init", "--data-dir", str(tmp_path), *ARGS])


def test_init_creates_the_store_terminal_tiers_and_admin(tmp_path, monkeypatch, capsys):
    assert init(tmp_path, monkeypatch, "4321\n4321\n") == 0
    db = Database(tmp_path / "store.sqlite3")
    try:
        with db.transaction() as s:
            assert s.scalars(select(Store.code)).one() == "S012"
            assert s.scalars(select(Terminal.code)).one() == "T03"
            assert s.scalars(select(Tier.name).order_by(Tier.rank)).all() == [
                "普通", "银卡", "金卡", "钻石"]  # fmt: skip
            admin = auth.login(s, "9001", "4321", now=DEMO_NOW)
            assert admin.role == "admin"
    finally:
        db.close()
    assert 'code = "T03"' in (tmp_path / "config.toml").read_text(encoding="utf-8")


def test_init_refuses_twice_and_mismatched_pins(tmp_path, monkeypatch, capsys):
    assert init(tmp_path / "a", monkeypatch, "4321\n4322\n") == 2
    assert "不一致" in capsys.readouterr().err
    assert not (tmp_path / "a" / "store.sqlite3").exists()
    assert init(tmp_path / "b", monkeypatch, "4321\n4321\n") == 0
    assert init(tmp_path / "b", monkeypatch, "4321\n4321\n") == 2
    assert "already holds data" in capsys.readouterr().err


def test_a_bad_pin_leaves_no_half_made_store(tmp_path, monkeypatch, capsys):
    assert init(tmp_path, monkeypatch, "12\n12\n") == 2  # too short for a PIN
    assert not (tmp_path / "store.sqlite3").exists()
    assert init(tmp_path, monkeypatch, "4321\n4321\n") == 0  # and it can be done again
