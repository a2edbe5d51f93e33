"""HQ initial schema: stores, terminals, records, points, coupon uses, conflicts, feed

Revision ID: 0001
Revises:
Create Date: 2026-12-01 09:38:00.951665
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import terminal.store.types

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hq_conflict",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("other_record_id", sa.String(length=36), nullable=False),
        sa.Column("detected_at", terminal.store.types.UTCDateTime(length=27), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hq_conflict")),
    )
    op.create_table(
        "hq_coupon_use",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("store_id", sa.String(length=36), nullable=False),
        sa.Column("restored", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hq_coupon_use")),
    )
    with op.batch_alter_table("hq_coupon_use", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hq_coupon_use_code"), ["code"], unique=False)

    op.create_table(
        "hq_entity",
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=True),
        sa.Column("updated_at", terminal.store.types.UTCDateTime(length=27), nullable=False),
        sa.PrimaryKeyConstraint("entity", "key", name=op.f("pk_hq_entity")),
    )
    with op.batch_alter_table("hq_entity", schema=None) as batch_op:
        batch_op.create_index(
            "ix_hq_entity_waiting",
            ["rank"],
            unique=False,
            sqlite_where=sa.text("seq IS NULL"),
            postgresql_where=sa.text("seq IS NULL"),
        )
        batch_op.create_index("uq_hq_entity_seq", ["seq"], unique=True)

    op.create_table(
        "hq_meta",
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_hq_meta")),
    )
    op.create_table(
        "hq_points",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.String(length=36), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("record_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", terminal.store.types.UTCDateTime(length=27), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hq_points")),
    )
    with op.batch_alter_table("hq_points", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hq_points_member_id"), ["member_id"], unique=False)

    op.create_table(
        "hq_store",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("created_at", terminal.store.types.UTCDateTime(length=27), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hq_store")),
        sa.UniqueConstraint("code", name=op.f("uq_hq_store_code")),
    )
    op.create_table(
        "hq_terminal",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("store_id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("enroll_code_hash", sa.String(length=64), nullable=True),
        sa.Column("enroll_expires_at", terminal.store.types.UTCDateTime(length=27), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("local_terminal_id", sa.String(length=36), nullable=True),
        sa.Column("enrolled_at", terminal.store.types.UTCDateTime(length=27), nullable=True),
        sa.Column("revoked_at", terminal.store.types.UTCDateTime(length=27), nullable=True),
        sa.Column("last_contact", terminal.store.types.UTCDateTime(length=27), nullable=True),
        sa.Column("clock_skew_s", sa.Integer(), nullable=True),
        sa.Column("program_version", sa.String(length=32), nullable=False),
        sa.Column("protocol_version", sa.Integer(), nullable=False),
        sa.Column("records_waiting", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["store_id"], ["hq_store.id"], name=op.f("fk_hq_terminal_store_id_hq_store")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hq_terminal")),
        sa.UniqueConstraint("enroll_code_hash", name=op.f("uq_hq_terminal_enroll_code_hash")),
        sa.UniqueConstraint("store_id", "code", name="uq_hq_terminal_store_code"),
        sa.UniqueConstraint("token_hash", name=op.f("uq_hq_terminal_token_hash")),
    )
    op.create_table(
        "hq_record",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("terminal_id", sa.String(length=36), nullable=False),
        sa.Column("store_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", terminal.store.types.UTCDateTime(length=27), nullable=False),
        sa.Column("received_at", terminal.store.types.UTCDateTime(length=27), nullable=False),
        sa.ForeignKeyConstraint(
            ["store_id"], ["hq_store.id"], name=op.f("fk_hq_record_store_id_hq_store")
        ),
        sa.ForeignKeyConstraint(
            ["terminal_id"], ["hq_terminal.id"], name=op.f("fk_hq_record_terminal_id_hq_terminal")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hq_record")),
    )
    with op.batch_alter_table("hq_record", schema=None) as batch_op:
        batch_op.create_index("ix_hq_record_terminal", ["terminal_id", "received_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("hq_record", schema=None) as batch_op:
        batch_op.drop_index("ix_hq_record_terminal")

    op.drop_table("hq_record")
    op.drop_table("hq_terminal")
    op.drop_table("hq_store")
    with op.batch_alter_table("hq_points", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hq_points_member_id"))

    op.drop_table("hq_points")
    op.drop_table("hq_meta")
    with op.batch_alter_table("hq_entity", schema=None) as batch_op:
        batch_op.drop_index("uq_hq_entity_seq")
        batch_op.drop_index(
            "ix_hq_entity_waiting",
            sqlite_where=sa.text("seq IS NULL"),
            postgresql_where=sa.text("seq IS NULL"),
        )

    op.drop_table("hq_entity")
    with op.batch_alter_table("hq_coupon_use", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hq_coupon_use_code"))

    op.drop_table("hq_coupon_use")
    op.drop_table("hq_conflict")
