"""A store that cannot be used says why in one line, and says what to do.

Full disks are real: a small tmpfs filled to the last byte (``tests/terminal/mounts.py``).
A read-only data folder is a read-only bind mount (``chmod`` would not stop root).
Both need root and skip where mounting is impossible; the SQLite-level mapping
is also shown without mounts through ``PRAGMA max_page_count``, which makes
SQLite itself answer SQLITE_FULL.
"""

from __future__ import annotations

import io
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import event, func, select, text

from terminal import auth
from terminal.checkout import Tender
from terminal.config import DataDir
from terminal.config_render import ensure_config
from terminal.errors import StoreCorrupt, StoreError
from terminal.home import TerminalHome
from terminal.store import database
from terminal.store.database import Database, integrity_check, quick_check
from terminal.store.models import Sale
from tests.conftest import DEMO_NOW
from tests.terminal import mounts
from tests.terminal.tillkit import make_till
from ui.cli import main


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def _demo_data_dir(demo_template: Path, root: Path) -> DataDir:
    data = DataDir(root)
    ensure_config(data, code="S001", name="测试店")
    shutil.copyfile(demo_template, data.store_path)
    return data


# --- a full disk -----------------------------------------------------------------------


@pytest.fixture
def cashier_number(monkeypatch: pytest.MonkeyPatch) -> None:
    """`posterm till` asks for the cashier's number while the store opens behind the
    prompt, and reports a store that cannot open after it: the cashier types one."""
    monkeypatch.setattr("sys.stdin", io.StringIO("1001\n"))


def test_pay_on_a_full_disk_keeps_the_basket_and_succeeds_once_space_is_back(
    demo_template: Path, tmp_path: Path
) -> None:
    with mounts.tmpfs(tmp_path / "disk", "4m") as disk:
        path = disk / "store.sqlite3"
        shutil.copyfile(demo_template, path)
        db = Database(path)
        try:
            shop = make_till(db)
            co = shop.checkout()
            co.add("SKU000300", 2)
            co.add("SKU000007")
            due = co.quote().payable
            db.scalar("PRAGMA wal_checkpoint(TRUNCATE)")  # the sale must grow the WAL
            filler = mounts.fill(disk)

            with pytest.raises(StoreError) as err:
                co.pay([Tender("cash", due)])
            assert err.value.code == "store_disk_full"
            message = str(err.value)
            assert "disk holding" in message and "full" in message and str(disk) in message
            assert "corrupt" not in message and "restore" not in message
            assert [line.qty for line in co.lines] == [2, 1]  # the basket is still there
            assert db.scalar("SELECT count(*) FROM sale") == 0

            filler.unlink()
            result = co.pay([Tender("cash", due)])
            assert result.receipt_no == "S001T01-00000001"
            assert co.lines == []
            with db.sessions() as s:
                assert s.scalar(select(func.count()).select_from(Sale)) == 1
        finally:
            db.close()
        assert integrity_check(path) == []


def test_login_on_a_full_disk_is_one_line_and_works_once_space_is_back(
    demo_template: Path, tmp_path: Path
) -> None:
    with mounts.tmpfs(tmp_path / "disk", "4m") as disk:
        path = disk / "store.sqlite3"
        shutil.copyfile(demo_template, path)
        db = Database(path)
        try:
            db.scalar("PRAGMA wal_checkpoint(TRUNCATE)")
            filler = mounts.fill(disk)
            with pytest.raises(StoreError) as err, db.transaction() as session:
                auth.login(session, "1001", "1111", now=DEMO_NOW)  # writes the audit row
            assert err.value.code == "store_disk_full"
            filler.unlink()
            with db.transaction() as session:
                assert auth.login(session, "1001", "1111", now=DEMO_NOW).username == "1001"
        finally:
            db.close()


def test_sqlite_full_is_told_as_a_full_disk_without_any_mount(tmp_path: Path) -> None:
    db = Database(tmp_path / "store.sqlite3")
    try:
        pages = db.scalar("PRAGMA page_count")
        # from now on SQLite itself refuses to grow the file: SQLITE_FULL
        event.listen(
            db.engine, "connect", lambda conn, _r: conn.execute(f"PRAGMA max_page_count={pages}")
        )
        db.engine.dispose()
        with pytest.raises(StoreError) as err, db.transaction() as session:
            for n in range(50):
                session.execute(
                    text("INSERT INTO store_meta (key, value) VALUES (:k, :v)"),
                    {"k": f"filler-{n}", "v": "x" * 200},
                )
        assert err.value.code == "store_disk_full"
        assert db.scalar("SELECT count(*) FROM store_meta WHERE key LIKE 'filler-%'") == 0
    finally:
        db.close()


