"""Backups of the local store, and restoring one without losing sales.

A backup is taken with SQLite's online backup API
(:meth:`sqlite3.Connection.backup`) under one read transaction held on the
source for the whole copy: the copy is the store as of one committed instant
even while the till keeps selling (WAL readers do not block the writer, an
uncommitted sale is simply not in the copy, and a sale committed meanwhile
does not restart the copy). The daily automatic backup copies in steps with a
pause between them, on a thread (:class:`DailyBackup`), so a big store never
delays the login prompt. Every copy is written to a ``.part`` file, checked
with ``PRAGMA integrity_check`` and only then renamed into place: a file named
``store-*.sqlite3`` is always a sound store.

Restoring is the dangerous direction: the backup is older than the store, and
sales made since then may not have reached HQ yet. :func:`restore`

1. needs an admin (``backup_restore`` and ``settings``);
2. takes the store's lock exclusively (:mod:`terminal.store.lock`), refusing
   while any till or other posterm program has the store open, and naming it;
3. checks the backup (integrity, a posterm store, a schema this program knows);
4. compares it with the current store and refuses when sales or unsent HQ
   records would be lost, unless carrying them over
   (:mod:`terminal.store.carry`); a store that cannot be compared is refused
   too, unless ``force`` (then its bytes are kept aside as they are);
5. keeps the current store as a checked ``pre-restore-*`` safety copy;
6. builds the restored store next to the live one (copy, migrate, carry over,
   audit row, integrity check, fsync) and renames it into place.

A restore killed at any moment leaves either the old store or the new one.
"""

from __future__ import annotations

import filecmp
import logging
import os
import re
import shutil
import sqlite3
import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from terminal import audit, auth
from terminal.auth import Actor, Permission, verify_pin
from terminal.config import DataDir
from terminal.errors import PermissionDenied, StoreCorrupt, StoreError
from terminal.files import fsync_dir, fsync_file, make_private, write_error
from terminal.store import lock
from terminal.store.carry import carry_over
from terminal.store.database import (
    SIDECARS,
    Cancelled,
    Database,
    integrity_check,
    known_revisions,
    store_error,
)

log = logging.getLogger(__name__)

AUTO_KEEP_MIN = 3
"""Rotation never removes the newest this many daily backups, however old."""

STEP_PAGES = 1024
"""Pages copied per step by the background daily backup (4 MB at 4 KB pages)."""

STEP_PAUSE = 0.01
"""Seconds the background backup gives the till between two steps."""

_BACKUP_NAME = re.compile(r"^store-(\d{8})-(\d{6})(?:-\d+)?\.sqlite3$")


class RestoreRefused(StoreError):
    """A restore would lose sales or unsent HQ records; ``loss`` lists them."""

    code = "restore_refused"

    def __init__(self, backup_file: Path, loss: LossReport) -> None:
        super().__init__(
            "restore_refused",
            file=backup_file,
            sales=len(loss.sales),
            receipts=loss.receipts(),
            records=len(loss.outbox),
        )
        self.loss = loss


