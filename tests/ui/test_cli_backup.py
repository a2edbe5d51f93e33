"""``posterm backup`` and ``posterm restore``: who may, what is recorded, --force, the lock."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from terminal.config import DataDir
from terminal.config_render import ensure_config
from terminal.store import lock
from terminal.store.database import Database, integrity_check
from ui.cli import main


@pytest.fixture
def data(tmp_path: Path, demo_template: Path) -> DataDir:
    data = DataDir(tmp_path / "data")
    ensure_config(data, code="S001", name="测试店")
    shutil.copyfile(demo_template, data.store_path)
    return data


def _stdin(monkeypatch: pytest.MonkeyPatch, *lines: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(f"{line}\n" for line in lines)))


def _err_line(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in captured.err, captured.err
    return lines[0]


def _audit(store: Path, action: str) -> list[tuple[str, str, dict[str, object]]]:
    conn = sqlite3.connect(store)
    try:
        rows = conn.execute(
            "SELECT u.username, a.target, a.details FROM audit_event a "
            'JOIN "user" u ON u.id = a.user_id WHERE a.action = ? ORDER BY a.at',
            (action,),
        ).fetchall()
    finally:
        conn.close()
    return [(user, target, json.loads(details)) for user, target, details in rows]


def _backup(data: DataDir, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    _stdin(monkeypatch, "3333")
    assert main(["backup", "--data-dir", str(data.root), "--user", "3001"]) == 0
    return Path(capsys.readouterr().out.split()[-1])


def test_backup_needs_a_manager_and_is_audited(
    data: DataDir, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, "1111")
    assert main(["backup", "--data-dir", str(data.root), "--user", "1001"]) == 2
    assert "needs a manager" in _err_line(capsys)
    assert list(data.backups_dir.glob("store-*")) == []

    written = _backup(data, monkeypatch, capsys)
    assert integrity_check(written) == []
    assert _audit(data.store_path, "backup_taken") == [
        ("3001", written.name, {"path": str(written)})
    ]


def test_restore_needs_an_admin_and_is_audited_in_the_restored_store(
    data: DataDir, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    written = _backup(data, monkeypatch, capsys)
    _stdin(monkeypatch, "3333")
    assert main(["restore", str(written), "--data-dir", str(data.root), "--user", "3001"]) == 2
    assert "needs an admin" in _err_line(capsys)
    assert not list(data.backups_dir.glob("pre-restore-*"))
    assert _audit(data.store_path, "store_restored") == []

    _stdin(monkeypatch, "9999")
    assert main(["restore", str(written), "--data-dir", str(data.root), "--user", "9001"]) == 0
    assert "restored" in capsys.readouterr().out
    [(user, target, details)] = _audit(data.store_path, "store_restored")
    assert (user, target) == ("9001", written.name)
    assert details["backup"] == str(written) and details["forced"] is False


def test_restore_is_refused_before_the_pin_while_the_store_is_open(
    data: DataDir, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    written = _backup(data, monkeypatch, capsys)
    lock.set_program("posterm till")
    till = Database(data.store_path)
    try:
        _stdin(monkeypatch)  # no PIN is needed to be told no
        assert main(["restore", str(written), "--data-dir", str(data.root), "--user", "9001"]) == 2
        line = _err_line(capsys)
        assert "in use by posterm till (pid" in line and "close it first" in line
    finally:
        till.close()
        lock.set_program("")


def _scribble(path: Path) -> None:
    raw = bytearray(path.read_bytes())
    for p in range(5, len(raw) // 4096, 7):
        raw[p * 4096 + 100 : p * 4096 + 400] = b"\xa5" * 300
    path.write_bytes(bytes(raw))


def test_a_damaged_store_is_only_replaced_with_force(
    data: DataDir, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    written = _backup(data, monkeypatch, capsys)
    _scribble(data.store_path)
    damaged = data.store_path.read_bytes()
    argv = ["restore", str(written), "--data-dir", str(data.root), "--user", "9001"]

    _stdin(monkeypatch, "9999")  # the store cannot log anyone in: the backup's users can
    assert main([*argv, "--carry-over"]) == 2
    line = _err_line(capsys)
    assert "cannot compare" in line and "posterm restore --force FILE" in line
    assert "copy" in line and str(data.store_path) in line
    assert data.store_path.read_bytes() == damaged
    assert not list(data.backups_dir.glob("pre-restore-*"))

    assert main([*argv, "--force", "--carry-over"]) == 2  # one or the other
    capsys.readouterr()

    _stdin(monkeypatch, "9999")
    assert main([*argv, "--force"]) == 0
    assert "not compared" in capsys.readouterr().out
    [kept] = data.backups_dir.glob("pre-restore-*-damaged.sqlite3")
    assert kept.read_bytes() == damaged
    assert integrity_check(data.store_path) == []
    assert _audit(data.store_path, "store_restored")[0][2]["forced"] is True


def test_a_new_till_restores_with_the_backups_admin(
    data: DataDir,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    written = _backup(data, monkeypatch, capsys)
    fresh = DataDir(tmp_path / "fresh")
    ensure_config(fresh, code="S001", name="测试店")
    argv = ["restore", str(written), "--data-dir", str(fresh.root), "--user", "9001"]
    _stdin(monkeypatch, "1234")
    assert main(argv) == 2
    assert "wrong username or PIN" in _err_line(capsys)
    _stdin(monkeypatch, "9999")
    assert main(argv) == 0
    assert "there was no previous store" in capsys.readouterr().out
    assert integrity_check(fresh.store_path) == []


def test_restore_help_tells_the_rules(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["restore", "--help"]) == 0
    out = capsys.readouterr().out
    for words in ("--carry-over", "--force", "--user", "in use", "pre-restore-", "erased"):
        assert words in out
