"""Sync through a faulty network: HQ's totals equal the tills' exactly, whatever was lost."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sync import engine
from sync.client import HqClient
from sync.errors import SyncError
from sync.hq.db import HqDatabase
from sync.hq.models import HqPoints, HqRecord
from terminal.store.models import Member, OutboxRow, PointsEntry, Product, Sale
from tests.sync.faultproxy import FaultProxy
from tests.sync.hqkit import HqServer, Till, enrolled_till
from tests.terminal.tillkit import ring


def _sync_through(till: Till, proxy: FaultProxy, rounds: int = 400) -> int:
    """Sync until the outbox is empty and a pull succeeded; returns the failed rounds."""
    from sync import state

    with till.db.sessions() as session:
        link = state.load_link(session, till.vault)
    assert link is not None
    failures = 0
    for _ in range(rounds):
        client = HqClient(proxy.url, link.credential)
        client.session.headers["Connection"] = "close"
        try:
            pushed = engine.push(till.db, client, till.vault, batch=4)
            engine.pull(till.db, client)
        except SyncError as exc:
            assert exc.transient, exc
            failures += 1
            continue
        finally:
            client.close()
        with till.db.sessions() as session:
            if engine.waiting(session) == 0:
                assert pushed.parked == 0
                return failures
    raise AssertionError(f"still not in sync after {rounds} rounds")


def _sell(till: Till, sales: int, seed: int) -> None:
    rng = random.Random(seed)
    with till.db.sessions() as session:
        skus = list(session.scalars(select(Product.sku).where(Product.sold_by == "unit").limit(60)))
        members = list(session.scalars(select(Member.member_no).limit(20)))
    for n in range(sales):
        items = [(rng.choice(skus), rng.randint(1, 3)) for _ in range(rng.randint(1, 4))]
        member = rng.choice(members) if n % 3 else None
        ring(till.shop, items, member=member)


def _till_totals(till: Till) -> tuple[int, int, int]:
    with till.db.sessions() as session:
        count = session.scalar(select(func.count()).select_from(Sale)) or 0
        paid = session.scalar(select(func.coalesce(func.sum(Sale.payable), 0))) or 0
        points = session.scalar(
            select(func.coalesce(func.sum(PointsEntry.points), 0)).where(
                PointsEntry.sale_id.is_not(None)
            )
        )
        return count, paid, int(points or 0)


def _hq_totals(hq_db: HqDatabase) -> tuple[int, int, int]:
    with hq_db.transaction() as session:
        records = list(session.scalars(select(HqRecord).where(HqRecord.kind == "sale")))
        points = session.scalar(
            select(func.coalesce(func.sum(HqPoints.points), 0)).where(
                HqPoints.record_id.is_not(None)
            )
        )
        return len(records), sum(r.payload["payable"] for r in records), int(points or 0)


def _run(hq: HqServer, hq_db: HqDatabase, tmp_path: Path, sales: int, seed: int) -> None:
    a = enrolled_till(hq_db, hq.url, tmp_path / "a.sqlite3", "S101", "T01")
    b = enrolled_till(hq_db, hq.url, tmp_path / "b.sqlite3", "S102", "T01")
    a.sync()
    b.sync()
    proxy = FaultProxy(hq.port, seed=seed).start()
    try:
        for part in range(4):  # sell, sync, sell...: both tills, a quarter each time
            _sell(a, sales // 4, seed + part)
            _sell(b, sales // 4, seed + 100 + part)
            _sync_through(a, proxy)
            _sync_through(b, proxy)
    finally:
        proxy.stop()
    ta, tb = _till_totals(a), _till_totals(b)
    assert _hq_totals(hq_db) == (ta[0] + tb[0], ta[1] + tb[1], ta[2] + tb[2])
    for till in (a, b):
        with till.db.sessions() as session:
            assert (
                session.scalar(
                    select(func.count()).select_from(OutboxRow).where(OutboxRow.sent_at.is_(None))
                )
                == 0
            )
    # every kind of fault happened
    assert all(proxy.seen[f] >= 1 for f in ("drop", "cut", "dup", "e500", "e503")), proxy.seen


def test_two_tills_through_a_faulty_network_add_up_exactly(
    hq: HqServer, hq_db: HqDatabase, tmp_path: Path
) -> None:
    _run(hq, hq_db, tmp_path, sales=120, seed=7)


@pytest.mark.soak
@pytest.mark.timeout(3600)
def test_soak_thousands_of_sales_through_a_faulty_network(
    hq: HqServer, hq_db: HqDatabase, tmp_path: Path
) -> None:
    _run(hq, hq_db, tmp_path, sales=1600, seed=11)
