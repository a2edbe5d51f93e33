"""HQ policy and member-number ranges at the till

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 12:30:00

* ``hq_policy``: settings HQ decides for every till (the offline redemption
  policy: ``offline_max_hours``, ``daily_cap_points``,
  ``daily_cap_stored_value``), written by the feed.
* ``member_range``: blocks of member numbers HQ gave this till; registration
  takes the next number from them, so two offline tills never give the same.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import terminal.store.types

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hq_policy",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("updated_at", terminal.store.types.UTCDateTime(length=27), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_hq_policy")),
    )
    op.create_table(
        "member_range",
        sa.Column("first", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.Column("received_at", terminal.store.types.UTCDateTime(length=27), nullable=False),
        sa.CheckConstraint("first >= 1 AND last >= first", name=op.f("ck_member_range_span")),
        sa.PrimaryKeyConstraint("first", name=op.f("pk_member_range")),
    )


def downgrade() -> None:
    op.drop_table("member_range")
    op.drop_table("hq_policy")