def test_a_backup_onto_a_full_disk_leaves_no_partial_file(
    demo_template: Path, tmp_path: Path
) -> None:
    from terminal import backup

    store = tmp_path / "store.sqlite3"
    shutil.copyfile(demo_template, store)
    with mounts.tmpfs(tmp_path / "usb", "256k") as usb:
        with pytest.raises(StoreError) as err:
            backup.copy_store(store, usb / "copy.sqlite3")
        assert err.value.code == "store_disk_full"
        assert list(usb.iterdir()) == []


# --- a read-only data folder -------------------------------------------------------------


def test_read_only_data_folder_is_one_line_not_a_traceback(
    demo_template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], cashier_number: None
) -> None:
    data = _demo_data_dir(demo_template, tmp_path / "data")
    with mounts.read_only_view(data.root, tmp_path / "ro") as view:
        # the lock beside the store cannot be taken: refused before SQLite is asked
        with pytest.raises(StoreError) as err:
            Database(view / "store.sqlite3")
        assert err.value.code == "store_read_only"
        # and SQLite's own answer ("unable to open database file") means the same here
        with pytest.raises(StoreError) as err:
            Database(view / "store.sqlite3", hold_lock=False)
        assert err.value.code == "store_read_only"

        assert main(["till", "--data-dir", str(view)]) == 2
        line = _one_line(capsys.readouterr().err)
        assert "read-only" in line and str(view) in line
        assert "corrupt" not in line


# --- empty, too new, damaged -------------------------------------------------------------


def test_a_zero_byte_store_is_refused_never_recreated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cashier_number: None
) -> None:
    data = DataDir(tmp_path / "data")
    ensure_config(data, code="S001", name="测试店")
    data.store_path.write_bytes(b"")
    with pytest.raises(StoreCorrupt) as err:
        Database(data.store_path)
    assert err.value.code == "store_empty"
    with pytest.raises(StoreCorrupt):
        TerminalHome.open(data.root, create=True)
    assert data.store_path.stat().st_size == 0  # not silently made into a new, empty store
    assert main(["till", "--data-dir", str(data.root)]) == 2
    line = _one_line(capsys.readouterr().err)
    assert "empty" in line and "posterm restore" in line


def test_a_store_from_a_newer_posterm_names_that_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cashier_number: None
) -> None:
    data = DataDir(tmp_path / "data")
    ensure_config(data, code="S001", name="测试店")
    Database(data.store_path).close()
    conn = sqlite3.connect(data.store_path)
    conn.execute("UPDATE alembic_version SET version_num = '0099'")
    conn.execute("UPDATE store_meta SET value = '0.9.3' WHERE key = 'program_version'")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError) as err:
        Database(data.store_path)
    assert err.value.code == "store_too_new"
    assert main(["till", "--data-dir", str(data.root)]) == 2
    line = _one_line(capsys.readouterr().err)
    assert "this store was made by a newer posterm (0.9.3); install that version" in line


def test_the_store_records_the_program_version_that_opened_it(tmp_path: Path) -> None:
    db = Database(tmp_path / "store.sqlite3")
    try:
        version = db.scalar("SELECT value FROM store_meta WHERE key = 'program_version'")
        assert version == database.program_version() != ""
    finally:
        db.close()


def _damage_member_row(path: Path, member_no: bytes = b"M00000042") -> None:
    """Flip one byte of a member number in the table's row, not in its unique index."""
    raw = bytearray(path.read_bytes())
    page_size = int.from_bytes(raw[16:18], "big")
    pos = raw.find(member_no)
    while pos >= 0:
        page = pos // page_size
        page_type = raw[page * page_size + (100 if page == 0 else 0)]
        if page_type == 0x0D:  # a table b-tree leaf
            raw[pos + len(member_no) - 1] = ord("X")
            path.write_bytes(bytes(raw))
            return
        pos = raw.find(member_no, pos + 1)
    raise AssertionError("member row not found")


