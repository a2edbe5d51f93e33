"""Revision 0004 (member value) on a store holding sales: nothing lost, constraints as declared."""

from __future__ import annotations

import sqlite3

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from terminal.store.database import Database, alembic_config

ROWS = [
    "INSERT INTO store (id, code, name, address, timezone) VALUES ('s', 'S1', '店', '', 'UTC')",
    "INSERT INTO terminal (id, store_id, code, name, next_receipt_seq) "
    "VALUES ('t', 's', 'T1', '', 2)",
    "INSERT INTO user (id, username, display_name, role, pin_hash, failed_attempts, active) "
    "VALUES ('u', '1001', '收银员', 'cashier', 'x', 0, 1)",
    "INSERT INTO category (id, name) VALUES ('C01', '饮料')",
    "INSERT INTO product (id, sku, name, category_id, price, unit, discountable, earns_points, "
    "active) VALUES ('p', 'SKU000001', '水', 'C01', 200, '件', 1, 1, 1)",
    "INSERT INTO shift (id, terminal_id, status, opened_by, opened_at, opening_float) "
    "VALUES ('sh', 't', 'open', 'u', '2026-11-23T02:00:00.000000Z', 0)",
    "INSERT INTO sale (id, receipt_no, seq, kind, status, terminal_id, shift_id, cashier_id, "
    "subtotal, discount_total, points_redeemed, points_value, rounding, payable, points_earned, "
    "change_given, reason, created_at, tz, business_day, explanation) VALUES ('sa', 'R-1', 1, "
    "'sale', 'completed', 't', 'sh', 'u', 200, 0, 0, 0, 0, 200, 0, 0, '', "
    "'2026-11-23T02:00:00.000000Z', 'UTC', '2026-11-23', '[]')",
    "INSERT INTO sale_line (id, sale_id, line_no, product_id, sku, name, qty, unit_price, gross, "
    "discount, points_value, points_redeemed, net, paid, points_earned, is_gift, override_reason) "
    "VALUES ('l', 'sa', 1, 'p', 'SKU000001', '水', 1, 200, 200, 0, 0, 0, 200, 200, 0, 0, '')",
    "INSERT INTO payment (id, sale_id, method, amount, tendered, reference) "
    "VALUES ('pay', 'sa', 'cash', 200, 200, '')",
]


def test_upgrade_keeps_every_sale_and_declares_the_new_constraints(tmp_path):
    path = tmp_path / "store.sqlite3"
    db = Database(path, migrate=False)
    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        for row in ROWS:
            conn.execute(text(row))
    db.migrate()
    assert db.schema_revision() == Database.head_revision()
    with db.engine.begin() as conn:
        line = conn.execute(text("SELECT sold_by, vat, tax FROM sale_line")).one()
        assert tuple(line) == ("unit", "13", 0)
        assert conn.execute(text("SELECT reward_points, extras FROM sale")).one() == (0, "{}")
        assert conn.execute(text("SELECT sold_by, vat FROM product")).one() == ("unit", "13")
        conn.execute(text("UPDATE sale SET kind = 'topup' WHERE 0"))  # the statement compiles
    for bad in (
        "UPDATE sale SET kind = 'gift'",
        "UPDATE product SET vat = '7'",
        "UPDATE product SET sold_by = 'litre'",
        "UPDATE payment SET method = 'cheque'",
    ):
        with pytest.raises(IntegrityError), db.engine.begin() as conn:
            conn.execute(text(bad))
    with db.engine.begin() as conn:  # the widened constraints accept the new values
        conn.execute(text("UPDATE payment SET method = 'stored_value'"))
        conn.execute(text("UPDATE payment SET method = 'cash'"))
        conn.execute(text("UPDATE product SET plu = '00042', sold_by = 'weight', vat = 'exempt'"))
    db.close()
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        raw.close()


def test_downgrade_and_upgrade_again(tmp_path):
    db = Database(tmp_path / "store.sqlite3")
    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0003")
    assert db.schema_revision() == "0003"
    db.migrate()
    assert db.schema_revision() == Database.head_revision()
    db.close()


def test_upgrade_to_0005_gives_old_lines_their_sale_s_business_day(tmp_path):
    path = tmp_path / "store.sqlite3"
    db = Database(path, migrate=False)
    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        for row in ROWS:
            conn.execute(text(row))
        conn.execute(
            text(
                "INSERT INTO sale_adjustment (id, sale_id, rule_id, step, label, amount) "
                "VALUES ('a', 'sa', 'P1', 'item', '促销', 10)"
            )
        )
    db.migrate()
    with db.engine.begin() as conn:
        assert conn.execute(text("SELECT business_day FROM sale_line")).scalar() == "2026-11-23"
        assert conn.execute(text("SELECT business_day FROM sale_adjustment")).scalar() == (
            "2026-11-23"
        )
        assert conn.execute(text("SELECT count(*) FROM z_report")).scalar() == 0
    db.close()
