"""Z reports reach HQ: taken at a till, queued with it, listed by ``posterm-hq zreports``."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from sync.hq import imports
from sync.hq.cli import main
from sync.hq.db import HqDatabase
from terminal import shift_close
from terminal.reports.base import Scope
from terminal.reports.zreport import take_z
from terminal.store.models import OutboxRow
from terminal.tenders import Tender
from tests.conftest import DEMO_NOW, SHANGHAI
from tests.sync.hqkit import HqServer, enrolled_till
from tests.terminal.test_records import golden, shape
from tests.terminal.tillkit import ring

PRODUCTS = "sku,name,category,price\nSKU400001,面包,烘焙,8.50\nSKU400002,牛奶,乳制品,3.20\n"


def test_a_z_report_taken_at_a_till_is_listed_at_hq_with_the_tills_totals(
    pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = HqDatabase(pg_url)
    server = HqServer(db).start()
    try:
        source = tmp_path / "p.csv"
        source.write_text(PRODUCTS, encoding="utf-8")
        with db.transaction() as session:
            imports.import_file(session, "products", source)
        till = enrolled_till(db, server.url, tmp_path / "a.sqlite3", "S101", "T01")
        till.sync()
        shop = till.shop
        ring(shop, [("SKU400001", 2)], tenders=[Tender("cash", 2000)])  # 17.00
        ring(shop, [("SKU400002", 1)], tenders=[Tender("wechat", 320, "4200000001")])
        terminal_id = shop.settings.terminal_id
        summary = shift_close.close_shift(
            till.db,
            terminal_id=terminal_id,
            actor=shop.manager,
            counts={10000: 5, 100: 17},  # 500.00 float + 17.00 cash taken
            now=DEMO_NOW + timedelta(hours=9),
        )
        assert summary.expected_cash == 50_000 + 1_700
        with till.db.transaction() as session:
            z = take_z(
                session,
                terminal_id=terminal_id,
                actor=shop.manager,
                day=DEMO_NOW.date(),
                now=DEMO_NOW + timedelta(hours=15),
                scope=Scope(SHANGHAI),
            )
            figures = dict(z.figures)
        with till.db.sessions() as session:
            (queued,) = session.scalars(
                select(OutboxRow.payload).where(OutboxRow.kind == "z_report")
            ).all()
        assert shape(queued) == shape(golden("z_report"))
        pushed, _ = till.sync()
        assert (pushed.sent, pushed.parked) == (3, 0)  # the two sales and the Z

        assert main(["--db", pg_url, "zreports", "--store", "S101"]) == 0
        out = capsys.readouterr().out.splitlines()
        assert len(out) == 2  # the header and the one Z
        row = out[1].split()
        assert row[:6] == ["S101", "T01", "1", DEMO_NOW.date().isoformat(), "2", "0"]
        assert row[6:10] == ["20.20", "0.00", "20.20", "0.00"]
        assert figures["net"] == 2020 and figures["variance"] == 0
        assert "cash 17.00, wechat 3.20" in out[1]
        assert main(["--db", pg_url, "zreports", "--store", "S999"]) == 0
        assert len(capsys.readouterr().out.splitlines()) == 1  # another store: none
    finally:
        server.stop()
        db.close()
