"""A program with the store open restores a backup over it and carries on with the result."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from terminal import backup
from terminal.auth import Actor
from terminal.config import DataDir
from terminal.errors import PermissionDenied
from terminal.home import TerminalHome
from terminal.restore_in_place import restore_open_store
from terminal.store.database import Database
from terminal.store.models import Sale
from tests.terminal.test_backup import ADMIN, NOW, add_sale, make_store

MANAGER = Actor("user-3", "3001", "店长", "manager")


def sales(home: TerminalHome) -> int:
    with home.db.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(Sale)) or 0)


@pytest.fixture
def home(tmp_path: Path):  # type: ignore[no-untyped-def]
    data = DataDir(tmp_path / "data")
    db = make_store(data)
    add_sale(db, 1)
    db.close()
    opened = TerminalHome.open(data.root, auto_backup=False)
    yield opened
    opened.close()


def test_refused_restores_leave_the_old_store_open_and_unchanged(home: TerminalHome) -> None:
    taken = backup.backup_to(home.db, home.data.backups_dir / "b.sqlite3", actor=ADMIN)
    add_sale(home.db, 2)  # a sale the backup lacks

    with pytest.raises(PermissionDenied) as no:
        restore_open_store(home, taken, actor=MANAGER)
    assert no.value.code == "restore_needs_admin"
    assert sales(home) == 2  # never closed: still usable

    again = restore_open_store(home, taken, actor=ADMIN, now=NOW)
    assert again.report is None and again.error is not None
    assert again.error.code == "restore_refused" and "S001T01-000002" in again.error.text("en")
    assert sales(again.home) == 2 and again.home is not home
    other = Database(again.home.data.store_path)  # another program has the store open
    try:
        busy = restore_open_store(again.home, taken, actor=ADMIN, carry_over=True, now=NOW)
    finally:
        other.close()
    assert busy.error is not None and busy.error.code == "store_in_use"
    assert sales(busy.home) == 2

    done = restore_open_store(busy.home, taken, actor=ADMIN, carry_over=True, now=NOW)
    try:
        assert done.error is None and done.report is not None
        assert done.report.carried.get("sale") == 1
        assert sales(done.home) == 2  # the backup's sale and the one carried over
        with done.home.db.sessions() as s:
            assert s.scalar(select(func.count()).select_from(Sale)) == 2
        assert list(home.data.backups_dir.glob("pre-restore-*"))
    finally:
        done.home.close()


def test_a_restore_without_loss_gives_the_backup_open(home: TerminalHome) -> None:
    taken = backup.backup_to(home.db, home.data.backups_dir / "b.sqlite3", actor=ADMIN)
    done = restore_open_store(home, taken, actor=ADMIN, now=NOW)
    try:
        assert done.error is None and done.report is not None and not done.report.carried
        assert sales(done.home) == 1
        with done.home.db.sessions() as s:
            assert s.scalar(
                select(func.count()).select_from(Sale).where(Sale.receipt_no == "S001T01-000001")
            )
        assert done.home.db.scalar(
            "SELECT count(*) FROM audit_event WHERE action = 'store_restored'"
        )
    finally:
        done.home.close()
