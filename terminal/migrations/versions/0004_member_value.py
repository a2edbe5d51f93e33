"""member value: rewards, stored value, weighed goods, limits, issued coupons, VAT

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 05:11:50

* ``reward``: the rewards catalogue (积分兑换), JSON bodies like promotions.
* ``stored_value_entry`` and ``member_pay_pin``: the stored-value (储值) ledger
  and members' own payment PINs.
* ``promotion_use``: uses of promotions with limits, counted at this till.
* ``product.sold_by`` / ``plu`` / ``vat``; ``sale_line.sold_by`` / ``vat`` /
  ``tax`` / ``reward_id``: goods sold by weight, scale PLUs, VAT per line.
* ``sale.kind`` may be ``topup`` / ``topup_refund``; ``sale.reward_points``,
  ``sale.extras``; ``payment.method`` may be ``stored_value``.
* ``coupon.valid_from`` / ``valid_to`` / ``issued_sale_id`` / ``issued_by``:
  coupons this till issues (满额返券, coupon rewards).

Other tables point at ``sale``, ``product`` and ``coupon``, and the store
migrates inside one transaction with foreign keys on, so those three are never
rebuilt: their new columns are plain ``ADD COLUMN`` (constraints inline), and
``sale.kind``'s CHECK is widened in place, the way SQLite documents for a
constraint change that no stored row can violate (``writable_schema``, then a
``schema_version`` bump and a check that the table still reads). ``payment``
(nothing points at it) is rebuilt by Alembic's batch mode.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import terminal.store.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_KINDS_OLD = "kind IN ('sale','return')"
_KINDS_NEW = "kind IN ('sale','return','topup','topup_refund')"
_METHODS_OLD = "method IN ('cash','card','wechat','alipay')"
_METHODS_NEW = "method IN ('cash','card','wechat','alipay','stored_value')"


def upgrade() -> None:
    op.create_table(
        "reward",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("body", terminal.store.types.JSONText(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", terminal.store.types.UTCDateTime(length=27), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reward")),
    )
    op.create_table(
        "member_pay_pin",
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("pin_hash", sa.String(length=200), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", terminal.store.types.UTCDateTime(length=27), nullable=True),
        sa.Column("updated_at", terminal.store.types.UTCDateTime(length=27), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_member_pay_pin_member_id_member")
        ),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_member_pay_pin")),
    )
    op.create_table(
        "stored_value_entry",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("bucket", sa.String(length=10), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("sale_id", sa.String(length=36), nullable=True),
        sa.Column("record_id", sa.String(length=36), nullable=True),
        sa.Column("origin", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("created_at", terminal.store.types.UTCDateTime(length=27), nullable=False),
        sa.CheckConstraint(
            "bucket IN ('principal','bonus')", name=op.f("ck_stored_value_entry_bucket")
        ),
        sa.CheckConstraint(
            "kind IN ('opening','topup','bonus','spend','refund','topup_refund','bonus_void',"
            "'adjust')",
            name=op.f("ck_stored_value_entry_kind"),
        ),
        sa.CheckConstraint("origin IN ('till','hq')", name=op.f("ck_stored_value_entry_origin")),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_stored_value_entry_member_id_member")
        ),
        sa.ForeignKeyConstraint(
            ["sale_id"], ["sale.id"], name=op.f("fk_stored_value_entry_sale_id_sale")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stored_value_entry")),
    )
    with op.batch_alter_table("stored_value_entry", schema=None) as batch_op:
        batch_op.create_index(
            "ix_stored_value_entry_member", ["member_id", "created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_stored_value_entry_record_id"), ["record_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_stored_value_entry_sale_id"), ["sale_id"], unique=False
        )
    op.create_table(
        "promotion_use",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("rule_id", sa.String(length=64), nullable=False),
        sa.Column("member_id", sa.String(length=36), nullable=True),
        sa.Column("sale_id", sa.String(length=36), nullable=False),
        sa.Column("sale_line_id", sa.String(length=36), nullable=True),
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("times", sa.Integer(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_promotion_use_member_id_member")
        ),
        sa.ForeignKeyConstraint(
            ["sale_id"], ["sale.id"], name=op.f("fk_promotion_use_sale_id_sale")
        ),
        sa.ForeignKeyConstraint(
            ["sale_line_id"], ["sale_line.id"], name=op.f("fk_promotion_use_sale_line_id_sale_line")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_promotion_use")),
    )
    with op.batch_alter_table("promotion_use", schema=None) as batch_op:
        batch_op.create_index("ix_promotion_use_member", ["member_id", "rule_id"], unique=False)
        batch_op.create_index("ix_promotion_use_rule", ["rule_id", "business_day"], unique=False)
        batch_op.create_index(batch_op.f("ix_promotion_use_sale_id"), ["sale_id"], unique=False)

    op.add_column(
        "coupon",
        sa.Column("valid_from", terminal.store.types.UTCDateTime(length=27), nullable=True),
    )
    op.add_column(
        "coupon",
        sa.Column("valid_to", terminal.store.types.UTCDateTime(length=27), nullable=True),
    )
    op.add_column("coupon", sa.Column("issued_sale_id", sa.String(length=36), nullable=True))
    op.add_column("coupon", sa.Column("issued_by", sa.String(length=64), nullable=True))
    op.create_index("ix_coupon_issued_sale_id", "coupon", ["issued_sale_id"], unique=False)
    op.execute(
        "ALTER TABLE product ADD COLUMN sold_by VARCHAR(8) DEFAULT 'unit' NOT NULL "
        "CONSTRAINT ck_product_sold_by CHECK (sold_by IN ('unit','weight'))"
    )
    op.add_column("product", sa.Column("plu", sa.String(length=8), nullable=True))
    op.execute(
        "ALTER TABLE product ADD COLUMN vat VARCHAR(8) DEFAULT '13' NOT NULL "
        "CONSTRAINT ck_product_vat CHECK (vat IN ('13','9','6','0','exempt'))"
    )
    op.create_index("uq_product_plu", "product", ["plu"], unique=True)
    op.add_column(
        "sale", sa.Column("reward_points", sa.Integer(), server_default="0", nullable=False)
    )
    op.add_column(
        "sale",
        sa.Column("extras", terminal.store.types.JSONText(), server_default="{}", nullable=False),
    )
    _replace_check("sale", _KINDS_OLD, _KINDS_NEW)
    with op.batch_alter_table("sale_line", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sold_by", sa.String(length=8), server_default="unit", nullable=False)
        )
        batch_op.add_column(
            sa.Column("vat", sa.String(length=8), server_default="13", nullable=False)
        )
        batch_op.add_column(sa.Column("tax", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("reward_id", sa.String(length=64), nullable=True))
    with op.batch_alter_table("payment", schema=None, recreate="always") as batch_op:
        batch_op.drop_constraint(op.f("ck_payment_method"), type_="check")
        batch_op.create_check_constraint("method", _METHODS_NEW)


def _replace_check(table: str, old: str, new: str) -> None:
    """Swap one CHECK expression of ``table`` in place (no stored row can violate ``new``)."""
    conn = op.get_bind()
    sql = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).scalar_one()
    if sql.count(old) != 1:
        raise RuntimeError(f"{table}: expected one CHECK ({old}) in {sql!r}")
    version = conn.exec_driver_sql("PRAGMA schema_version").scalar_one()
    conn.exec_driver_sql("PRAGMA writable_schema = ON")
    conn.exec_driver_sql(
        "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
        (sql.replace(old, new), table),
    )
    conn.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    conn.exec_driver_sql("PRAGMA writable_schema = OFF")
    problems = conn.exec_driver_sql(f"PRAGMA quick_check({table})").scalars().all()
    if problems != ["ok"]:
        raise RuntimeError(f"{table}: {problems[0]}")


def downgrade() -> None:
    op.execute("DELETE FROM payment WHERE method = 'stored_value'")
    with op.batch_alter_table("payment", schema=None, recreate="always") as batch_op:
        batch_op.drop_constraint(op.f("ck_payment_method"), type_="check")
        batch_op.create_check_constraint("method", _METHODS_OLD)
    op.drop_table("promotion_use")
    op.drop_table("stored_value_entry")
    op.drop_table("member_pay_pin")
    op.drop_table("reward")
    for child in ("print_job", "payment", "coupon_redemption", "points_entry"):
        op.execute(
            f"DELETE FROM {child} WHERE sale_id IN (SELECT id FROM sale WHERE kind IN "
            "('topup','topup_refund'))"
        )
    op.execute("DELETE FROM sale WHERE kind IN ('topup','topup_refund')")
    _replace_check("sale", _KINDS_NEW, _KINDS_OLD)
    op.drop_index("ix_coupon_issued_sale_id", "coupon")
    op.drop_index("uq_product_plu", "product")
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35+): no rebuild of tables others point at
    for table, column in (
        ("sale_line", "reward_id"),
        ("sale_line", "tax"),
        ("sale_line", "vat"),
        ("sale_line", "sold_by"),
        ("sale", "extras"),
        ("sale", "reward_points"),
        ("product", "vat"),
        ("product", "plu"),
        ("product", "sold_by"),
        ("coupon", "issued_by"),
        ("coupon", "issued_sale_id"),
        ("coupon", "valid_to"),
        ("coupon", "valid_from"),
    ):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
