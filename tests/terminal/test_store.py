"""The local store: durability pragmas, migrations, refusing a corrupt file, layering."""

from __future__ import annotations

from pathlib import Path

import pytest

from terminal.errors import StoreCorrupt
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
