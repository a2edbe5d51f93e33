"""change times on every mutable table; store_meta

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 05:00:00

``updated_at`` lets a restore with carry-over keep the current store's row
wherever it changed after the backup was taken. Existing rows get one fixed
time (not the time of the upgrade): a backup and the store it came from must
agree on rows neither of them changed, whenever each was upgraded. Rows last
changed before this revision therefore count as unchanged; the facts that can
only move forward (a sale returned, a shift closed, an outbox row sent, a
member erased, the receipt counter) are kept by restore's own rules.

``ADD COLUMN`` with a constant default does not rewrite a table, so this runs
in moments on a large store.

``store_meta`` records the program version that last opened the store, so an
older posterm can name the version a store needs.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import terminal.store.types

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

UNCHANGED_SINCE = "2000-01-01T00:00:00.000000Z"

NEW_UPDATED_AT = (
    "store",
    "terminal",
    "user",
    "category",
    "product",
    "product_barcode",
    "tier",
    "member_key",
    "coupon",
    "shift",
    "sale",
    "print_job",
    "outbox",
)


def upgrade() -> None:
    for table in NEW_UPDATED_AT:
        op.add_column(
            table,
            sa.Column(
                "updated_at",
                terminal.store.types.UTCDateTime(length=27),
                nullable=False,
                server_default=UNCHANGED_SINCE,
            ),
        )
    op.create_table(
        "store_meta",
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_store_meta")),
    )


def downgrade() -> None:
    op.drop_table("store_meta")
    for table in reversed(NEW_UPDATED_AT):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("updated_at")
