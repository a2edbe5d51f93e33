"""``restore --carry-over`` keeps what is newer in the current store, for every table.

Seen before: after backup -> erase a member -> restore --carry-over, the erased
member's name and phone were back, findable by phone and queued to HQ again; a
member blocked after the backup was active again; a user deactivated after the
backup could log in; a PIN reset was undone; and ``member_consent`` and
``print_job`` rows made after the backup were silently dropped.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from terminal import auth, backup, members, print_jobs, shifts
from terminal.auth import Actor
from terminal.checkout import Tender
from terminal.config import DataDir
from terminal.config_render import ensure_config
from terminal.errors import NotFound, PermissionDenied
from terminal.pii import MemberVault
from terminal.registration import register_member
from terminal.returns import process_return
from terminal.store.carry import RULES, Carry, NotCarried
from terminal.store.database import Database, integrity_check
from terminal.store.models import (
    Base,
    Member,
    MemberConsent,
    OutboxRow,
    PrintJob,
    Sale,
    Shift,
    SuspendedBasket,
    Terminal,
)
from tests.conftest import DEMO_NOW
from tests.terminal.tillkit import Shop, make_till

ADMIN = Actor("admin-id", "9001", "管理员", "admin")


@pytest.fixture
def vault() -> MemberVault:
    return MemberVault.ephemeral()


def _register(db: Database, vault: MemberVault, phone: str, name: str, *, now: datetime) -> str:
    with db.transaction() as session:
        result = register_member(
            session,
            vault,
            phone=phone,
            name=name,
            consent_data=True,
            consent_marketing=True,
            actor=None,
            now=now,
        )
        return result.member.member_no


def _sell(shop: Shop, sku: str = "SKU000300") -> str:
    co = shop.checkout()
    co.add(sku)
    return co.pay([Tender("cash", co.quote().payable)]).receipt_no


def _setup(demo_template: Path, tmp_path: Path) -> tuple[DataDir, Database, Shop]:
    data = DataDir(tmp_path / "data")
    ensure_config(data, code="S001", name="测试店")
    shutil.copyfile(demo_template, data.store_path)
    db = Database(data.store_path)
    return data, db, make_till(db)


def test_carry_over_keeps_every_change_made_after_the_backup(
    demo_template: Path, tmp_path: Path, vault: MemberVault
) -> None:
    data, db, shop = _setup(demo_template, tmp_path)
    erased_no = _register(db, vault, "13912345678", "王小明", now=DEMO_NOW)
    blocked_no = _register(db, vault, "13800001111", "李四", now=DEMO_NOW)
    first_receipt = _sell(shop)
    snapshot = backup.copy_store(data.store_path, data.backups_dir / "snap.sqlite3")

    # after the backup
    manager = shop.manager
    with db.transaction() as session:
        members.erase_member(session, vault, erased_no, actor=manager, reason="顾客申请")
    with db.transaction() as session:
        member = session.scalars(select(Member).where(Member.member_no == blocked_no)).one()
        member.status = "blocked"
    with db.transaction() as session:
        admin = auth.login(session, "9001", "9999", now=DEMO_NOW)
    with db.transaction() as session:
        auth.deactivate_user(session, username="2001", by=admin)
        auth.change_pin(session, username="1001", new_pin="4321", by=admin)
    new_no = _register(db, vault, "13700002222", "赵六", now=datetime.now(UTC))
    second_receipt = _sell(shop, "SKU000007")
    with db.transaction() as session:
        first_job = session.scalars(
            select(PrintJob)
            .join(Sale, Sale.id == PrintJob.sale_id)
            .where(Sale.receipt_no == first_receipt)
        ).one()
        print_jobs.start(session, first_job.id, now=datetime.now(UTC))
        delivered = print_jobs.Delivery(ok=True, sent=True)
        print_jobs.finish(session, first_job.id, delivered, now=datetime.now(UTC))
    db.close()

    report = backup.restore(data, snapshot, actor=ADMIN, carry_over=True)
    assert report.carried["member_consent"] == 2  # the new member's two consents
    assert report.carried["print_job"] == 1
    assert {"member", "user", "print_job"} <= set(report.updated)
    assert "kept newer rows" in report.summary()

    db = Database(data.store_path)
    try:
        with db.sessions() as s:
            erased = s.scalars(select(Member).where(Member.member_no == erased_no)).one()
            assert erased.status == "erased"
            assert erased.name_enc is erased.phone_enc is erased.phone_index is None
            with pytest.raises(NotFound):
                members.find_by_phone(s, vault, "13912345678")
            queued = [
                row
                for row in s.scalars(select(OutboxRow))
                if row.kind == "member" and row.payload.get("id") == erased.id
            ]
            assert queued and all(row.payload.get("personal") is None for row in queued)
            erasures = s.scalars(select(OutboxRow).where(OutboxRow.kind == "member_erasure")).all()
            assert [row.payload["member_no"] for row in erasures] == [erased_no]

            blocked = s.scalars(select(Member).where(Member.member_no == blocked_no)).one()
            assert blocked.status == "blocked"

            new = s.scalars(select(Member).where(Member.member_no == new_no)).one()
            consents = s.scalar(
                select(func.count())
                .select_from(MemberConsent)
                .where(MemberConsent.member_id == new.id)
            )
            assert consents == 2

            jobs = {
                sale.receipt_no: job.status
                for job, sale in s.execute(
                    select(PrintJob, Sale).join(Sale, Sale.id == PrintJob.sale_id)
                )
            }
            assert jobs == {first_receipt: "printed", second_receipt: "pending"}
        with pytest.raises(PermissionDenied), db.transaction() as session:
            auth.login(session, "2001", "2222", now=DEMO_NOW)  # deactivated after the backup
        with pytest.raises(PermissionDenied), db.transaction() as session:
            auth.login(session, "1001", "1111", now=DEMO_NOW)  # the PIN was reset
        with db.transaction() as session:
            assert auth.login(session, "1001", "4321", now=DEMO_NOW).username == "1001"
    finally:
        db.close()
    assert integrity_check(data.store_path) == []


def test_an_erasure_wins_even_when_its_change_time_is_older(
    demo_template: Path, tmp_path: Path, vault: MemberVault
) -> None:
    data, db, shop = _setup(demo_template, tmp_path)
    member_no = _register(db, vault, "13912345678", "王小明", now=datetime.now(UTC))
    snapshot = backup.copy_store(data.store_path, data.backups_dir / "snap.sqlite3")
    with db.transaction() as session:  # the till's clock was behind when it erased
        members.erase_member(
            session, vault, member_no, actor=shop.manager, reason="顾客申请", now=DEMO_NOW
        )
    db.close()
    backup.restore(data, snapshot, actor=ADMIN, carry_over=True)
    db = Database(data.store_path)
    try:
        with db.sessions() as s:
            member = s.scalars(select(Member).where(Member.member_no == member_no)).one()
            assert (member.status, member.name_enc, member.phone_last4_index) == (
                "erased",
                None,
                None,
            )
            with pytest.raises(NotFound):
                members.find_by_phone(s, vault, "13912345678")
    finally:
        db.close()


def _set_unchanged(session: Session, table: str) -> None:
    """Make every row look last changed before schema 0002 (as a store upgraded later would)."""
    session.execute(text(f"UPDATE \"{table}\" SET updated_at = '2000-01-01T00:00:00.000000Z'"))


def test_facts_that_only_move_forward_hold_without_change_times(
    demo_template: Path, tmp_path: Path
) -> None:
    data, db, shop = _setup(demo_template, tmp_path)
    receipt = _sell(shop)
    with db.transaction() as session:
        _set_unchanged(session, "sale")
        _set_unchanged(session, "shift")
        _set_unchanged(session, "outbox")
        _set_unchanged(session, "terminal")
    snapshot = backup.copy_store(data.store_path, data.backups_dir / "snap.sqlite3")
    process_return(db, shop.settings, shop.supervisor, receipt_no=receipt, reason="质量问题")
    with db.transaction() as session:
        shifts.close_shift(
            session,
            terminal_id=shop.settings.terminal_id,
            actor=shop.supervisor,
            counts={},
            now=datetime.now(UTC),
        )
        row = session.scalars(select(OutboxRow).where(OutboxRow.kind == "sale")).first()
        assert row is not None
        row.sent_at = datetime.now(UTC)
        for table in ("sale", "shift", "outbox", "terminal"):
            _set_unchanged(session, table)
    db.close()

    backup.restore(data, snapshot, actor=ADMIN, carry_over=True)
    db = Database(data.store_path)
    try:
        with db.sessions() as s:
            original = s.scalars(select(Sale).where(Sale.receipt_no == receipt)).one()
            assert original.status == "returned"
            assert (
                s.scalar(select(func.count()).select_from(Shift).where(Shift.status == "open")) == 0
            )
            assert s.scalars(select(OutboxRow).where(OutboxRow.kind == "sale")).first().sent_at
            terminal = s.scalars(select(Terminal)).one()
            top = s.scalar(select(func.max(Sale.seq)))
            assert terminal.next_receipt_seq == top + 1
    finally:
        db.close()


def test_a_basket_resumed_since_the_backup_does_not_come_back(
    demo_template: Path, tmp_path: Path
) -> None:
    data, db, shop = _setup(demo_template, tmp_path)
    co = shop.checkout()
    co.add("SKU000300")
    held = co.suspend("等一下")
    snapshot = backup.copy_store(data.store_path, data.backups_dir / "snap.sqlite3")
    co.resume(held)
    co.pay([Tender("cash", co.quote().payable)])
    db.close()
    backup.restore(data, snapshot, actor=ADMIN, carry_over=True)
    db = Database(data.store_path)
    try:
        assert db.scalar("SELECT count(*) FROM suspended_basket") == 0
        assert db.scalar("SELECT count(*) FROM sale") == 1
    finally:
        db.close()


# --- the rules cover the whole schema ------------------------------------------------------


def test_every_table_in_the_models_has_a_carry_rule() -> None:
    tables = set(Base.metadata.tables)
    missing = sorted(tables - set(RULES))
    assert not missing, (
        f"tables without a carry-over rule in terminal/store/carry.py: {missing}; "
        "add Carry(...) or NotCarried(reason)"
    )
    assert sorted(set(RULES) - tables) == []
    for name, rule in RULES.items():
        if isinstance(rule, NotCarried):
            assert rule.reason.strip(), name


def test_carry_rules_match_the_columns() -> None:
    for name, rule in RULES.items():
        if not isinstance(rule, Carry):
            continue
        table = Base.metadata.tables[name]
        key = table.columns[rule.key]
        assert key.primary_key or key.unique, f"{name}.{rule.key} does not identify a row"
        has_change_time = "updated_at" in table.columns
        # a table whose rows change must keep the newer row, and say when it changed
        assert rule.newer == has_change_time, name
        if has_change_time:
            assert table.columns["updated_at"].onupdate is not None, name
    assert isinstance(RULES["suspended_basket"], Carry) and RULES["suspended_basket"].mirror
    assert SuspendedBasket.__tablename__ in RULES and Shift.__tablename__ in RULES


def test_a_restore_after_the_feed_moved_makes_the_next_pull_sweep(
    demo_template: Path, tmp_path: Path
) -> None:
    """HQ's deletions since the backup (a barcode, a coupon: rows without an ``active``
    flag) are in the backup and nowhere else; the carried feed cursor is past them, so
    without a full pull they came back for good."""
    from sync import mirror, state

    data, db, _shop = _setup(demo_template, tmp_path)
    with db.transaction() as session:
        state.put(session, state.CURSOR, "10")
    snapshot = backup.copy_store(data.store_path, data.backups_dir / "snap.sqlite3")
    gone = db.scalar("SELECT barcode FROM product_barcode LIMIT 1")
    with db.transaction() as session:  # the feed deleted a barcode and moved on
        session.execute(text("DELETE FROM product_barcode WHERE barcode = :b"), {"b": gone})
        state.put(session, state.CURSOR, "25")
    db.close()
    backup.restore(data, snapshot, actor=ADMIN, carry_over=True)
    db = Database(data.store_path)
    try:
        with db.sessions() as session:
            assert state.cursor(session) == 25
            assert mirror.pending(session)  # the next pull starts from 0 and sweeps
        assert db.scalar("SELECT count(*) FROM product_barcode WHERE barcode = :b", b=gone) == 1
    finally:
        db.close()

    # a restore while the feed stood still pulls on from where it was
    db = Database(data.store_path)
    with db.transaction() as session:
        state.put(session, mirror.PENDING, "0")
    again = backup.copy_store(data.store_path, data.backups_dir / "again.sqlite3")
    db.close()
    backup.restore(data, again, actor=ADMIN, carry_over=True)
    db = Database(data.store_path)
    try:
        with db.sessions() as session:
            assert not mirror.pending(session)
    finally:
        db.close()
