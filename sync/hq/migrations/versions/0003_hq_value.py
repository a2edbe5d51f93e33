"""HQ value: stored-value ledger, uses of limited promotions, dynamic member codes, coupon life

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 12:30:00

* ``hq_stored_value``: every till's stored-value rows (top-ups, spending,
  refunds) once, so HQ holds each member's balance per bucket.
* ``hq_rule_use``: uses of promotions with limits, to add up 限量 quotas and
  per-member limits across tills.
* ``hq_member_code_use``: the dynamic member code (key id, time step) each
  sale was made with, to find one code used at two tills.
* ``hq_coupon``: each coupon's life (issued, redeemed, void) and the records
  that moved it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import terminal.store.types

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hq_stored_value",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("bucket", sa.String(length=10), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=True),
        sa.Column("terminal_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", terminal.store.types.UTCDateTime(length=27), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hq_stored_value")),
    )
    op.create_index(
        op.f("ix_hq_stored_value_member_id"), "hq_stored_value", ["member_id"], unique=False
    )
    op.create_table(
        "hq_rule_use",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("rule_id", sa.String(length=64), nullable=False),
        sa.Column("member_id", sa.String(length=36), nullable=True),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("terminal_id", sa.String(length=36), nullable=False),
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("times", sa.Integer(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hq_rule_use")),
    )
    op.create_index("ix_hq_rule_use_rule", "hq_rule_use", ["rule_id", "business_day"])
    op.create_index("ix_hq_rule_use_member", "hq_rule_use", ["member_id", "rule_id"])
    op.create_table(
        "hq_member_code_use",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("step", sa.BigInteger(), nullable=False),
        sa.Column("terminal_id", sa.String(length=36), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("member_id", sa.String(length=36), nullable=True),
        sa.Column("used_at", terminal.store.types.UTCDateTime(length=27), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hq_member_code_use")),
    )
    op.create_index("ix_hq_member_code_use_code", "hq_member_code_use", ["key_id", "step"])
    op.create_table(
        "hq_coupon",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("definition_id", sa.String(length=36), nullable=True),
        sa.Column("member_id", sa.String(length=36), nullable=True),
        sa.Column("issued_record_id", sa.String(length=36), nullable=True),
        sa.Column("redeemed_record_id", sa.String(length=36), nullable=True),
        sa.Column("void_record_id", sa.String(length=36), nullable=True),
        sa.Column("updated_at", terminal.store.types.UTCDateTime(length=27), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_hq_coupon")),
    )


def downgrade() -> None:
    op.drop_table("hq_coupon")
    op.drop_index("ix_hq_member_code_use_code", table_name="hq_member_code_use")
    op.drop_table("hq_member_code_use")
    op.drop_index("ix_hq_rule_use_member", table_name="hq_rule_use")
    op.drop_index("ix_hq_rule_use_rule", table_name="hq_rule_use")
    op.drop_table("hq_rule_use")
    op.drop_index(op.f("ix_hq_stored_value_member_id"), table_name="hq_stored_value")
    op.drop_table("hq_stored_value")