def test_opening_runs_integrity_check_which_finds_what_quick_check_passes(
    demo_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "store.sqlite3"
    shutil.copyfile(demo_template, path)
    _damage_member_row(path)
    assert quick_check(path) == []  # what the till used to run on open
    assert integrity_check(path) != []
    with pytest.raises(StoreCorrupt) as err:
        Database(path)
    assert "missing from index" in str(err.value) and "posterm restore" in str(err.value)


def test_a_big_store_skips_the_whole_file_check_and_its_daily_backup_finds_the_damage(
    demo_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _demo_data_dir(demo_template, tmp_path / "data")
    _damage_member_row(data.store_path)
    monkeypatch.setattr(database, "INTEGRITY_CHECK_MAX_BYTES", 0)  # as if the store were huge
    till = TerminalHome.open(data.root, now=DEMO_NOW)
    try:
        assert till.daily_backup is not None and till.daily_backup.wait(timeout=60)
        assert isinstance(till.daily_backup.error, StoreCorrupt)
        assert till.daily_backup.error.code == "backup_copy_corrupt"
        assert list(data.backups_dir.glob("store-*")) == []  # no unsound backup kept
        with till.db.sessions() as s:  # selling goes on
            assert s.scalar(select(func.count()).select_from(Sale)) == 0
    finally:
        till.close()


def test_a_failed_daily_backup_is_retried_on_the_next_start(
    demo_template: Path, tmp_path: Path
) -> None:
    data = _demo_data_dir(demo_template, tmp_path / "data")
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    with mounts.tmpfs(data.backups_dir, "128k"):
        till = TerminalHome.open(data.root, now=now)
        try:
            assert till.daily_backup is not None and till.daily_backup.wait(timeout=60)
            assert isinstance(till.daily_backup.error, StoreError)
            assert till.daily_backup.error.code == "store_disk_full"
            assert list(data.backups_dir.iterdir()) == []
            with till.db.transaction() as session:  # the till still sells
                auth.login(session, "1001", "1111", now=now)
        finally:
            till.close()
        mounts.resize(data.backups_dir, "8m")
        till = TerminalHome.open(data.root, now=now)
        try:
            assert till.daily_backup is not None and till.daily_backup.wait(timeout=60)
            assert till.daily_backup.result is not None
            assert till.daily_backup.result.name.startswith("store-20261123-")
            assert integrity_check(till.daily_backup.result) == []
        finally:
            till.close()


def test_a_zero_byte_store_is_restored_without_force(demo_template: Path, tmp_path: Path) -> None:
    from terminal import backup
    from terminal.auth import Actor

    data = _demo_data_dir(demo_template, tmp_path / "data")
    snapshot = backup.copy_store(data.store_path, tmp_path / "snapshot.sqlite3")
    data.store_path.write_bytes(b"")
    admin = backup.login_for_restore(data, snapshot, "9001", "9999", now=DEMO_NOW)
    assert admin == Actor(admin.user_id, "9001", admin.display_name, "admin")
    report = backup.restore(data, snapshot, actor=admin)
    assert report.safety_copy is None and not report.forced  # 0 bytes: nothing to keep
    assert integrity_check(data.store_path) == []
    Database(data.store_path).close()


def test_a_restore_without_room_for_its_safety_copy_changes_nothing(
    demo_template: Path, tmp_path: Path
) -> None:
    from terminal import backup
    from terminal.auth import Actor

    admin = Actor("admin-id", "9001", "管理员", "admin")
    snapshot = tmp_path / "snapshot.sqlite3"
    shutil.copyfile(demo_template, snapshot)
    size = demo_template.stat().st_size
    with mounts.tmpfs(tmp_path / "data", f"{size + size // 2}") as root:
        data = _demo_data_dir(demo_template, root)
        before = data.store_path.read_bytes()
        with pytest.raises(StoreError) as err:
            backup.restore(data, snapshot, actor=admin, carry_over=True)
        assert err.value.code == "store_disk_full"
        assert data.store_path.read_bytes() == before
        leftovers = (
            [p.name for p in data.backups_dir.iterdir()] if data.backups_dir.exists() else []
        )
        assert leftovers == []  # no empty or partial safety copy
        assert not (root / "store.sqlite3.restore-tmp").exists()

        mounts.resize(root, f"{4 * size}")
        report = backup.restore(data, snapshot, actor=admin, carry_over=True)
        assert report.safety_copy is not None and integrity_check(report.safety_copy) == []
