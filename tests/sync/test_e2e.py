"""End to end: real tills, a real uvicorn HQ on loopback, the real PostgreSQL."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sync import engine, protocol
from sync.errors import SyncError
from sync.hq import admin
from sync.hq.db import HqDatabase
from sync.hq.models import HqPoints, HqRecord
from terminal import ledger
from terminal.store.database import Database
from terminal.store.models import Member, OutboxRow, Product
from tests.conftest import DEMO_NOW
from tests.sync.hqkit import HqServer, enrolled_till
from tests.terminal.tillkit import ring

TODAY = DEMO_NOW.date()


def _member(db: Database, nth: int = 3) -> tuple[str, str]:
    with db.sessions() as session:
        m = session.scalars(
            select(Member).where(Member.tier_code == "normal").order_by(Member.member_no)
        ).all()[nth]
        return m.id, m.member_no


def _points(db: Database, member_id: str) -> int:
    with db.sessions() as session:
        return ledger.balance(session, member_id, TODAY)


def _skus(db: Database, n: int) -> list[str]:
    with db.sessions() as session:
        return list(
            session.scalars(
                select(Product.sku)
                .where(Product.sold_by == "unit", Product.earns_points.is_(True))
                .order_by(Product.sku)
                .limit(n)
            )
        )


def _hq_points(hq_db: HqDatabase, member_id: str) -> int:
    with hq_db.transaction() as session:
        return admin.member_points(session, member_id)


def test_a_new_till_bootstraps_from_zero_and_sells(
    hq: HqServer, hq_db: HqDatabase, tmp_path: Path, demo_db: Database
) -> None:
    till = enrolled_till(hq_db, hq.url, tmp_path / "a.sqlite3", "S101", "T01")
    _, pulled = till.sync()
    with demo_db.sessions() as session:
        products = session.scalar(select(func.count()).select_from(Product))
    with till.db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Product)) == products
        assert session.scalar(select(func.count()).select_from(Member)) == 200
    assert pulled.changes > products
    sale = ring(till.shop, [(_skus(till.db, 1)[0], 2)])
    pushed, again = till.sync()
    assert (pushed.sent, pushed.duplicates) == (1, 0)
    assert again.changes == 0  # nothing new at HQ for this till (a cash sale, no member)
    with hq_db.transaction() as session:
        record = session.get(HqRecord, sale.sale_id)
        assert record is not None and record.payload["payable"] == sale.payable


def test_points_earned_offline_in_store_a_are_redeemed_in_store_b(
    hq: HqServer, hq_db: HqDatabase, tmp_path: Path
) -> None:
    a = enrolled_till(hq_db, hq.url, tmp_path / "a.sqlite3", "S101", "T01")
    b = enrolled_till(hq_db, hq.url, tmp_path / "b.sqlite3", "S102", "T01")
    a.sync()
    b.sync()
    member_id, member_no = _member(a.db)
    start = _points(a.db, member_id)
    assert _hq_points(hq_db, member_id) == start == _points(b.db, member_id)

    hq.stop()  # store A loses HQ and sells on
    sku = _skus(a.db, 1)[0]
    earned = sum(ring(a.shop, [(sku, 20)], member=member_no).points_earned for _ in range(3))
    assert earned > 0
    with pytest.raises(SyncError) as offline:
        a.sync()
    assert offline.value.code == "hq_unreachable" and offline.value.transient
    hq.start()

    pushed, _ = a.sync()
    assert pushed.sent == 3
    assert _hq_points(hq_db, member_id) == start + earned
    b.sync()
    assert _points(b.db, member_id) == start + earned

    # more than the member had before A's sales: only possible with A's points
    spend = (start + earned // 2) // 100 * 100 + 100
    skus = _skus(b.db, 40)
    sale = ring(b.shop, [(s, 3) for s in skus], member=member_no, points=spend)
    redeemed = sale.priced.points_redeemed
    assert redeemed > start
    b.sync()
    a.sync()
    expected = start + earned - redeemed + sale.points_earned
    assert _hq_points(hq_db, member_id) == expected
    assert _points(a.db, member_id) == expected == _points(b.db, member_id)


def _pushed(hq_db: HqDatabase) -> int:
    with hq_db.transaction() as session:
        return session.scalar(select(func.count()).select_from(HqRecord)) or 0


def test_the_same_record_pushed_twice_counts_once(
    hq: HqServer, hq_db: HqDatabase, tmp_path: Path
) -> None:
    a = enrolled_till(hq_db, hq.url, tmp_path / "a.sqlite3", "S101", "T01")
    a.sync()
    _, member_no = _member(a.db)
    ring(a.shop, [(_skus(a.db, 1)[0], 10)], member=member_no)
    with a.db.sessions() as session:
        rows = list(session.scalars(select(OutboxRow)))
    batch = protocol.PushBatch(records=[engine._wire(r, a.vault) for r in rows])
    client = a.client()
    first = client.push(batch)
    second = client.push(batch)
    assert [r.outcome for r in first.results] == ["accepted"]
    assert [r.outcome for r in second.results] == ["duplicate"]
    pushed, _ = a.sync()  # the till's own push of it: HQ has it already
    assert (pushed.sent, pushed.duplicates) == (1, 1)
    assert _pushed(hq_db) == 1
    with hq_db.transaction() as session:
        entries = session.scalar(
            select(func.count()).select_from(HqPoints).where(HqPoints.record_id.is_not(None))
        )
    assert entries == 1


def test_concurrent_duplicate_pushes_have_one_effect(
    hq: HqServer, hq_db: HqDatabase, tmp_path: Path
) -> None:
    a = enrolled_till(hq_db, hq.url, tmp_path / "a.sqlite3", "S101", "T01")
    a.sync()
    member_id, member_no = _member(a.db)
    start = _hq_points(hq_db, member_id)
    sku = _skus(a.db, 1)[0]
    earned = sum(ring(a.shop, [(sku, 5)], member=member_no).points_earned for _ in range(40))
    with a.db.sessions() as session:
        rows = list(session.scalars(select(OutboxRow).order_by(OutboxRow.id)))
    batch = protocol.PushBatch(records=[engine._wire(r, a.vault) for r in rows])
    outcomes: list[list[str]] = []
    gate = threading.Barrier(2)

    def pusher() -> None:
        client = a.client()
        gate.wait()
        outcomes.append([r.outcome for r in client.push(batch).results])

    threads = [threading.Thread(target=pusher) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(outcomes) == 2
    firsts = [x for pair in zip(*outcomes, strict=True) for x in pair]
    # every record: accepted by exactly one of the two requests, a duplicate for the other
    assert sorted(firsts) == ["accepted"] * 40 + ["duplicate"] * 40
    for one, other in zip(*outcomes, strict=True):
        assert {one, other} == {"accepted", "duplicate"}
    assert _pushed(hq_db) == 40
    assert _hq_points(hq_db, member_id) == start + earned


def test_hq_restarted_mid_batch_changes_nothing(
    hq: HqServer, hq_db: HqDatabase, tmp_path: Path
) -> None:
    a = enrolled_till(hq_db, hq.url, tmp_path / "a.sqlite3", "S101", "T01")
    a.sync()
    member_id, member_no = _member(a.db)
    start = _hq_points(hq_db, member_id)
    sku = _skus(a.db, 1)[0]
    earned = sum(ring(a.shop, [(sku, 3)], member=member_no).points_earned for _ in range(30))
    client = a.client()
    # the first 10 reach HQ; then HQ restarts before the till hears back (answer lost)
    with a.db.sessions() as session:
        rows = list(session.scalars(select(OutboxRow).order_by(OutboxRow.id).limit(10)))
    client.push(protocol.PushBatch(records=[engine._wire(r, a.vault) for r in rows]))
    hq.stop()
    hq.start()
    pushed, _ = a.sync()
    assert (pushed.sent, pushed.duplicates) == (30, 10)
    assert _pushed(hq_db) == 30
    assert _hq_points(hq_db, member_id) == start + earned


def test_the_same_coupon_redeemed_offline_in_two_stores_is_flagged_and_both_sales_kept(
    hq: HqServer, hq_db: HqDatabase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = enrolled_till(hq_db, hq.url, tmp_path / "a.sqlite3", "S101", "T01")
    b = enrolled_till(hq_db, hq.url, tmp_path / "b.sqlite3", "S102", "T01")
    a.sync()
    b.sync()
    basket = [(sku, 3) for sku in _skus(a.db, 10)]
    in_a = ring(a.shop, basket, coupon="CP100001")
    in_b = ring(b.shop, basket, coupon="CP100001")
    assert in_a.priced.coupons and in_b.priced.coupons
    pushed_a, _ = a.sync()
    pushed_b, _ = b.sync()
    assert (pushed_a.sent, pushed_a.conflicts) == (1, 0)
    assert (pushed_b.sent, pushed_b.conflicts) == (1, 1)  # kept, and flagged
    with hq_db.transaction() as session:
        assert session.get(HqRecord, in_a.sale_id) and session.get(HqRecord, in_b.sale_id)
        (conflict,) = admin.conflicts(session)
        assert (conflict.kind, conflict.subject) == ("coupon_reused", "CP100001")
        assert (conflict.record_id, conflict.other_record_id) == (in_b.sale_id, in_a.sale_id)
    from sync.hq.cli import main as hq_main

    assert hq_main(["--db", hq_db.url, "conflicts"]) == 0
    listed = capsys.readouterr().out
    assert "CP100001" in listed and in_a.sale_id in listed and in_b.sale_id in listed


def test_points_spent_twice_offline_in_two_stores_are_flagged_and_both_sales_kept(
    hq: HqServer, hq_db: HqDatabase, tmp_path: Path
) -> None:
    a = enrolled_till(hq_db, hq.url, tmp_path / "a.sqlite3", "S101", "T01")
    b = enrolled_till(hq_db, hq.url, tmp_path / "b.sqlite3", "S102", "T01")
    a.sync()
    b.sync()
    member_id, member_no = _member(a.db, nth=5)
    balance = _points(a.db, member_id)
    spend = balance // 100 * 100
    assert spend > 0
    basket = [(sku, 3) for sku in _skus(a.db, 40)]
    in_a = ring(a.shop, basket, member=member_no, points=spend)
    in_b = ring(b.shop, basket, member=member_no, points=spend)
    assert in_a.priced.points_redeemed == in_b.priced.points_redeemed == spend
    pushed_a, _ = a.sync()
    pushed_b, _ = b.sync()
    assert (pushed_a.sent, pushed_a.conflicts) == (1, 0)
    assert (pushed_b.sent, pushed_b.conflicts) == (1, 1)
    with hq_db.transaction() as session:
        (conflict,) = admin.conflicts(session)
        assert (conflict.kind, conflict.subject) == ("points_overdrawn", member_id)
        assert (conflict.record_id, conflict.other_record_id) == (in_b.sale_id, in_a.sale_id)
        assert session.get(HqRecord, in_a.sale_id) and session.get(HqRecord, in_b.sale_id)
        earned = in_a.points_earned + in_b.points_earned
        assert admin.member_points(session, member_id) == balance - 2 * spend + earned
