"""The local store: durability pragmas, migrations, refusing a corrupt file, layering."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from terminal.config import DataDir
from terminal.config_render import ensure_config
from terminal.errors import StoreCorrupt
from terminal.home import TerminalHome
from terminal.store.database import Database

ROOT = Path(__file__).resolve().parents[2]


def test_store_opens_durable_and_migrated(tmp_path):
    db = Database(tmp_path / "store.sqlite3")
    try:
        assert db.scalar("PRAGMA journal_mode") == "wal"
        assert db.scalar("PRAGMA synchronous") == 2  # FULL
        assert db.scalar("PRAGMA foreign_keys") == 1
        assert db.schema_revision() == Database.head_revision() is not None
    finally:
        db.close()
    again = Database(tmp_path / "store.sqlite3")  # opening twice migrates nothing
    assert again.schema_revision() == Database.head_revision()
    again.close()


def test_a_corrupt_store_is_refused_with_a_message_not_a_traceback(demo_template, tmp_path):
    path = tmp_path / "store.sqlite3"
    data = bytearray(demo_template.read_bytes())
    page = 4096
    for p in range(5, len(data) // page, 7):  # scribble over every 7th page past the header
        data[p * page + 100 : p * page + 400] = b"\xa5" * 300
    path.write_bytes(bytes(data))
    with pytest.raises(StoreCorrupt) as err:
        Database(path)
    assert "损坏" in str(err.value) and "posterm restore" in str(err.value)


def test_garbage_file_is_refused(tmp_path):
    path = tmp_path / "store.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreCorrupt):
        Database(path)


def _store_at_0001(path: Path) -> None:
    """A store as posterm 0.1.0 left it: schema 0001, with a user."""
    from alembic import command

    from terminal.store.database import alembic_config

    db = Database(path, migrate=False)
    try:
        cfg = alembic_config()
        with db.engine.execution_options(immediate=True).begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0001")
    finally:
        db.close()
    conn = sqlite3.connect(path)
    conn.execute(
        'INSERT INTO "user" (id, username, display_name, role, pin_hash, failed_attempts, '
        "active) VALUES ('u1', '9001', '管理员', 'admin', 'x', 0, 1)"
    )
    conn.commit()
    conn.close()


def test_an_old_store_upgrades_in_place_after_a_pre_upgrade_copy(tmp_path):
    data = DataDir(tmp_path / "data")
    ensure_config(data, code="S001", name="测试店")
    _store_at_0001(data.store_path)
    till = TerminalHome.open(data.root, auto_backup=False)
    try:
        assert till.db.schema_revision() == Database.head_revision()
        assert till.db.scalar('SELECT updated_at FROM "user"') == "2000-01-01T00:00:00.000000Z"
        assert till.db.scalar("SELECT count(*) FROM store_meta") == 1
    finally:
        till.close()
    [copy] = data.backups_dir.glob("pre-upgrade-0001-*.sqlite3")
    conn = sqlite3.connect(copy)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    conn.close()


def test_the_migrations_build_exactly_the_models(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from terminal.store.models import Base

    db = Database(tmp_path / "store.sqlite3")
    try:
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    finally:
        db.close()
    assert diff == []


def test_revisions_read_without_alembic_agree_with_alembic() -> None:
    from alembic.script import ScriptDirectory

    from terminal.store.database import alembic_config, head_revision, known_revisions

    script = ScriptDirectory.from_config(alembic_config())
    assert known_revisions() == {rev.revision for rev in script.walk_revisions()}
    assert head_revision() == script.get_current_head()


def test_opening_a_store_at_the_newest_schema_does_not_load_alembic(tmp_path) -> None:
    Database(tmp_path / "store.sqlite3").close()  # created and migrated
    code = (
        "import sys\n"
        "from terminal.store.database import Database\n"
        f"Database({str(tmp_path / 'store.sqlite3')!r}).close()\n"
        "print('alembic' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_a_closed_store_refuses_work_that_still_holds_it(tmp_path) -> None:
    """Work finishing late (a receipt printing, the sync agent) must not reopen a store
    that a restore is replacing: it is told the store is closed."""
    from sqlalchemy import text

    from terminal.errors import StoreError
    from terminal.store.database import Database

    db = Database(tmp_path / "store.sqlite3")
    with db.sessions() as s:
        assert s.execute(text("SELECT 1")).scalar() == 1
    db.close()
    with pytest.raises(StoreError) as refused, db.sessions() as s:
        s.execute(text("SELECT 1"))
    assert refused.value.code == "store_closed"
    db.close()  # still idempotent
