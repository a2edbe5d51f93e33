"""Kill -9 a till in the middle of selling, many times: no sale is ever half-written.

After every run the store passes ``quick_check``; every sale is whole (its
lines, payments, points rows, audit event and outbox row all there and adding
up) or absent; receipt numbers have no gaps; the outbox holds exactly the sales.
The default run kills the child 25 times; ``-m soak`` runs the 200-kill variant.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from terminal.store.database import Database, quick_check
from terminal.store.models import (
    AuditEvent,
    OutboxRow,
    Payment,
    PointsEntry,
    PrintJob,
    Sale,
    SaleLine,
)
from tests.terminal.tillkit import make_till

ROOT = Path(__file__).resolve().parents[2]


def _kill_runs(store: Path, kills: int, seed: int) -> int:
    rng = random.Random(seed)
    printed = 0
    for k in range(kills):
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.terminal.crash_child", str(store), str(seed + k)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        line = child.stdout.readline()
        if line.strip() != "ready":
            child.kill()
            raise AssertionError(f"child did not start: {line!r} {child.stderr.read()}")
        time.sleep(rng.uniform(0.0, 0.25))
        os.kill(child.pid, signal.SIGKILL)
        out, _ = child.communicate()
        printed += len(out.split())
    return printed


def _check_store(path: Path, confirmed_at_least: int) -> int:
    assert quick_check(path) == []
    db = Database(path)
    try:
        with db.sessions() as s:
            sales = s.scalars(select(Sale).order_by(Sale.seq)).all()
            assert len(sales) >= confirmed_at_least
            assert [sale.seq for sale in sales] == list(range(1, len(sales) + 1))
            outbox_ids = set(s.scalars(select(OutboxRow.record_id)).all())
            assert outbox_ids == {sale.id for sale in sales}
            receipts = s.scalars(select(PrintJob.sale_id)).all()  # one receipt per sale, no orphan
            assert sorted(receipts) == sorted(sale.id for sale in sales)
            audited = set(s.scalars(select(AuditEvent.target).where(AuditEvent.action == "sale")))
            for sale in sales:
                lines = s.scalars(select(SaleLine).where(SaleLine.sale_id == sale.id)).all()
                assert lines, sale.receipt_no
                assert sum(line.paid for line in lines) == sale.payable
                paid = s.scalar(select(func.sum(Payment.amount)).where(Payment.sale_id == sale.id))
                assert paid == sale.payable
                earned = s.scalar(
                    select(func.coalesce(func.sum(PointsEntry.points), 0)).where(
                        PointsEntry.sale_id == sale.id, PointsEntry.kind == "earn"
                    )
                )
                redeemed = s.scalar(
                    select(func.coalesce(func.sum(PointsEntry.points), 0)).where(
                        PointsEntry.sale_id == sale.id, PointsEntry.kind == "redeem"
                    )
                )
                assert earned == sale.points_earned and -redeemed == sale.points_redeemed
                assert sale.receipt_no in audited
            return len(sales)
    finally:
        db.close()


def _prepare(demo_template: Path, tmp_path: Path) -> Path:
    store = tmp_path / "store.sqlite3"
    shutil.copyfile(demo_template, store)
    db = Database(store)
    make_till(db)  # logs in and opens the shift the child sells in
    db.close()
    return store


def test_sigkill_during_sales_never_leaves_half_a_sale(demo_template, tmp_path):
    store = _prepare(demo_template, tmp_path)
    printed = _kill_runs(store, kills=25, seed=7)
    assert _check_store(store, printed) > 0


@pytest.mark.soak
@pytest.mark.timeout(3600)
def test_sigkill_soak_200_kills(demo_template, tmp_path):
    store = _prepare(demo_template, tmp_path)
    printed = _kill_runs(store, kills=200, seed=11)
    assert _check_store(store, printed) > 0
