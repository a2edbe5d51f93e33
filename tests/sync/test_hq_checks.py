"""HQ adds a sale's rows up again instead of trusting the till's totals (sync/hq/checks.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from sync.hq import admin, checks
from sync.hq.cli import main as hq_main
from sync.hq.db import HqDatabase
from sync.hq.models import HqRecord
from terminal.records import SaleRecord
from terminal.store.models import OutboxRow, Product
from tests.sync.hqkit import HqServer, enrolled_till
from tests.terminal.tillkit import ring

GOLDEN = Path(__file__).parents[1] / "terminal" / "golden" / "records"


@pytest.mark.parametrize("name", ["sale", "sale_return", "sale_value", "sale_value_return"])
def test_the_tills_own_records_add_up(name: str) -> None:
    # sales and returns with tier, coupon, reward, points and stored value
    record = SaleRecord.model_validate(json.loads((GOLDEN / f"{name}.json").read_text()))
    assert checks.problems(record) == []


def test_a_record_whose_totals_and_rows_disagree_is_named() -> None:
    data = json.loads((GOLDEN / "sale_value.json").read_text())
    data["payable"] -= 100  # the total the till says it took, less than its rows
    data["lines"][0]["points_earned"] += 5
    data["stored_value"][0]["amount"] -= 1
    found = checks.problems(SaleRecord.model_validate(data))
    names = {p.split(":")[0] for p in found}
    assert names == {"payable", "payments", "points_earned", "stored_value_rows"}
    assert "payments: 18050 != 18150" in found


def test_hq_keeps_a_sale_that_does_not_add_up_and_lists_it(
    hq: HqServer, hq_db: HqDatabase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    till = enrolled_till(hq_db, hq.url, tmp_path / "a.sqlite3", "S101", "T01")
    till.sync()
    with till.db.sessions() as s:
        skus = list(s.scalars(select(Product.sku).where(Product.sold_by == "unit").limit(3)))
    honest = ring(till.shop, [(sku, 2) for sku in skus])
    edited = ring(till.shop, [(sku, 1) for sku in skus])
    # the store file edited after the sale: the record claims more was paid than its lines
    with till.db.transaction() as s:
        row = s.scalars(select(OutboxRow).where(OutboxRow.record_id == edited.sale_id)).one()
        payload = dict(row.payload)
        payload["lines"] = [dict(line, gross=line["gross"] + 1000) for line in payload["lines"]]
        row.payload = payload
    pushed, _ = till.sync()
    assert (pushed.sent, pushed.conflicts, pushed.parked) == (2, 1, 0)  # both kept
    with hq_db.transaction() as session:
        assert session.get(HqRecord, honest.sale_id) and session.get(HqRecord, edited.sale_id)
        (conflict,) = admin.conflicts(session)
        assert (conflict.kind, conflict.record_id) == ("sale_inconsistent", edited.sale_id)
        assert conflict.subject.startswith("subtotal")
    assert hq_main(["--db", hq_db.url, "conflicts"]) == 0
    listed = capsys.readouterr().out
    assert "sale_inconsistent" in listed and edited.receipt_no in listed
