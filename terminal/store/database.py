"""Opening the local store: lock, checks, pragmas, migrations, and what SQLite errors mean.

A sale is only as safe as the file it lands in, so every connection runs in WAL
mode with ``synchronous=FULL`` (a committed transaction survives power loss)
and foreign keys on.

Opening a store, in order:

1. take the shared lock beside it (:mod:`terminal.store.lock`), held until
   :meth:`Database.close`, so a restore can never replace the file under us;
2. refuse a 0-byte file (damaged, never silently re-created as a new store);
3. ``PRAGMA integrity_check`` when the file is below
   :data:`INTEGRITY_CHECK_MAX_BYTES` (bigger stores are checked through their
   daily backup copy instead, keeping a whole-file read off the start path);
4. refuse a store whose schema is newer than this program, naming the posterm
   version that wrote it (``store_meta``);
5. bring the schema to this program's newest Alembic revision and record this
   program's version.

SQLite errors that a person can act on (disk full, read-only folder, file
cannot be opened, disk I/O, damage, busy) become one-line
:class:`~terminal.errors.StoreError`\\ s right here, for every caller: a
checkout, a login and a backup all tell "the disk is full" the same way, and
0 bytes free is never reported as a damaged store.

Every write transaction also checks (one ``stat``) that the file is still the
one that was opened: if it was replaced (a restore that bypassed the lock),
nothing is written to the replaced file.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.orm import Session, sessionmaker

from terminal import __version__, events
from terminal.errors import StoreCorrupt, StoreError
from terminal.files import is_read_only, make_private, write_error
from terminal.store import lock
from terminal.store.checkpoints import SAFETY_PAGES, Checkpointer

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"

INTEGRITY_CHECK_MAX_BYTES = 16 * 1024 * 1024
"""Stores up to this size get a full ``integrity_check`` on every open.

``bench/bench_integrity.py`` on the development machine (2 cores, shared, load
average ~11; warm page cache): integrity_check 9-13 ms per MB up to 40 MB,
rising to 16 ms/MB at 160 MB and 21 ms/MB at 640 MB (index checks grow faster
than the file); quick_check 2-3 ms/MB. At 16 MB the check costs 0.15-0.2 s of
the 1 s login budget. Bigger stores are checked through their daily backup
copy, on a thread.
"""

SIDECARS = ("-wal", "-shm", "-journal")


def program_version() -> str:
    """This posterm's version (recorded in the stores it opens)."""
    return __version__


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


_REVISION = re.compile(r'^(down_revision|revision)\s*=\s*"([^"]*)"', re.M)


@cache
def _revision_graph() -> dict[str, str | None]:
    """revision -> down_revision, read from the migration files without Alembic.

    Opening a store must not import Alembic (a fifth of a second) just to learn
    it is already up to date; a test checks this reading against Alembic's own.
    """
    graph: dict[str, str | None] = {}
    for path in sorted((MIGRATIONS / "versions").glob("[0-9]*.py")):
        found = dict((k, v) for k, v in _REVISION.findall(path.read_text(encoding="utf-8")))
        graph[found["revision"]] = found.get("down_revision") or None
    return graph


def known_revisions() -> frozenset[str]:
    """Every schema revision this program knows (it can open stores at any of them)."""
    return frozenset(_revision_graph())


@cache
def head_revision() -> str | None:
    """The newest schema revision this program knows."""
    graph = _revision_graph()
    heads = set(graph) - {down for down in graph.values() if down}
    return min(heads) if heads else None


# --- what a SQLite error means to the person at the till ---------------------------------


def _nearly_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < 64 * 1024
    except OSError:
        return False


