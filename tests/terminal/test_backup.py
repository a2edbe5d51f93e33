"""Backups taken while selling, and restores that refuse to lose sales."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from terminal import backup
from terminal.auth import Actor
from terminal.config import DataDir
from terminal.config_render import ensure_config
from terminal.errors import PosError, StoreCorrupt
from terminal.home import TerminalHome
from terminal.store.database import Database, integrity_check, quick_check
from terminal.store.models import (
    Category,
    Member,
    OutboxRow,
    Payment,
    Product,
    Sale,
    SaleLine,
    Shift,
    Store,
    Terminal,
    Tier,
    User,
)

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
ADMIN = Actor("user-9", "9001", "管理员", "admin")


def make_store(data: DataDir) -> Database:
    """A minimal store: one store, terminal, cashier, product and an open shift."""
    ensure_config(data, code="S001", name="测试店")
    db = Database(data.store_path)
    with db.transaction() as s:
        s.add(Store(id="store-1", code="S001", name="测试店"))
        s.add(
            User(id="user-1", username="1001", display_name="收银员", role="cashier", pin_hash="x")
        )
        s.add(Category(id="C01", name="饮料"))
        s.flush()
        s.add(Terminal(id="term-1", store_id="store-1", code="T01"))
        s.add(Product(id="prod-1", sku="690001", name="绿茶", category_id="C01", price=350))
        s.flush()
        s.add(Shift(id="shift-1", terminal_id="term-1", opened_by="user-1", opening_float=0))
    return db


def add_sale(
    db: Database,
    seq: int,
    *,
    shift_id: str = "shift-1",
    member_id: str | None = None,
    qty: int = 1,
) -> str:
    """One committed sale with a line, a payment and its outbox row; returns its receipt number."""
    receipt = f"S001T01-{seq:06d}"
    with db.transaction() as s:
        terminal = s.get(Terminal, "term-1")
        assert terminal is not None
        terminal.next_receipt_seq = seq + 1
        sale = Sale(
            id=f"sale-{seq}",
            receipt_no=receipt,
            seq=seq,
            terminal_id="term-1",
            shift_id=shift_id,
            cashier_id="user-1",
            member_id=member_id,
            subtotal=350 * qty,
            discount_total=0,
            payable=350 * qty,
            tz="Asia/Shanghai",
            business_day=date(2026, 11, 23),
            created_at=NOW + timedelta(minutes=seq),
        )
        sale.lines.append(
            SaleLine(
                id=f"line-{seq}",
                line_no=1,
                product_id="prod-1",
                sku="690001",
                name="绿茶",
                qty=qty,
                unit_price=350,
                gross=350 * qty,
                discount=0,
                net=350 * qty,
                paid=350 * qty,
            )
        )
        sale.payments.append(
            Payment(id=f"pay-{seq}", method="cash", amount=350 * qty, tendered=350 * qty)
        )
        s.add(sale)
        s.add(OutboxRow(record_id=sale.id, kind="sale", payload={"receipt_no": receipt}))
    return receipt


def counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("sale", "sale_line", "payment", "outbox", "shift", "member")
        }
    finally:
        conn.close()


@pytest.fixture
def data(tmp_path: Path) -> DataDir:
    return DataDir(tmp_path / "data")


def test_backup_during_open_write_transaction_is_consistent(data: DataDir) -> None:
    db = make_store(data)
    add_sale(db, 1)
    # Another connection is in the middle of writing a sale (not committed).
    writer = sqlite3.connect(data.store_path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute(
        "INSERT INTO outbox (record_id, kind, payload, created_at, attempts, last_error) "
        "VALUES ('half-done', 'sale', '{}', '2026-11-23T02:00:00.000000Z', 0, '')"
    )
    try:
        dest = backup.copy_store(data.store_path, data.backups_dir / "during.sqlite3")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert quick_check(dest) == []
    assert counts(dest)["sale"] == 1
    assert counts(dest)["outbox"] == 1  # the uncommitted row is not in the copy
    # and the copy is one self-contained file that opens as a store
    assert not Path(f"{dest}-wal").exists()
    copy = Database(dest)
    assert copy.scalar("SELECT receipt_no FROM sale") == "S001T01-000001"
    copy.close()
    db.close()


def test_backup_while_another_thread_keeps_selling(data: DataDir) -> None:
    db = make_store(data)
    stop = threading.Event()

    def sell() -> None:
        seq = 1
        while not stop.is_set() and seq < 400:
            add_sale(db, seq)
            seq += 1

    seller = threading.Thread(target=sell)
    seller.start()
    try:
        copies = [
            backup.copy_store(data.store_path, data.backups_dir / f"copy-{i}.sqlite3")
            for i in range(5)
        ]
    finally:
        stop.set()
        seller.join()
    for path in copies:
        assert quick_check(path) == []
        c = counts(path)
        # every sale in the copy is whole: its line, payment and outbox row too
        assert c["sale"] == c["sale_line"] == c["payment"] == c["outbox"]
    db.close()


def test_backup_refuses_to_overwrite(data: DataDir) -> None:
    db = make_store(data)
    db.close()
    dest = backup.copy_store(data.store_path, data.backups_dir / "a.sqlite3")
    with pytest.raises(PosError, match="already exists"):
        backup.copy_store(data.store_path, dest)


def test_restore_refuses_when_sales_would_be_lost(data: DataDir) -> None:
    db = make_store(data)
    add_sale(db, 1)
    snapshot = backup.copy_store(data.store_path, data.backups_dir / "snap.sqlite3")
    add_sale(db, 2)
    add_sale(db, 3)
    db.close()
    before = data.store_path.read_bytes()

    loss = backup.what_would_be_lost(data.store_path, snapshot)
    assert [r for _id, r in loss.sales] == ["S001T01-000002", "S001T01-000003"]
    assert [rec for rec, _kind in loss.outbox] == ["sale-2", "sale-3"]

    with pytest.raises(backup.RestoreRefused) as err:
        backup.restore(data, snapshot, actor=ADMIN, now=NOW)
    message = str(err.value)
    assert "2 sale(s)" in message
    assert "S001T01-000002" in message and "S001T01-000003" in message
    assert "--carry-over" in message
    assert data.store_path.read_bytes() == before
    assert not list(data.backups_dir.glob("pre-restore-*"))


def test_restore_refuses_unsent_outbox_records_not_in_backup(data: DataDir) -> None:
    db = make_store(data)
    snapshot = backup.copy_store(data.store_path, data.backups_dir / "snap.sqlite3")
    with db.transaction() as s:
        s.add(OutboxRow(record_id="member-reg-1", kind="member", payload={}))
    db.close()
    with pytest.raises(backup.RestoreRefused, match="1 record"):
        backup.restore(data, snapshot, actor=ADMIN, now=NOW)


def test_a_refusal_names_at_most_20_receipts() -> None:
    loss = backup.LossReport(sales=[(f"id{i}", f"R{i:03d}") for i in range(25)])
    text = str(backup.RestoreRefused(Path("b.sqlite3"), loss))
    assert "25 sale(s)" in text and "R019" in text and "R020" not in text and "(+5)" in text
    assert "25 笔" in text


def test_restore_without_loss_replaces_store_and_keeps_safety_copy(data: DataDir) -> None:
    db = make_store(data)
    add_sale(db, 1)
    snapshot = backup.copy_store(data.store_path, data.backups_dir / "snap.sqlite3")
    # a change that is not a sale: it is allowed to be rolled back
    with db.transaction() as s:
        s.add(Category(id="C99", name="临时"))
    db.close()

    report = backup.restore(data, snapshot, actor=ADMIN, now=NOW)
    assert report.carried == {}
    assert report.safety_copy is not None and report.safety_copy.exists()
    assert report.safety_copy.name.startswith("pre-restore-")
    restored = Database(data.store_path)
    assert restored.scalar("SELECT count(*) FROM category WHERE id = 'C99'") == 0
    restored.close()
    safety = Database(report.safety_copy)
    assert safety.scalar("SELECT count(*) FROM category WHERE id = 'C99'") == 1
    safety.close()
    assert not data.store_path.with_name("store.sqlite3.restore-tmp").exists()


def test_carry_over_keeps_new_sales_and_their_dependents(data: DataDir) -> None:
    db = make_store(data)
    add_sale(db, 1)
    snapshot = backup.copy_store(data.store_path, data.backups_dir / "snap.sqlite3")
    # After the backup: the shift closes, a new shift opens, a member is created,
    # and two sales are made, one on the new shift for the new member.
    with db.transaction() as s:
        shift = s.get(Shift, "shift-1")
        assert shift is not None
        shift.status = "closed"
        shift.closed_by = "user-1"
        shift.closed_at = NOW + timedelta(hours=1)
        s.flush()
        s.add(Shift(id="shift-2", terminal_id="term-1", opened_by="user-1", opening_float=100))
        s.add(Tier(code="normal", name="普通", rank=0))
        s.flush()
        s.add(Member(id="member-1", member_no="M0001", tier_code="normal"))
    add_sale(db, 2)
    add_sale(db, 3, shift_id="shift-2", member_id="member-1", qty=2)
    # sale 1's outbox row was acknowledged by HQ meanwhile
    with db.transaction() as s:
        row = s.scalars(select(OutboxRow).where(OutboxRow.record_id == "sale-1")).one()
        row.sent_at = NOW + timedelta(hours=2)
    db.close()

    report = backup.restore(data, snapshot, actor=ADMIN, carry_over=True, now=NOW)
    assert [r for _id, r in report.loss.sales] == ["S001T01-000002", "S001T01-000003"]
    assert report.carried["sale"] == 2
    assert report.carried["sale_line"] == 2
    assert report.carried["payment"] == 2
    assert report.carried["outbox"] == 2
    assert report.carried["shift"] == 1
    assert report.carried["member"] == 1
    assert "S001T01-000003" in report.summary()

    restored = Database(data.store_path)
    with restored.sessions() as s:
        receipts = s.scalars(select(Sale.receipt_no).order_by(Sale.seq)).all()
        assert receipts == ["S001T01-000001", "S001T01-000002", "S001T01-000003"]
        sale3 = s.get(Sale, "sale-3")
        assert sale3 is not None
        assert [(line.qty, line.paid) for line in sale3.lines] == [(2, 700)]
        assert [p.amount for p in sale3.payments] == [700]
        assert sale3.member_id == "member-1"
        unsent = s.scalars(
            select(OutboxRow.record_id).where(OutboxRow.sent_at.is_(None)).order_by(OutboxRow.id)
        ).all()
        # sale 1 is unsent in the backup but HQ acknowledged it since: it stays sent
        assert unsent == ["sale-2", "sale-3"]
        shift1 = s.get(Shift, "shift-1")
        assert shift1 is not None and shift1.status == "closed"
        assert s.scalar(select(func.count()).select_from(Shift).where(Shift.status == "open")) == 1
        terminal = s.get(Terminal, "term-1")
        assert terminal is not None and terminal.next_receipt_seq == 4
    restored.close()
    assert report.safety_copy is not None and report.safety_copy.exists()
    # nothing is lost any more, so a second restore check finds nothing
    assert backup.what_would_be_lost(report.safety_copy, data.store_path).empty


def test_restore_refuses_garbage_file_before_touching_store(data: DataDir) -> None:
    db = make_store(data)
    add_sale(db, 1)
    db.close()
    before = data.store_path.read_bytes()
    garbage = data.root / "garbage.sqlite3"
    garbage.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(PosError, match="integrity check"):
        backup.restore(data, garbage, actor=ADMIN, carry_over=True, now=NOW)
    assert data.store_path.read_bytes() == before
    assert not list(data.backups_dir.glob("pre-restore-*"))


def test_restore_refuses_truncated_backup(data: DataDir) -> None:
    db = make_store(data)
    for seq in range(1, 60):
        add_sale(db, seq)
    db.close()
    good = backup.copy_store(data.store_path, data.backups_dir / "good.sqlite3")
    truncated = data.root / "truncated.sqlite3"
    raw = good.read_bytes()
    truncated.write_bytes(raw[: len(raw) // 2])
    before = data.store_path.read_bytes()
    with pytest.raises(PosError) as err:
        backup.restore(data, truncated, actor=ADMIN, now=NOW)
    assert err.value.code in {"backup_corrupt", "backup_invalid"}
    assert data.store_path.read_bytes() == before


def test_restore_refuses_non_posterm_database(data: DataDir) -> None:
    db = make_store(data)
    db.close()
    other = data.root / "other.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(PosError, match="not a posterm store"):
        backup.restore(data, other, actor=ADMIN, now=NOW)


def test_restore_refuses_newer_schema(data: DataDir) -> None:
    db = make_store(data)
    db.close()
    newer = backup.copy_store(data.store_path, data.backups_dir / "newer.sqlite3")
    conn = sqlite3.connect(newer)
    conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.commit()
    conn.close()
    with pytest.raises(PosError, match="newer"):
        backup.restore(data, newer, actor=ADMIN, now=NOW)


def test_auto_backup_once_per_day_and_rotation(data: DataDir) -> None:
    db = make_store(data)
    db.close()
    day0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    first = backup.auto_backup(data, day0, keep_days=5)
    assert first is not None and first.name == "store-20261101-090000.sqlite3"
    assert backup.auto_backup(data, day0 + timedelta(hours=5), keep_days=5) is None
    for n in range(1, 20):
        backup.auto_backup(data, day0 + timedelta(days=n), keep_days=5)
    names = sorted(p.name for p in data.backups_dir.glob("store-*.sqlite3"))
    # Nov 20 minus 5 days = Nov 15: backups of the 15th..20th are kept
    assert names == [f"store-202611{d:02d}-090000.sqlite3" for d in range(15, 21)]


def test_rotation_always_keeps_newest_three(data: DataDir) -> None:
    data.backups_dir.mkdir(parents=True)
    for d in (1, 2, 3, 4):
        (data.backups_dir / f"store-202601{d:02d}-120000.sqlite3").write_bytes(b"")
    (data.backups_dir / "pre-restore-20260101-120000.sqlite3").write_bytes(b"")
    removed = backup.rotate_backups(data, date(2026, 11, 23), keep_days=14)
    assert [p.name for p in removed] == ["store-20260101-120000.sqlite3"]
    left = sorted(p.name for p in data.backups_dir.iterdir())
    assert left == [
        "pre-restore-20260101-120000.sqlite3",
        "store-20260102-120000.sqlite3",
        "store-20260103-120000.sqlite3",
        "store-20260104-120000.sqlite3",
    ]


def test_till_open_takes_daily_backup_and_finds_rows(data: DataDir) -> None:
    make_store(data).close()
    till = TerminalHome.open(data.root, now=NOW)
    try:
        # the daily backup runs on its own thread; the store is usable meanwhile
        assert till.daily_backup is not None
        assert till.daily_backup.wait(timeout=60)
        assert till.daily_backup.error is None
        assert len(list(data.backups_dir.glob("store-20261123-*.sqlite3"))) == 1
        with till.db.sessions() as s:
            assert till.terminal_row(s).code == "T01"
            assert till.store_row(s).code == "S001"
        assert till.config.store.name == "测试店"
    finally:
        till.close()
    again = TerminalHome.open(data.root, now=NOW)
    assert again.daily_backup is not None and again.daily_backup.wait(timeout=60)
    assert again.daily_backup.result is None  # today's backup exists already
    again.close()
    assert len(list(data.backups_dir.glob("store-*.sqlite3"))) == 1


def test_till_open_refuses_uninitialised_dir(tmp_path: Path) -> None:
    with pytest.raises(PosError, match="data dir not initialised"):
        TerminalHome.open(tmp_path / "empty")
    till = TerminalHome.open(tmp_path / "new", create=True, now=NOW)
    try:
        assert (tmp_path / "new" / "config.toml").exists()
        assert till.db.schema_revision() == Database.head_revision()
    finally:
        till.close()


def test_till_open_refuses_corrupt_store(data: DataDir) -> None:
    make_store(data).close()
    raw = bytearray(data.store_path.read_bytes())
    page = 4096
    raw[page : 6 * page] = bytes(range(256)) * (5 * page // 256)
    data.store_path.write_bytes(bytes(raw))
    with pytest.raises(StoreCorrupt, match="corrupt"):
        TerminalHome.open(data.root, now=NOW)


# --- who may, and copying in steps ----------------------------------------------------------


def test_backup_and_restore_check_permissions_in_the_core(data: DataDir) -> None:
    from terminal.errors import PermissionDenied

    db = make_store(data)
    add_sale(db, 1)
    cashier = Actor("user-1", "1001", "收银员", "cashier")
    manager = Actor("user-3", "3001", "店长", "manager")
    with pytest.raises(PermissionDenied) as err:
        backup.backup_to(db, data.backups_dir / "by-cashier.sqlite3", actor=cashier)
    assert err.value.code == "backup_needs_manager"
    assert not data.backups_dir.exists() or not list(data.backups_dir.iterdir())
    written = backup.backup_to(db, data.backups_dir / "by-manager.sqlite3", actor=manager)
    assert db.scalar("SELECT target FROM audit_event WHERE action = 'backup_taken'") == (
        written.name
    )
    db.close()
    with pytest.raises(PermissionDenied) as err:
        backup.restore(data, written, actor=manager)
    assert err.value.code == "restore_needs_admin"
    assert not list(data.backups_dir.glob("pre-restore-*"))


class _TillBetweenSteps(threading.Event):
    """A stop event whose waits are the moments between two copy steps: a sale lands in each."""

    def __init__(self, db: Database, first_seq: int) -> None:
        super().__init__()
        self.db, self.seq, self.waits = db, first_seq, 0

    def wait(self, timeout: float | None = None) -> bool:
        self.waits += 1
        add_sale(self.db, self.seq)
        self.seq += 1
        return False


def test_a_stepped_copy_is_one_instant_and_never_restarts(data: DataDir) -> None:
    db = make_store(data)
    for seq in range(1, 200):
        add_sale(db, seq)
    pages = db.scalar("PRAGMA page_count")
    till = _TillBetweenSteps(db, first_seq=200)
    copy = backup.copy_store(
        data.store_path, data.backups_dir / "stepped.sqlite3", pages=4, pause=0.001, stop=till
    )
    # one wait between every two steps of 4 pages: a restart would have copied more steps
    assert till.waits == -(-pages // 4) - 1
    assert till.seq > 200  # sales were committed during the copy...
    assert counts(copy)["sale"] == 199  # ...and none of them is in it
    assert integrity_check(copy) == []
    db.close()


def test_backups_are_private_files(data: DataDir) -> None:
    db = make_store(data)
    written = backup.copy_store(data.store_path, data.backups_dir / "copy.sqlite3")
    assert written.stat().st_mode & 0o777 == 0o600
    db.close()
