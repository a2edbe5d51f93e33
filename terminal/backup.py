"""Backups of the local store, and restoring one without losing sales.

A backup is taken with SQLite's online backup API
(:meth:`sqlite3.Connection.backup`), copying all pages in one step under one
read transaction: the copy is the store as of one committed instant even while
the till keeps selling (WAL readers are not blocked by the writer, and an
uncommitted sale is simply not in the copy). Every copy is written to a
``.part`` file, ``quick_check``-ed, and only then renamed into place, so a file
named ``store-*.sqlite3`` is always a sound store.

Restoring is the dangerous direction: the backup is older than the store, and
sales made since then may not have reached HQ yet. :func:`restore` therefore
compares first and refuses when sales or unsent HQ records would be lost,
unless asked to carry them over into the restored store. The current store is
always kept as a ``pre-restore-*`` safety copy before it is replaced.

Restore with the till program closed: replacing the file under a running
till would leave it writing to a deleted file.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from alembic.script import ScriptDirectory

from terminal.config import DataDir
from terminal.errors import PosError, StoreCorrupt
from terminal.files import fsync_dir, fsync_file
from terminal.store.database import Database, alembic_config, quick_check

AUTO_KEEP_MIN = 3
"""Rotation never removes the newest this many daily backups, however old."""

_BACKUP_NAME = re.compile(r"^store-(\d{8})-(\d{6})(?:-\d+)?\.sqlite3$")

# Tables carried from the current store into a restored one, each with the key
# that identifies a row. Rows are inserted in one transaction with foreign keys
# deferred, so the order only has to be sensible, not topological.
CARRY_TABLES: list[tuple[str, str]] = [
    ("store", "id"),
    ("terminal", "id"),
    ("user", "id"),
    ("category", "id"),
    ("product", "id"),
    ("product_barcode", "barcode"),
    ("tier", "code"),
    ("member", "id"),
    ("coupon_definition", "id"),
    ("coupon", "code"),
    ("shift", "id"),
    ("cash_movement", "id"),
    ("sale", "id"),
    ("sale_line", "id"),
    ("sale_adjustment", "id"),
    ("payment", "id"),
    ("points_entry", "id"),
    ("coupon_redemption", "id"),
    ("audit_event", "id"),
    ("outbox", "record_id"),
]


class RestoreRefused(PosError):
    """A restore would lose sales or unsent HQ records; ``loss`` lists them."""

    code = "restore_refused"

    def __init__(self, message: str, loss: LossReport) -> None:
        super().__init__(message)
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

    def describe(self, limit: int = 20) -> str:
        """One line for a person: counts, and at most ``limit`` receipt numbers."""
        parts: list[str] = []
        if self.sales:
            shown = ", ".join(receipt for _id, receipt in self.sales[:limit])
            more = f" (+{len(self.sales) - limit} more)" if len(self.sales) > limit else ""
            parts.append(f"{len(self.sales)} sale(s) not in the backup: {shown}{more}")
        if self.outbox:
            parts.append(f"{len(self.outbox)} record(s) not yet sent to HQ")
        return "; ".join(parts) if parts else "nothing"


@dataclass(frozen=True)
class RestoreReport:
    """What :func:`restore` did."""

    backup_file: Path
    store_path: Path
    revision: str
    safety_copy: Path | None
    loss: LossReport
    carried: dict[str, int]

    def summary(self) -> str:
        lines = [
            f"已恢复 / restored {self.store_path} from {self.backup_file} (schema {self.revision})",
            f"安全副本 / previous store kept as {self.safety_copy}"
            if self.safety_copy
            else "安全副本 / there was no previous store",
        ]
        if self.carried:
            counts = ", ".join(f"{n} {table}" for table, n in self.carried.items())
            lines.append(f"已带入 / carried over: {counts}")
            if self.loss.sales:
                receipts = ", ".join(r for _id, r in self.loss.sales[:20])
                more = f" (+{len(self.loss.sales) - 20} more)" if len(self.loss.sales) > 20 else ""
                lines.append(f"已保留的销售 / sales kept: {receipts}{more}")
        else:
            lines.append("没有需要带入的记录 / nothing needed carrying over")
        return "\n".join(lines)


# --- helpers -----------------------------------------------------------------------------


def _ro_uri(path: Path) -> str:
    return Path(path).resolve().as_uri() + "?mode=ro"


def _connect_ro(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(_ro_uri(path), uri=True, timeout=10, isolation_level=None)


def _remove_sidecars(db_file: Path) -> None:
    for suffix in ("-wal", "-shm", "-journal"):
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
    raise PosError(f"备份文件名冲突 / too many backups named like {path}")


def default_backup_path(data: DataDir, now: datetime) -> Path:
    """``<data>/backups/store-YYYYmmdd-HHMMSS.sqlite3`` (with ``-N`` if taken)."""
    return _unique(data.backups_dir / f"store-{_stamp(now)}.sqlite3")


def _tables(conn: sqlite3.Connection, schema: str = "main") -> set[str]:
    rows = conn.execute(f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table'")
    return {r[0] for r in rows}


def _columns(conn: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f'PRAGMA {schema}.table_info("{table}")')]


# --- backup ------------------------------------------------------------------------------


def backup_to(db_path: Path, dest: Path) -> Path:
    """Copy the store at ``db_path`` to a new file ``dest``, consistently, while it is in use.

    The copy is switched to a rollback journal so it is one self-contained file,
    checked with ``quick_check``, and renamed into place only when sound.
    """
    db_path, dest = Path(db_path), Path(dest)
    if not db_path.exists():
        raise PosError(f"找不到数据库 / no store at {db_path}; nothing to back up")
    if dest.exists():
        raise PosError(f"备份文件已存在 / {dest} already exists; choose another file")
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    part.unlink(missing_ok=True)
    try:
        src = _connect_ro(db_path)
        try:
            dst = sqlite3.connect(part, isolation_level=None)
            try:
                src.backup(dst)  # pages=-1: the whole file under one read transaction
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        part.unlink(missing_ok=True)
        problems = quick_check(db_path)
        if problems:
            raise StoreCorrupt(
                f"本地数据库已损坏，无法备份 / the store {db_path} is corrupt ({problems[0]}); "
                "restore the latest backup with `posterm restore`"
            ) from exc
        raise PosError(f"备份失败 / backup of {db_path} failed: {exc}") from exc
    problems = quick_check(part)
    if problems:
        part.unlink(missing_ok=True)
        raise StoreCorrupt(
            f"备份副本未通过完整性检查 / the copy of {db_path} failed its integrity check "
            f"({problems[0]}); the store itself may be damaged"
        )
    fsync_file(part)
    os.replace(part, dest)
    fsync_dir(dest.parent)
    return dest


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


def auto_backup(data: DataDir, now: datetime, keep_days: int) -> Path | None:
    """Take today's backup if there is none yet, then rotate old ones.

    One per calendar day of ``now`` (pass local time). Returns the new file, or
    None when today's backup exists or there is no store yet; cheap in that case.
    """
    if not data.store_path.exists():
        return None
    day = now.strftime("%Y%m%d")
    if data.backups_dir.is_dir() and any(data.backups_dir.glob(f"store-{day}-*.sqlite3")):
        return None
    dest = backup_to(data.store_path, default_backup_path(data, now))
    rotate_backups(data, now.date(), keep_days)
    return dest


# --- restore -----------------------------------------------------------------------------


def _known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def check_backup(backup_path: Path) -> str:
    """Refuse a file that is not a sound posterm store this program can open.

    Returns the backup's schema revision.
    """
    backup_path = Path(backup_path)
    if not backup_path.is_file():
        raise PosError(f"找不到备份文件 / backup file {backup_path} not found")
    problems = quick_check(backup_path)
    if problems:
        raise PosError(
            f"备份文件已损坏，未做任何改动 / backup {backup_path} failed its integrity check "
            f"({problems[0]}); nothing was changed",
            code="backup_corrupt",
        )
    try:
        conn = _connect_ro(backup_path)
        try:
            tables = _tables(conn)
            if not {"sale", "alembic_version"} <= tables:
                raise PosError(
                    f"不是收银数据库备份 / {backup_path} is not a posterm store backup "
                    "(no sale / alembic_version table); nothing was changed",
                    code="backup_invalid",
                )
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise PosError(
            f"无法读取备份 / cannot read backup {backup_path}: {exc}; nothing was changed",
            code="backup_corrupt",
        ) from exc
    revision = row[0] if row else None
    if revision is None:
        raise PosError(
            f"备份没有版本信息 / {backup_path} has no schema revision; nothing was changed",
            code="backup_invalid",
        )
    if revision not in _known_revisions():
        raise PosError(
            f"备份来自更新版本的程序 / {backup_path} has schema revision {revision}, newer "
            f"than this program ({Database.head_revision()}); upgrade posterm first",
            code="backup_too_new",
        )
    return str(revision)


def what_would_be_lost(current_db_path: Path, backup_path: Path) -> LossReport:
    """Sales and unsent HQ records in the current store that the backup lacks."""
    conn = _connect_ro(current_db_path)
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


def _safety_copy(data: DataDir, now: datetime) -> Path:
    dest = _unique(data.backups_dir / f"pre-restore-{_stamp(now)}.sqlite3")
    try:
        return backup_to(data.store_path, dest)
    except (StoreCorrupt, PosError, sqlite3.Error):
        # A damaged store cannot be copied page by page; keep its bytes as they are.
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(data.store_path, dest)
        for suffix in ("-wal", "-shm"):
            side = Path(f"{data.store_path}{suffix}")
            if side.exists():
                shutil.copy2(side, Path(f"{dest}{suffix}"))
        fsync_file(dest)
        return dest


def _carry_over(target: Path, current: Path) -> dict[str, int]:
    """Copy into ``target`` every row of ``current`` it lacks, in one transaction.

    Rows present in both keep the target's (backup's) values except where a
    later event must win for the carried rows to make sense: a shift closed
    since the backup, a sale returned since, a coupon redeemed since, and the
    terminal's receipt sequence (never reused).
    """
    carried: dict[str, int] = {}
    conn = sqlite3.connect(target, isolation_level=None, timeout=10)
    try:
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("ATTACH DATABASE ? AS cur", (_ro_uri(current),))
        mine, theirs = _tables(conn, "main"), _tables(conn, "cur")
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("PRAGMA defer_foreign_keys=ON")
            # Updates first: closing an old shift frees the one-open-shift slot
            # a carried shift may need.
            if {"shift"} <= mine & theirs:
                conn.execute(
                    "UPDATE main.shift SET (status, closed_by, closed_at, expected_cash, "
                    "counted_cash, variance, counts) = (SELECT c.status, c.closed_by, "
                    "c.closed_at, c.expected_cash, c.counted_cash, c.variance, c.counts "
                    "FROM cur.shift c WHERE c.id = shift.id) "
                    "WHERE status = 'open' "
                    "AND id IN (SELECT id FROM cur.shift WHERE status = 'closed')"
                )
            if {"sale"} <= mine & theirs:
                conn.execute(
                    "UPDATE main.sale SET status = (SELECT c.status FROM cur.sale c "
                    "WHERE c.id = sale.id) WHERE id IN (SELECT c.id FROM cur.sale c "
                    "JOIN main.sale m ON m.id = c.id WHERE c.status <> m.status)"
                )
            if {"coupon"} <= mine & theirs:
                conn.execute(
                    "UPDATE main.coupon SET status = (SELECT c.status FROM cur.coupon c "
                    "WHERE c.code = coupon.code) WHERE code IN (SELECT c.code FROM cur.coupon c "
                    "JOIN main.coupon m ON m.code = c.code WHERE c.status <> m.status)"
                )
            if {"terminal"} <= mine & theirs:
                conn.execute(
                    "UPDATE main.terminal SET next_receipt_seq = (SELECT c.next_receipt_seq "
                    "FROM cur.terminal c WHERE c.id = terminal.id) WHERE id IN (SELECT c.id "
                    "FROM cur.terminal c JOIN main.terminal m ON m.id = c.id "
                    "WHERE c.next_receipt_seq > m.next_receipt_seq)"
                )
            for table, key in CARRY_TABLES:
                if table not in mine or table not in theirs:
                    continue
                target_cols = _columns(conn, "main", table)
                source_cols = set(_columns(conn, "cur", table))
                cols = [c for c in target_cols if c in source_cols]
                if table == "outbox":
                    cols = [c for c in cols if c != "id"]  # new local ids, same send order
                col_list = ", ".join(f'"{c}"' for c in cols)
                cursor = conn.execute(
                    f'INSERT INTO main."{table}" ({col_list}) SELECT {col_list} FROM cur."{table}" '
                    f'WHERE "{key}" NOT IN (SELECT "{key}" FROM main."{table}") ORDER BY rowid'
                )
                if cursor.rowcount > 0:
                    carried[table] = cursor.rowcount
            broken = conn.execute("PRAGMA main.foreign_key_check").fetchall()
            if broken:
                details = ", ".join(f"{r[0]} -> {r[2]}" for r in broken[:5])
                raise PosError(
                    "带入的记录引用了缺失的数据 / carried rows reference missing records "
                    f"({len(broken)}: {details}); nothing was changed",
                    code="carry_over_failed",
                )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("DETACH DATABASE cur")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return carried


def restore(
    data: DataDir,
    backup_file: Path,
    carry_over: bool = False,
    now: datetime | None = None,
) -> RestoreReport:
    """Replace the store with ``backup_file``, refusing to lose sales unless carrying them over.

    Steps: check the backup (integrity, a posterm store, known schema); compare
    with the current store (:func:`what_would_be_lost`) and refuse if anything
    would be lost and ``carry_over`` is false; keep a ``pre-restore-*`` safety
    copy; build the restored store in a temporary file next to the store
    (copy, migrate, carry over in one transaction, fsync); remove stale
    ``-wal``/``-shm`` files and ``os.replace`` it into place.
    """
    now = now or datetime.now().astimezone()
    backup_file = Path(backup_file).resolve()
    store = data.store_path
    if store.exists() and store.resolve() == backup_file:
        raise PosError(f"不能用数据库自身恢复 / {backup_file} is the store itself")
    revision = check_backup(backup_file)

    loss = LossReport()
    current_readable = False
    if store.exists():
        try:
            loss = what_would_be_lost(store, backup_file)
            current_readable = True
        except sqlite3.DatabaseError as exc:
            # A store too damaged to read cannot be compared (nor sold on); the
            # safety copy keeps its bytes. Carrying over from it is impossible.
            if carry_over:
                raise PosError(
                    f"当前数据库无法读取，不能带入 / the current store {store} cannot be read "
                    f"({exc}); restore without --carry-over (a safety copy is kept)"
                ) from exc
    if not loss.empty and not carry_over:
        raise RestoreRefused(
            f"恢复会丢失数据，已拒绝 / restoring {backup_file} would lose {loss.describe()}; "
            "nothing was changed; use --carry-over to keep them in the restored store",
            loss,
        )

    safety = _safety_copy(data, now) if store.exists() else None

    tmp = store.with_name(store.name + ".restore-tmp")
    tmp.unlink(missing_ok=True)
    _remove_sidecars(tmp)
    carried: dict[str, int] = {}
    try:
        src = _connect_ro(backup_file)
        try:
            dst = sqlite3.connect(tmp, isolation_level=None)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        db = Database(tmp, check=False)  # brings an older backup up to this program's schema
        db.close()
        if carry_over and current_readable:
            carried = _carry_over(tmp, store)
        # Leave WAL mode so the finished file is self-contained (no -wal to lose);
        # Database() switches the store back to WAL when the till opens it.
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=DELETE")
        finally:
            conn.close()
        problems = quick_check(tmp)
        if problems:
            raise StoreCorrupt(
                f"恢复结果未通过完整性检查 / restored copy is unsound ({problems[0]})"
            )
        _remove_sidecars(tmp)
        fsync_file(tmp)
        # The old store's WAL belongs to the old file; left next to the new one
        # SQLite could replay it into the restored store.
        _remove_sidecars(store)
        os.replace(tmp, store)
        fsync_dir(store.parent)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        _remove_sidecars(tmp)
        if isinstance(exc, sqlite3.Error):
            raise PosError(
                f"恢复失败，当前数据库未改动 / restore from {backup_file} failed ({exc}); "
                f"the current store was not replaced",
                code="restore_failed",
            ) from exc
        raise
    return RestoreReport(
        backup_file=backup_file,
        store_path=store,
        revision=revision,
        safety_copy=safety,
        loss=loss,
        carried=carried,
    )
