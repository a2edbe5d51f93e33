"""Revision 0007 on a store holding sales: old payments and adjustments are filled in."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from terminal.store.database import Database, alembic_config
from tests.terminal.test_migration_value import ROWS

ADJUSTMENTS = [
    "INSERT INTO sale_adjustment (id, sale_id, rule_id, step, label, amount, line_no) "
    f"VALUES ('{id_}', 'sa', '{rule}', 'item', '促销', {amount}, 1)"
    for id_, rule, amount in (("a1", "P1", 10), ("a2", "P1", 5), ("a3", "P2", 7))
]


def test_upgrade_fills_day_and_kind_on_payments_and_first_use_on_adjustments(tmp_path):
    path = tmp_path / "store.sqlite3"
    db = Database(path, migrate=False)
    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0005")
        for row in [*ROWS, *ADJUSTMENTS]:
            conn.execute(text(row))
    db.migrate()
    with db.engine.begin() as conn:
        payment = conn.execute(text("SELECT business_day, sale_kind FROM payment")).one()
        assert tuple(payment) == ("2026-11-23", "sale")
        adjustments = conn.execute(
            text("SELECT id, rule_first, sale_payable FROM sale_adjustment ORDER BY id")
        ).all()
        # P1 took money off twice on the sale: the sale counts once for it
        assert [tuple(a) for a in adjustments] == [("a1", 1, 200), ("a2", 0, 200), ("a3", 1, 200)]
    db.close()
