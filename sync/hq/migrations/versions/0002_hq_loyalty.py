"""HQ loyalty: members' sales for the 12-month spend, once-guards of grants, sealed birthdays

Also indexes ``hq_points.lot_id`` (lot remainders for expiry and revocations)
and fills ``hq_member_sale`` from the sales HQ already holds, so tiers count
the spend of the last 12 months from the first day.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 12:20:00
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from alembic import op

import terminal.store.types

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hq_member_sale",
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("record_id", name=op.f("pk_hq_member_sale")),
    )
    with op.batch_alter_table("hq_member_sale", schema=None) as batch_op:
        batch_op.create_index("ix_hq_member_sale_member", ["member_id", "business_day"])
    op.create_table(
        "hq_loyalty_grant",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=36), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("ref", sa.String(length=40), nullable=False),
        sa.Column("created_at", terminal.store.types.UTCDateTime(length=27), nullable=False),
        sa.PrimaryKeyConstraint("kind", "subject", "period", name=op.f("pk_hq_loyalty_grant")),
    )
    op.create_table(
        "hq_member_birthday",
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", terminal.store.types.UTCDateTime(length=27), nullable=False),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_hq_member_birthday")),
    )
    with op.batch_alter_table("hq_points", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hq_points_lot_id"), ["lot_id"], unique=False)
    _backfill_member_sales()


def _backfill_member_sales() -> None:
    """The members' sales already pushed, read from their payloads (portable, in batches)."""
    conn = op.get_bind()
    record = sa.table(
        "hq_record", sa.column("id", sa.String), sa.column("kind"), sa.column("payload", sa.JSON)
    )
    target = sa.table(
        "hq_member_sale",
        sa.column("record_id"),
        sa.column("member_id"),
        sa.column("business_day", sa.Date),
        sa.column("amount"),
    )
    rows = conn.execute(
        sa.select(record.c.id, record.c.payload).where(record.c.kind == "sale"),
        execution_options={"yield_per": 2000},
    )
    batch: list[dict[str, object]] = []
    for record_id, payload in rows:
        if payload.get("member_id"):
            batch.append(
                {
                    "record_id": record_id,
                    "member_id": payload["member_id"],
                    "business_day": date.fromisoformat(payload["business_day"]),
                    "amount": int(payload["payable"]),
                }
            )
        if len(batch) >= 2000:
            conn.execute(sa.insert(target), batch)
            batch = []
    if batch:
        conn.execute(sa.insert(target), batch)


def downgrade() -> None:
    with op.batch_alter_table("hq_points", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hq_points_lot_id"))
    op.drop_table("hq_member_birthday")
    op.drop_table("hq_loyalty_grant")
    with op.batch_alter_table("hq_member_sale", schema=None) as batch_op:
        batch_op.drop_index("ix_hq_member_sale_member")
    op.drop_table("hq_member_sale")
