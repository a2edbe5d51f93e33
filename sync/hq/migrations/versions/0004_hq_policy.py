"""HQ policy: member-number blocks per terminal

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 12:30:00

* ``hq_member_range``: the blocks of member numbers handed to each terminal;
  ``first`` and ``last`` unique, so two blocks can never start (or end) at the
  same number even if the allocation lock were bypassed.

The offline redemption policy itself is published in the feed (entity
``hq_policy``, kept in ``hq_entity`` like every other row HQ owns): no table.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import terminal.store.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hq_member_range",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("terminal_id", sa.String(length=36), nullable=False),
        sa.Column("first", sa.BigInteger(), nullable=False),
        sa.Column("last", sa.BigInteger(), nullable=False),
        sa.Column("allocated_at", terminal.store.types.UTCDateTime(length=27), nullable=False),
        sa.ForeignKeyConstraint(
            ["terminal_id"],
            ["hq_terminal.id"],
            name=op.f("fk_hq_member_range_terminal_id_hq_terminal"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hq_member_range")),
        sa.UniqueConstraint("first", name=op.f("uq_hq_member_range_first")),
        sa.UniqueConstraint("last", name=op.f("uq_hq_member_range_last")),
    )
    with op.batch_alter_table("hq_member_range", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hq_member_range_terminal_id"), ["terminal_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("hq_member_range", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hq_member_range_terminal_id"))
    op.drop_table("hq_member_range")
