"""reports: numbered, immutable Z reports; what the reports read fast

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 10:00:00

* ``z_report``: one end-of-day Z report per terminal and business day,
  numbered without gaps; triggers refuse UPDATE and DELETE, so a Z report
  taken is never changed.
* ``sale_line.business_day`` and ``sale_adjustment.business_day``: the sale's
  business day, filled in from ``sale`` here and written with every new row,
  so a year of lines is summed without joining 300,000 sales.
* covering indexes for the reports (``ix_*_report``) on sale, sale_line,
  sale_adjustment, points_entry and member, and a partial index of the lines
  bought with points (rewards). ``bench/bench_reports.py`` measures them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import terminal.store.types

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "z_report",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("terminal_id", sa.String(length=36), nullable=False),
        sa.Column("z_no", sa.Integer(), nullable=False),
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("taken_at", terminal.store.types.UTCDateTime(length=27), nullable=False),
        sa.Column("taken_by", sa.String(length=36), nullable=False),
        sa.Column("figures", terminal.store.types.JSONText(), nullable=False),
        sa.ForeignKeyConstraint(["taken_by"], ["user.id"], name=op.f("fk_z_report_taken_by_user")),
        sa.ForeignKeyConstraint(
            ["terminal_id"], ["terminal.id"], name=op.f("fk_z_report_terminal_id_terminal")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_z_report")),
    )
    op.create_index("uq_z_report_day", "z_report", ["terminal_id", "business_day"], unique=True)
    op.create_index("uq_z_report_no", "z_report", ["terminal_id", "z_no"], unique=True)
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER z_report_no_{action.lower()} BEFORE {action} ON z_report "
            "BEGIN SELECT RAISE(ABORT, 'z_report is immutable'); END"
        )

    for table in ("sale_line", "sale_adjustment"):
        op.add_column(table, sa.Column("business_day", sa.Date(), nullable=True))
        op.execute(
            f"UPDATE {table} SET business_day = "
            f"(SELECT business_day FROM sale WHERE sale.id = {table}.sale_id)"
        )
    op.create_index(
        "ix_sale_report",
        "sale",
        ["business_day", "kind", "member_id", "payable", "subtotal", "discount_total",
         "cashier_id", "tier_code", "created_at", "reward_points", "id"],
    )  # fmt: skip
    op.create_index("ix_sale_id_payable", "sale", ["id", "payable"])
    op.create_index(
        "ix_sale_line_report",
        "sale_line",
        ["business_day", "product_id", "sold_by", "qty", "gross", "paid", "tax", "vat"],
    )
    op.create_index(
        "ix_sale_line_product_report",
        "sale_line",
        ["product_id", "vat", "business_day", "sold_by", "qty", "gross", "paid", "tax"],
    )
    op.create_index(
        "ix_sale_line_reward",
        "sale_line",
        ["business_day"],
        sqlite_where=sa.text("reward_id IS NOT NULL"),
        postgresql_where=sa.text("reward_id IS NOT NULL"),
    )
    op.create_index(
        "ix_sale_adjustment_report",
        "sale_adjustment",
        ["business_day", "step", "rule_id", "sale_id", "amount"],
    )
    op.create_index("ix_member_report", "member", ["created_at", "status"])
    op.create_index("ix_points_entry_report", "points_entry", ["created_at", "kind", "points"])


def downgrade() -> None:
    for name, table in (
        ("ix_points_entry_report", "points_entry"),
        ("ix_member_report", "member"),
        ("ix_sale_adjustment_report", "sale_adjustment"),
        ("ix_sale_line_reward", "sale_line"),
        ("ix_sale_line_product_report", "sale_line"),
        ("ix_sale_id_payable", "sale"),
        ("ix_sale_line_report", "sale_line"),
        ("ix_sale_report", "sale"),
    ):
        op.drop_index(name, table_name=table)
    for table in ("sale_line", "sale_adjustment"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("business_day")
    op.execute("DROP TRIGGER IF EXISTS z_report_no_update")
    op.execute("DROP TRIGGER IF EXISTS z_report_no_delete")
    op.drop_index("uq_z_report_no", table_name="z_report")
    op.drop_index("uq_z_report_day", table_name="z_report")
    op.drop_table("z_report")
