"""report speed: payments and adjustments carry what the year's reports need

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 11:00:00

* ``payment.business_day`` and ``payment.sale_kind``: the sale's business day
  and kind, so the tender report sums a year of payments from one index
  (``ix_payment_report``) without finding 300,000 sales. The index leads with
  the day, so a sale's payments are still found by ``ix_payment_sale_id`` and
  documents read them ordered explicitly (``Sale.payments``).
* ``sale_adjustment.sale_payable`` and ``sale_adjustment.rule_first``: the
  sale's amount, and 1 on the first adjustment a rule made on a sale (0 on the
  others), so the promotion report counts each sale once and adds up what
  those sales came to from the index alone; ``ix_sale_id_payable`` (how the
  report found those sales before) is dropped.

Old rows are filled in from ``sale``; new rows are written by the till.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("payment", sa.Column("business_day", sa.Date(), nullable=True))
    op.add_column("payment", sa.Column("sale_kind", sa.String(length=12), nullable=True))
    op.execute(
        "UPDATE payment SET (business_day, sale_kind) = "
        "(SELECT business_day, kind FROM sale WHERE sale.id = payment.sale_id)"
    )
    op.create_index(
        "ix_payment_report", "payment", ["business_day", "sale_kind", "method", "amount"]
    )
    op.add_column("sale_adjustment", sa.Column("sale_payable", sa.Integer(), nullable=True))
    op.add_column(
        "sale_adjustment",
        sa.Column("rule_first", sa.Integer(), nullable=False, server_default="0"),
    )
    op.execute(
        "UPDATE sale_adjustment SET sale_payable = "
        "(SELECT payable FROM sale WHERE sale.id = sale_adjustment.sale_id)"
    )
    # the first row (in the order written) of each rule on each sale counts the sale
    op.execute(
        "UPDATE sale_adjustment SET rule_first = 1 WHERE rowid IN "
        "(SELECT min(rowid) FROM sale_adjustment GROUP BY sale_id, step, rule_id)"
    )
    op.drop_index("ix_sale_adjustment_report", table_name="sale_adjustment")
    op.create_index(
        "ix_sale_adjustment_report",
        "sale_adjustment",
        ["business_day", "step", "rule_id", "rule_first", "amount", "sale_payable"],
    )
    op.drop_index("ix_sale_id_payable", table_name="sale")


def downgrade() -> None:
    op.create_index("ix_sale_id_payable", "sale", ["id", "payable"])
    op.drop_index("ix_sale_adjustment_report", table_name="sale_adjustment")
    op.create_index(
        "ix_sale_adjustment_report",
        "sale_adjustment",
        ["business_day", "step", "rule_id", "sale_id", "amount"],
    )
    with op.batch_alter_table("sale_adjustment") as batch:
        batch.drop_column("rule_first")
        batch.drop_column("sale_payable")
    op.drop_index("ix_payment_report", table_name="payment")
    with op.batch_alter_table("payment") as batch:
        batch.drop_column("sale_kind")
        batch.drop_column("business_day")