def store_error(exc: sqlite3.Error, path: Path) -> StoreError | None:
    """The one-line refusal for a SQLite error on the store at ``path``; None for bugs.

    Constraint violations, SQL mistakes and the like are not the person's to
    fix and stay what they are.
    """
    path = Path(path)
    folder = path.parent
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        return None
    primary = code & 0xFF
    if primary == sqlite3.SQLITE_FULL:
        return StoreError("store_disk_full", folder=folder)
    if code == sqlite3.SQLITE_READONLY_DBMOVED:
        return StoreError("store_replaced", path=path)
    if primary == sqlite3.SQLITE_READONLY:
        return StoreError("store_read_only", folder=folder)
    if primary == sqlite3.SQLITE_CANTOPEN:
        if folder.is_dir() and is_read_only(folder):
            return StoreError("store_read_only", folder=folder)
        return StoreError("store_cannot_open", path=path)
    if primary == sqlite3.SQLITE_IOERR:
        if is_read_only(folder):
            return StoreError("store_read_only", folder=folder)
        if _nearly_full(folder):
            return StoreError("store_disk_full", folder=folder)
        return StoreError("store_io_error", path=path, detail=str(exc))
    if primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return StoreCorrupt("store_corrupt", path=path, problem=str(exc))
    if primary == sqlite3.SQLITE_BUSY:
        return StoreError("store_busy")
    return None


def _ro_uri(path: Path) -> str:
    return Path(path).resolve().as_uri() + "?mode=ro"


class Cancelled(Exception):
    """A long check or copy was asked to stop (the program is closing)."""


def _check_file(path: Path, pragma: str, cancel: Callable[[], bool] | None = None) -> list[str]:
    path = Path(path)
    if path.is_file() and path.stat().st_size == 0:
        return ["empty file (0 bytes)"]
    try:
        conn = sqlite3.connect(_ro_uri(path), uri=True)
        try:
            if cancel is not None:
                conn.set_progress_handler(lambda: int(cancel()), 10_000)
            rows = conn.execute(f"PRAGMA {pragma}").fetchall()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        if cancel is not None and cancel():
            raise Cancelled from exc
        mapped = store_error(exc, path)
        if mapped is None:
            raise StoreError("store_io_error", path=path, detail=str(exc)) from exc
        if isinstance(mapped, StoreCorrupt):
            return [str(exc)]
        raise mapped from exc
    problems = [str(r[0]) for r in rows]
    return [] if problems == ["ok"] else problems


def integrity_check(path: Path, cancel: Callable[[], bool] | None = None) -> list[str]:
    """``PRAGMA integrity_check`` on a file: its problems, empty when sound.

    Damage is returned; a file that cannot be read for another reason (disk,
    permissions) raises the matching :class:`StoreError` instead. When
    ``cancel()`` turns true the check stops with :class:`Cancelled`.
    """
    return _check_file(path, "integrity_check", cancel)


def quick_check(path: Path) -> list[str]:
    """``PRAGMA quick_check`` (no index cross-checks); like :func:`integrity_check`."""
    return _check_file(path, "quick_check")


def file_identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of ``path``; None when there is no such file."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_dev, st.st_ino)


# --- connections -------------------------------------------------------------------------


