"""Opening the local store: pragmas, integrity check, migrations.

A sale is only as safe as the file it lands in, so every connection runs in WAL
mode with ``synchronous=FULL`` (a committed transaction survives power loss)
and foreign keys on. ``PRAGMA quick_check`` runs on every open; a store that
fails it is refused with a message naming the file, and the terminal will not
sell on it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from terminal.errors import StoreCorrupt

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def _set_pragmas(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def _begin(conn: Connection) -> None:
    """Start transactions ourselves (the driver runs with isolation_level=None).

    Python's sqlite3 module would open transactions lazily and let SELECTs run
    outside them. Write transactions take the write lock up front (``BEGIN
    IMMEDIATE``), so a read-modify-write such as the receipt counter or a
    points balance cannot interleave with another writer; reads use a plain
    ``BEGIN`` and never block the till.
    """
    immediate = conn.get_execution_options().get("immediate", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def quick_check(path: Path) -> list[str]:
    """Run ``PRAGMA quick_check`` on a file; return the problems (empty when sound)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    problems = [r[0] for r in rows]
    return [] if problems == ["ok"] else problems


class Database:
    """An open store: the engine and a session factory, migrated to the newest schema."""

    def __init__(self, path: Path, *, migrate: bool = True, check: bool = True) -> None:
        self.path = Path(path)
        if check and self.path.exists() and self.path.stat().st_size > 0:
            problems = quick_check(self.path)
            if problems:
                raise StoreCorrupt(
                    f"本地数据库已损坏，不能继续销售 / the local store {self.path} is corrupt "
                    f"({problems[0]}); restore the latest backup with `posterm restore`"
                )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = create_engine(
            f"sqlite:///{self.path}",
            connect_args={"check_same_thread": False, "isolation_level": None},
        )
        event.listen(self.engine, "connect", _set_pragmas)
        event.listen(self.engine, "begin", _begin)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(
            self.engine.execution_options(immediate=True), expire_on_commit=False
        )
        if migrate:
            self.migrate()

    def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision."""
        cfg = alembic_config()
        with self.engine.execution_options(immediate=True).begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def schema_revision(self) -> str | None:
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    @staticmethod
    def head_revision() -> str | None:
        return ScriptDirectory.from_config(alembic_config()).get_current_head()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One write transaction: everything inside commits together or not at all."""
        with self._write_sessions() as session, session.begin():
            yield session

    def scalar(self, sql: str, **params: Any) -> Any:
        with self.engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()

    def close(self) -> None:
        self.engine.dispose()