@dataclass(frozen=True)
class LossReport:
    """What the current store holds that a backup does not.

    ``sales``: (sale id, receipt number) of sales and returns missing from the
    backup. ``outbox``: (record id, kind) of records not yet acknowledged by HQ
    whose outbox row is missing from the backup (this includes the lost sales'
    own outbox rows).
    """

    sales: list[tuple[str, str]] = field(default_factory=list)
    outbox: list[tuple[str, str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.sales and not self.outbox

    def receipts(self, limit: int = 20) -> str:
        """At most ``limit`` receipt numbers of the lost sales, and how many more."""
        shown = ", ".join(receipt for _id, receipt in self.sales[:limit])
        more = len(self.sales) - limit
        return (f"{shown}, … (+{more})" if more > 0 else shown) or "-"


@dataclass(frozen=True)
class RestoreReport:
    """What :func:`restore` did."""

    backup_file: Path
    store_path: Path
    revision: str
    safety_copy: Path | None
    loss: LossReport
    carried: dict[str, int]
    updated: dict[str, int] = field(default_factory=dict)
    forced: bool = False

    def summary(self) -> str:
        lines = [
            f"已恢复 / restored {self.store_path} from {self.backup_file} (schema {self.revision})",
            f"安全副本 / previous store kept as {self.safety_copy}"
            if self.safety_copy
            else "安全副本 / there was no previous store",
        ]
        if self.forced:
            lines.append("未比较（--force）/ not compared with the previous store (--force)")
        elif self.carried or self.updated:
            if self.carried:
                counts = ", ".join(f"{n} {table}" for table, n in self.carried.items())
                lines.append(f"已带入 / carried over: {counts}")
            if self.updated:
                counts = ", ".join(f"{n} {table}" for table, n in self.updated.items())
                lines.append(f"保留较新的记录 / kept newer rows: {counts}")
            if self.loss.sales:
                lines.append(f"已保留的销售 / sales kept: {self.loss.receipts()}")
        else:
            lines.append("没有需要带入的记录 / nothing needed carrying over")
        return "\n".join(lines)


# --- helpers -----------------------------------------------------------------------------


def _ro_uri(path: Path) -> str:
    return Path(path).resolve().as_uri() + "?mode=ro"


def _connect_ro(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(_ro_uri(path), uri=True, timeout=10, isolation_level=None)


def _remove_sidecars(db_file: Path) -> None:
    for suffix in SIDECARS:
        Path(f"{db_file}{suffix}").unlink(missing_ok=True)


def _stamp(now: datetime) -> str:
    return now.strftime("%Y%m%d-%H%M%S")


def _unique(path: Path) -> Path:
    if not path.exists():
        return path
    for n in range(1, 1000):
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        if not candidate.exists():
            return candidate
    raise StoreError("backup_name_clash", path=path)


def default_backup_path(data: DataDir, now: datetime) -> Path:
    """``<data>/backups/store-YYYYmmdd-HHMMSS.sqlite3`` (with ``-N`` if taken)."""
    return _unique(data.backups_dir / f"store-{_stamp(now)}.sqlite3")


def _tables(conn: sqlite3.Connection, schema: str = "main") -> set[str]:
    rows = conn.execute(f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table'")
    return {r[0] for r in rows}


def _require(actor: Actor, perms: tuple[Permission, ...], code: str) -> None:
    if not all(actor.can(p) for p in perms):
        raise PermissionDenied(code)


# --- copying a store ---------------------------------------------------------------------


def _online_copy(
    src: Path,
    dest: Path,
    *,
    pages: int = -1,
    pause: float = 0.0,  # float ok: seconds between steps
    stop: threading.Event,
) -> None:
    """Copy ``src`` into the new file ``dest`` as of one instant, in steps of ``pages``.

    The read transaction held on the source for the whole copy is what keeps
    a stepped copy consistent: without it SQLite restarts the copy whenever
    another connection commits. ``stop`` aborts between steps (:class:`Cancelled`).
    """

    def between_steps(_status: int, remaining: int, _total: int) -> None:
        stopped = stop.wait(pause) if pause and remaining else stop.is_set()
        if stopped:
            raise Cancelled

    try:
        source = _connect_ro(src)
    except sqlite3.Error as exc:
        raise (store_error(exc, src) or StoreError("store_cannot_open", path=src)) from exc
    try:
        target = sqlite3.connect(dest, isolation_level=None)
        try:
            source.execute("BEGIN")
            source.execute("SELECT count(*) FROM sqlite_master").fetchone()
            source.backup(target, pages=pages, progress=between_steps, sleep=0.05)
            source.execute("COMMIT")
            target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            target.close()
    except sqlite3.Error as exc:
        # which side failed: a damaged source names the store, anything else the copy
        code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
        if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
            raise StoreCorrupt("store_corrupt", path=src, problem=str(exc)) from exc
        mapped = store_error(exc, dest)
        raise (mapped or StoreError("store_io_error", path=dest, detail=str(exc))) from exc
    finally:
        source.close()


def copy_store(
    src: Path,
    dest: Path,
    *,
    pages: int = -1,
    pause: float = 0.0,  # float ok: seconds between steps
    stop: threading.Event | None = None,
) -> Path:
    """Copy the store at ``src`` to the new file ``dest``, consistently, while it is in use.

    The copy is checked with ``integrity_check`` (damage found there means the
    store itself is damaged) and renamed into place only when sound; a full
    disk or any failure leaves no partial file. Needs no user: this is what
    the daily backup and the pre-restore safety copy use. People take backups
    through :func:`backup_to`.
    """
    src, dest = Path(src), Path(dest)
    stop = stop or threading.Event()
    if not src.exists():
        raise StoreError("backup_no_store", path=src)
    if dest.exists():
        raise StoreError("backup_exists", path=dest)
    part = dest.with_name(f"{dest.name}.{os.getpid()}.part")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        part.unlink(missing_ok=True)
        _online_copy(src, part, pages=pages, pause=pause, stop=stop)
        make_private(part)
        problems = integrity_check(part, cancel=stop.is_set)
        if problems:
            raise StoreCorrupt("backup_copy_corrupt", path=src, problem=problems[0])
        fsync_file(part)
        os.replace(part, dest)
        fsync_dir(dest.parent)
    except OSError as exc:
        raise write_error(exc, part) from exc
    finally:
        part.unlink(missing_ok=True)
        _remove_sidecars(part)
    return dest


def backup_to(db: Database, dest: Path, *, actor: Actor, terminal_id: str | None = None) -> Path:
    """A backup a person asked for: needs ``backup_restore``; audited in the store."""
    _require(actor, (Permission.BACKUP_RESTORE,), "backup_needs_manager")
    written = copy_store(db.path, dest)
    with db.transaction() as session:
        audit.record(
            session,
            "backup_taken",
            user_id=actor.user_id,
            terminal_id=terminal_id,
            target=written.name,
            path=str(written),
        )
    return written


def rotate_backups(data: DataDir, today: date, keep_days: int) -> list[Path]:
    """Remove ``store-*`` backups older than ``keep_days``, always keeping the newest three.

    Only files named like the automatic/default backups are touched; files
    written with ``--out`` elsewhere and ``pre-restore-*`` safety copies stay.
    """
    if not data.backups_dir.is_dir():
        return []
    dated: list[tuple[str, date, Path]] = []
    for path in data.backups_dir.iterdir():
        match = _BACKUP_NAME.match(path.name)
        if not match:
            continue
        try:
            day = datetime.strptime(match.group(1), "%Y%m%d").date()
        except ValueError:
            continue
        dated.append((match.group(1) + match.group(2) + path.name, day, path))
    dated.sort(reverse=True)
    cutoff = today - timedelta(days=keep_days)
    removed: list[Path] = []
    for _key, day, path in dated[AUTO_KEEP_MIN:]:
        if day < cutoff:
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def auto_backup(
    data: DataDir, now: datetime, keep_days: int, *, stop: threading.Event | None = None
) -> Path | None:
    """Take today's backup if there is none yet, then rotate old ones.

    One per calendar day of ``now`` (pass local time). Returns the new file, or
    None when today's backup exists or there is no store yet; cheap in that case.
    Copies in steps (:data:`STEP_PAGES`, :data:`STEP_PAUSE`) so it can run
    beside a selling till; ``stop`` aborts it (:class:`Cancelled`).
    """
    if not data.store_path.exists():
        return None
    day = now.strftime("%Y%m%d")
    if data.backups_dir.is_dir() and any(data.backups_dir.glob(f"store-{day}-*.sqlite3")):
        return None
    dest = copy_store(
        data.store_path,
        default_backup_path(data, now),
        pages=STEP_PAGES,
        pause=STEP_PAUSE,
        stop=stop,
    )
    rotate_backups(data, now.date(), keep_days)
    return dest


class DailyBackup:
    """Today's automatic backup, on a thread of its own, so the till sells meanwhile.

    A failure (full disk, damage found in the copy) is logged and never
    raised: there is no backup for today, so the next start tries again.
    """

    def __init__(self, data: DataDir, now: datetime, keep_days: int) -> None:
        self.data, self.now, self.keep_days = data, now, keep_days
        self.result: Path | None = None
        self.error: BaseException | None = None
        self.done = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="posterm-daily-backup", daemon=True)

    def start(self) -> DailyBackup:
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            self.result = auto_backup(self.data, self.now, self.keep_days, stop=self._stop)
            if self.result is not None:
                log.info("daily backup written: %s", self.result)
        except Cancelled:
            log.info("daily backup stopped (the program closed); retried on the next start")
        except StoreCorrupt as exc:
            self.error = exc
            log.error("daily backup found the store damaged: %s", exc)
        except Exception as exc:  # a thread must not die with a traceback on the till's screen
            self.error = exc
            log.warning("daily backup failed (retried on the next start): %s", exc, exc_info=True)
        finally:
            self.done.set()

    def wait(self, timeout: float | None = None) -> bool:  # float ok: seconds
        """Wait until the backup finished (or failed); False if ``timeout`` ran out first."""
        return self.done.wait(timeout)

    def stop(self) -> None:
        """Abort an unfinished backup (its partial copy is removed) and wait for the thread."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


# --- restore -----------------------------------------------------------------------------


def _meta_version(conn: sqlite3.Connection, revision: str) -> str:
    if "store_meta" in _tables(conn):
        row = conn.execute("SELECT value FROM store_meta WHERE key = 'program_version'").fetchone()
        if row:
            return str(row[0])
    return f"schema {revision}"


def check_backup(backup_path: Path) -> str:
    """Refuse a file that is not a sound posterm store this program can open.

    Runs a full ``integrity_check``. Returns the backup's schema revision.
    """
    backup_path = Path(backup_path)
    if not backup_path.is_file():
        raise StoreError("backup_not_found", path=backup_path)
    problems = integrity_check(backup_path)
    if problems:
        raise StoreCorrupt("backup_corrupt", path=backup_path, problem=problems[0])
    try:
        conn = _connect_ro(backup_path)
        try:
            if not {"sale", "alembic_version"} <= _tables(conn):
                raise StoreError("backup_invalid", path=backup_path)
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
            if revision is None:
                raise StoreError("backup_invalid", path=backup_path)
            if revision not in known_revisions():
                version = _meta_version(conn, str(revision))
                raise StoreError("backup_too_new", path=backup_path, version=version)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise StoreCorrupt("backup_corrupt", path=backup_path, problem=str(exc)) from exc
    return str(revision)


def what_would_be_lost(current_db_path: Path, backup_path: Path) -> LossReport:
    """Sales and unsent HQ records in the current store that the backup lacks.

    Raises :class:`sqlite3.Error` when the current store cannot be read.
    """
    conn = sqlite3.connect(current_db_path, isolation_level=None, timeout=10)
    try:
        conn.execute("ATTACH DATABASE ? AS bak", (_ro_uri(backup_path),))
        mine, theirs = _tables(conn, "main"), _tables(conn, "bak")
        sales: list[tuple[str, str]] = []
        if "sale" in mine:
            absent = "1" if "sale" not in theirs else "id NOT IN (SELECT id FROM bak.sale)"
            sales = [
                (r[0], r[1])
                for r in conn.execute(
                    f"SELECT id, receipt_no FROM main.sale WHERE {absent} "
                    "ORDER BY created_at, receipt_no"
                )
            ]
        outbox: list[tuple[str, str]] = []
        if "outbox" in mine:
            absent = (
                "1"
                if "outbox" not in theirs
                else "record_id NOT IN (SELECT record_id FROM bak.outbox)"
            )
            outbox = [
                (r[0], r[1])
                for r in conn.execute(
                    f"SELECT record_id, kind FROM main.outbox WHERE sent_at IS NULL AND {absent} "
                    "ORDER BY id"
                )
            ]
        return LossReport(sales=sales, outbox=outbox)
    finally:
        conn.close()


def _compare(store: Path, backup_file: Path) -> LossReport:
    """The loss report, after checking the current store can be read whole and is not too new.

    Raises :class:`StoreError` for what the person must fix first (full disk,
    read-only folder, a newer program's store) and ``restore_cannot_compare``
    when the current store is damaged or unreadable.
    """
    try:
        problems = integrity_check(store)
        if problems:
            raise StoreError("restore_cannot_compare", path=store, reason=problems[0])
        conn = sqlite3.connect(store, isolation_level=None, timeout=10)
        try:
            if "alembic_version" in _tables(conn):
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                if row and row[0] not in known_revisions():
                    raise StoreError(
                        "restore_current_too_new", version=_meta_version(conn, str(row[0]))
                    )
        finally:
            conn.close()
        return what_would_be_lost(store, backup_file)
    except StoreCorrupt as exc:
        raise StoreError("restore_cannot_compare", path=store, reason=exc.text("en")) from exc
    except sqlite3.Error as exc:
        mapped = store_error(exc, store)
        if mapped is not None and not isinstance(mapped, StoreCorrupt):
            raise mapped from exc
        raise StoreError("restore_cannot_compare", path=store, reason=str(exc)) from exc


def _safety_copy(data: DataDir, now: datetime) -> Path:
    """The current store, copied and checked (integrity_check) before anything is touched."""
    dest = _unique(data.backups_dir / f"pre-restore-{_stamp(now)}.sqlite3")
    try:
        return copy_store(data.store_path, dest)
    except StoreCorrupt as exc:
        raise StoreError("safety_copy_failed", problem=exc.text("en")) from exc


def _raw_safety_copy(data: DataDir, now: datetime) -> Path:
    """The bytes of a store that cannot be read (``--force``), with its WAL, checked complete."""
    dest = _unique(data.backups_dir / f"pre-restore-{_stamp(now)}-damaged.sqlite3")
    pairs = [(data.store_path, dest)]
    wal = Path(f"{data.store_path}-wal")
    if wal.exists():
        pairs.append((wal, Path(f"{dest}-wal")))
    written: list[Path] = []
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        for src, target in pairs:
            written.append(target)
            shutil.copyfile(src, target)
            make_private(target)
            fsync_file(target)
            if not filecmp.cmp(src, target, shallow=False):
                raise StoreError("safety_copy_failed", problem=f"{target} differs from {src}")
        fsync_dir(dest.parent)
    except OSError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        raise write_error(exc, dest) from exc
    except StoreError:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return dest


def _clear_leftovers(data: DataDir, tmp: Path) -> None:
    """Remove what a restore or backup killed half-way left (only while holding the lock alone)."""
    tmp.unlink(missing_ok=True)
    _remove_sidecars(tmp)
    if data.backups_dir.is_dir():
        for part in data.backups_dir.glob("*.part"):
            part.unlink(missing_ok=True)
            _remove_sidecars(part)


def _build(
    tmp: Path,
    backup_file: Path,
    current: Path | None,
    *,
    actor: Actor,
    terminal_id: str | None,
    details: dict[str, Any],
) -> tuple[dict[str, int], dict[str, int]]:
    """The restored store in ``tmp``: copied, migrated, carried over, audited, checked, synced."""
    _online_copy(backup_file, tmp, stop=threading.Event())
    Database(tmp, check=False, hold_lock=False).close()  # an older backup gets this schema
    inserted: dict[str, int] = {}
    updated: dict[str, int] = {}
    if current is not None:
        conn = sqlite3.connect(tmp, isolation_level=None, timeout=10)
        try:
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("ATTACH DATABASE ? AS cur", (str(current),))
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute("PRAGMA defer_foreign_keys=ON")
                result = carry_over(conn)
                broken = conn.execute("PRAGMA main.foreign_key_check").fetchall()
                if broken:
                    detail = ", ".join(f"{r[0]} -> {r[2]}" for r in broken[:5])
                    raise StoreError("carry_over_failed", detail=f"{len(broken)}: {detail}")
                conn.execute("COMMIT")
            except sqlite3.IntegrityError as exc:
                conn.execute("ROLLBACK")
                raise StoreError("carry_over_failed", detail=str(exc)) from exc
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("DETACH DATABASE cur")
        finally:
            conn.close()
        inserted, updated = result.inserted, result.updated
    restored = Database(tmp, check=False, hold_lock=False)
    try:
        with restored.transaction() as session:
            audit.record(
                session,
                "store_restored",
                user_id=actor.user_id,
                terminal_id=terminal_id,
                target=backup_file.name,
                carried=inserted,
                kept_newer=updated,
                **details,
            )
    finally:
        restored.close()
    # Leave WAL mode so the finished file is self-contained (no -wal to lose);
    # Database() switches the store back to WAL when the till opens it.
    conn = sqlite3.connect(tmp, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()
    problems = integrity_check(tmp)
    if problems:
        raise StoreCorrupt("restore_copy_unsound", problem=problems[0])
    _remove_sidecars(tmp)
    make_private(tmp)
    fsync_file(tmp)
    return inserted, updated


def _self_contained(store: Path) -> None:
    """Fold the live store's WAL into the file and drop it, so nothing beside it can be replayed.

    Only while holding the lock alone; what the WAL held is in the safety copy.
    """
    conn = sqlite3.connect(store, isolation_level=None, timeout=10)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()


def restore(
    data: DataDir,
    backup_file: Path,
    *,
    actor: Actor,
    carry_over: bool = False,
    force: bool = False,
    now: datetime | None = None,
    terminal_id: str | None = None,
) -> RestoreReport:
    """Replace the store with ``backup_file``, refusing to lose sales unless carrying them over.

    Needs an admin (``backup_restore`` and ``settings``) and nobody else with
    the store open. ``carry_over`` keeps what is newer in the current store
    (:mod:`terminal.store.carry`). A current store that cannot be compared
    (damaged, unreadable) is refused unless ``force``, which replaces it
    without comparing and keeps its bytes as ``pre-restore-*-damaged``; a
    store that *can* be compared is never overwritten losing sales, force or
    not. The restore is audited in the restored store.
    """
    _require(actor, (Permission.BACKUP_RESTORE, Permission.SETTINGS), "restore_needs_admin")
    if force and carry_over:
        raise StoreError("restore_force_no_carry")
    now = now or datetime.now().astimezone()
    backup_file = Path(backup_file).resolve()
    store = data.store_path
    if store.exists() and store.resolve() == backup_file:
        raise StoreError("restore_self", path=backup_file)
    tmp = store.with_name(store.name + ".restore-tmp")
    with lock.exclusive(store):
        _clear_leftovers(data, tmp)
        revision = check_backup(backup_file)
        current = store.exists() and store.stat().st_size > 0  # 0 bytes: nothing to keep
        loss = LossReport()
        comparable = False
        if current:
            try:
                loss = _compare(store, backup_file)
                comparable = True
            except StoreError as exc:
                if exc.code != "restore_cannot_compare" or not force:
                    raise
        if not loss.empty and not carry_over:
            raise RestoreRefused(backup_file, loss)
        safety: Path | None = None
        if current:
            safety = _safety_copy(data, now) if comparable else _raw_safety_copy(data, now)
        details: dict[str, Any] = {
            "backup": str(backup_file),
            "revision": revision,
            "safety_copy": str(safety) if safety else None,
            "forced": current and not comparable,
        }
        try:
            inserted, updated = _build(
                tmp,
                backup_file,
                store if carry_over and comparable else None,
                actor=actor,
                terminal_id=terminal_id,
                details=details,
            )
            if current and comparable:
                _self_contained(store)
            else:
                _remove_sidecars(store)  # a damaged store's WAL is in the raw safety copy
            os.replace(tmp, store)
            fsync_dir(store.parent)
        except OSError as exc:
            raise write_error(exc, tmp) from exc
        except sqlite3.Error as exc:
            mapped = store_error(exc, tmp)
            if mapped is not None and not isinstance(mapped, StoreCorrupt):
                raise mapped from exc
            raise StoreError("restore_failed", file=backup_file, detail=str(exc)) from exc
        finally:
            tmp.unlink(missing_ok=True)
            _remove_sidecars(tmp)
    return RestoreReport(
        backup_file=backup_file,
        store_path=store,
        revision=revision,
        safety_copy=safety,
        loss=loss,
        carried=inserted,
        updated=updated,
        forced=current and not comparable,
    )


# --- who may restore ---------------------------------------------------------------------


def _login_against_backup(backup_file: Path, username: str, pin: str, now: datetime) -> Actor:
    """Check a PIN against the backup's users (read only: no lockout can be recorded there)."""
    check_backup(backup_file)
    conn = _connect_ro(backup_file)
    try:
        row = conn.execute(
            "SELECT id, username, display_name, role, pin_hash, active, locked_until "
            'FROM "user" WHERE username = ?',
            (username,),
        ).fetchone()
    finally:
        conn.close()
    stamp = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if row is None or not row[5] or (row[6] is not None and row[6] > stamp):
        auth._burn_verify(pin)  # an unknown user answers as slowly as a known one
        raise PermissionDenied("restore_login_failed")
    if not verify_pin(row[4], pin):
        raise PermissionDenied("restore_login_failed")
    return Actor(row[0], row[1], row[2], row[3])


def login_for_restore(
    data: DataDir,
    backup_file: Path,
    username: str,
    pin: str,
    *,
    now: datetime,
    max_attempts: int = 5,
    lock_minutes: int = 5,
) -> Actor:
    """Log in the person asking for a restore.

    Against the current store when it opens (with its lockout and audit, like
    any login); when it is damaged, empty or missing, against the users of
    the backup about to be restored, since that is the store that will be in
    place. The store is closed again before returning, so :func:`restore` can
    take its lock.
    """
    if data.store_path.exists():
        try:
            db = Database(data.store_path)
        except StoreCorrupt:
            pass
        else:
            try:
                with db.transaction() as session:
                    return auth.login(
                        session,
                        username,
                        pin,
                        now=now,
                        max_attempts=max_attempts,
                        lock_minutes=lock_minutes,
                    )
            finally:
                db.close()
    return _login_against_backup(backup_file, username, pin, now)