def _set_pragmas(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute(f"PRAGMA wal_autocheckpoint={SAFETY_PAGES}")  # the rest: checkpoints.py
    cur.close()


class Database:
    """An open store: the engine and a session factory, migrated to the newest schema.

    ``hold_lock=False`` is for a caller that already holds the store's lock
    itself (restore, holding it exclusively) or for a private scratch file.
    """

    def __init__(
        self,
        path: Path,
        *,
        migrate: bool = True,
        check: bool = True,
        hold_lock: bool = True,
    ) -> None:
        self.path = Path(path)
        self.closed = False
        self._identity: tuple[int, int] | None = None
        self._lock: lock.StoreLock | None = None
        self.checkpoints = Checkpointer(self.path)
        self.engine: Engine
        try:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise write_error(exc, self.path) from exc
            if hold_lock:
                self._lock = lock.shared(self.path)
            existed = self.path.exists()
            if existed and self.path.stat().st_size == 0:
                raise StoreCorrupt("store_empty", path=self.path)
            self.engine = create_engine(
                f"sqlite:///{self.path}",
                connect_args={"check_same_thread": False, "isolation_level": None},
            )
            event.listen(self.engine, "connect", self._refuse_when_closed)
            event.listen(self.engine, "connect", _set_pragmas)
            event.listen(self.engine, "begin", self._on_begin)
            event.listen(self.engine, "handle_error", self._on_error)
            self.sessions = sessionmaker(self.engine, expire_on_commit=False)
            self._write_sessions = sessionmaker(
                self.engine.execution_options(immediate=True), expire_on_commit=False
            )
            if existed:
                make_private(self.path, *(Path(f"{self.path}{s}") for s in SIDECARS))
            self._open_checks(integrity=check and existed)
            if migrate:
                self.migrate()
            make_private(self.path, *(Path(f"{self.path}{s}") for s in SIDECARS))
            self._identity = file_identity(self.path)
        except BaseException:
            self.close()
            raise

    def _open_checks(self, *, integrity: bool) -> None:
        """Connect (creating a new file), check a small store whole, refuse a too-new one."""
        with self.engine.connect() as conn:
            tables = {
                r[0]
                for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if integrity and self.path.stat().st_size <= INTEGRITY_CHECK_MAX_BYTES:
                problems = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check")]
                if problems != ["ok"]:
                    raise StoreCorrupt("store_corrupt", path=self.path, problem=problems[0])
            if "alembic_version" not in tables:
                return
            revision = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
            if revision is None or revision in known_revisions():
                return
            version = None
            if "store_meta" in tables:
                version = conn.exec_driver_sql(
                    "SELECT value FROM store_meta WHERE key = 'program_version'"
                ).scalar()
            raise StoreError(
                "store_too_new", path=self.path, version=version or f"schema {revision}"
            )

    # --- events ----------------------------------------------------------------------

    def _on_begin(self, conn: Connection) -> None:
        """Start transactions ourselves (the driver runs with isolation_level=None).

        Python's sqlite3 module would open transactions lazily and let SELECTs run
        outside them. Write transactions take the write lock up front (``BEGIN
        IMMEDIATE``), so a read-modify-write such as the receipt counter or a
        points balance cannot interleave with another writer; reads use a plain
        ``BEGIN`` and never block the till. A write transaction on a file that is
        no longer the one opened is rolled back before anything is written.
        """
        immediate = conn.get_execution_options().get("immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
        replaced = self._identity is not None and file_identity(self.path) != self._identity
        if immediate and replaced:
            conn.exec_driver_sql("ROLLBACK")
            events.emit("store_replaced", path=str(self.path))
            raise StoreError("store_replaced", path=self.path)

    def _on_error(self, context: ExceptionContext) -> None:
        exc = context.original_exception
        if isinstance(exc, sqlite3.Error):
            mapped = store_error(exc, self.path)
            if mapped is not None:
                raise mapped from exc

    # --- schema ----------------------------------------------------------------------

    def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision; record this program's version.

        A store already at the newest revision (every start but the first after
        an upgrade) is left alone without loading Alembic.
        """
        at_head = self.schema_revision() == head_revision()
        with self.engine.execution_options(immediate=True).begin() as conn:
            if not at_head:
                from alembic import command

                cfg = alembic_config()
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
            conn.execute(
                text(
                    "INSERT INTO store_meta (key, value) VALUES ('program_version', :v) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value "
                    "WHERE store_meta.value <> excluded.value"
                ),
                {"v": program_version()},
            )

    def schema_revision(self) -> str | None:
        with self.engine.connect() as conn:
            exists = conn.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
            ).scalar()
            if not exists:
                return None
            return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()

    @staticmethod
    def head_revision() -> str | None:
        return head_revision()

    def needs_migration(self) -> bool:
        return self.schema_revision() != self.head_revision()

    # --- use -------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One write transaction: everything inside commits together or not at all."""
        with self._write_sessions() as session, session.begin():
            yield session
        self.checkpoints.poke()

    def scalar(self, sql: str, **params: Any) -> Any:
        with self.engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()

    def _refuse_when_closed(self, _dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        """A closed store stays closed: work still holding it (a print job finishing,
        the sync agent) must not reopen a file a restore is replacing."""
        if self.closed:
            raise StoreError("store_closed")

    def close(self) -> None:
        """Close every connection and give the lock back (idempotent)."""
        self.closed = True
        self.checkpoints.stop()
        engine = getattr(self, "engine", None)
        if engine is not None:
            engine.dispose()
        if self._lock is not None:
            self._lock.release()
            self._lock = None
