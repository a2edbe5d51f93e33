"""promotion totals: what each limited promotion has used in the whole chain (from HQ)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 12:40:00

* ``promotion_total``: HQ's count of a 限量 promotion's uses over every till
  (sales and units), sent through the feed, so a till's quota check counts
  what other stores sold too.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import terminal.store.types

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "promotion_total",
        sa.Column("rule_id", sa.String(length=64), nullable=False),
        sa.Column("times", sa.Integer(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("updated_at", terminal.store.types.UTCDateTime(length=27), nullable=False),
        sa.PrimaryKeyConstraint("rule_id", name=op.f("pk_promotion_total")),
    )


def downgrade() -> None:
    op.drop_table("promotion_total")
