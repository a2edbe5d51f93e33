"""reports: numbered, immutable Z reports

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 10:00:00

* ``z_report``: one end-of-day Z report per terminal and business day,
  numbered without gaps; triggers refuse UPDATE and DELETE, so a Z report
  taken is never changed.
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


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS z_report_no_update")
    op.execute("DROP TRIGGER IF EXISTS z_report_no_delete")
    op.drop_index("uq_z_report_no", table_name="z_report")
    op.drop_index("uq_z_report_day", table_name="z_report")
    op.drop_table("z_report")
