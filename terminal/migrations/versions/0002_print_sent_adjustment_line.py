"""print jobs record 'sent'; adjustments name their line

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 09:00:00

* ``print_job.status`` may be ``sent`` (recorded before the bytes go out, until
  the printer confirms) and ``print_job.sent_at`` says the printer may already
  have printed the job, so its next print is marked as a copy.
* ``sale_adjustment.line_no``: the sale line an item promotion, gift or manual
  discount applied to (None for basket-wide adjustments and for older sales).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import terminal.store.types

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("print_job", schema=None, recreate="always") as batch_op:
        batch_op.add_column(
            sa.Column("sent_at", terminal.store.types.UTCDateTime(length=27), nullable=True)
        )
        batch_op.drop_constraint(op.f("ck_print_job_status"), type_="check")
        batch_op.create_check_constraint(
            "status", "status IN ('pending','sent','printed','failed')"
        )
    with op.batch_alter_table("sale_adjustment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("line_no", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sale_adjustment", schema=None) as batch_op:
        batch_op.drop_column("line_no")
    op.execute("UPDATE print_job SET status = 'failed' WHERE status = 'sent'")
    with op.batch_alter_table("print_job", schema=None, recreate="always") as batch_op:
        batch_op.drop_constraint(op.f("ck_print_job_status"), type_="check")
        batch_op.create_check_constraint("status", "status IN ('pending','printed','failed')")
        batch_op.drop_column("sent_at")
